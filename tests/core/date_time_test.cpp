#include "core/date_time.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gridmeter {
namespace {

using Bytes = std::array<std::uint8_t, 12>;

UtcMicros utc(int year, int month, int day, int hour, int minute = 0, int second = 0,
              int microsecond = 0) {
  return utc_from_civil(CivilTime{year, month, day, hour, minute, second, microsecond});
}

// ---- COSEM encoding ----

TEST(DateTimeCosem, EncodesSummerTimeInCentralEurope) {
  const CosemDateTime dt = to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe());
  EXPECT_EQ(dt.year, 2026);
  EXPECT_EQ(dt.month, 7);
  EXPECT_EQ(dt.day, 1);
  EXPECT_EQ(dt.weekday, 3);
  EXPECT_EQ(dt.hour, 12);
  EXPECT_EQ(dt.deviation, -120);
  EXPECT_EQ(dt.clock_status, CosemDateTime::status_daylight_saving_active);
  EXPECT_EQ(dt.encode(),
            (Bytes{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0xFF, 0x88, 0x80}));
}

TEST(DateTimeCosem, EncodesWinterTimeWithHundredths) {
  // 2026-01-15 08:30:15.259 CET (Thursday); hundredths truncate.
  const CosemDateTime dt =
      to_cosem(utc(2026, 1, 15, 7, 30, 15, 259'999), TimeZone::central_europe());
  EXPECT_EQ(dt.encode(),
            (Bytes{0x07, 0xEA, 0x01, 0x0F, 0x04, 0x08, 0x1E, 0x0F, 0x19, 0xFF, 0xC4, 0x00}));
}

TEST(DateTimeCosem, EncodesLocalMinusUtcDeviation) {
  const CosemDateTime dt =
      to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe(), DeviationSign::local_minus_utc);
  EXPECT_EQ(dt.deviation, 120);
  EXPECT_EQ(dt.encode(),
            (Bytes{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x78, 0x80}));
}

TEST(DateTimeCosem, EncodesUtcAndNegativeZones) {
  const CosemDateTime in_utc = to_cosem(utc(2026, 11, 25, 13, 5, 9), TimeZone::utc());
  EXPECT_EQ(in_utc.encode(),
            (Bytes{0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0D, 0x05, 0x09, 0x00, 0x00, 0x00, 0x00}));
  auto eastern = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(eastern);
  const CosemDateTime in_new_york = to_cosem(utc(2026, 1, 1, 3), *eastern);
  EXPECT_EQ(in_new_york.encode(), (Bytes{0x07, 0xE9, 0x0C, 0x1F, 0x03, 0x16, 0x00, 0x00, 0x00, 0x01,
                                         0x2C, 0x00}));  // 2025-12-31 22:00, +300
}

TEST(DateTimeCosem, DefaultIsAllNotSpecified) {
  EXPECT_EQ(CosemDateTime{}.encode(),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF}));
}

TEST(DateTimeCosem, DecodeRoundTrips) {
  const Bytes wire{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0xFF, 0x88, 0x80};
  auto dt = CosemDateTime::decode(wire);
  ASSERT_TRUE(dt) << dt.error().message;
  EXPECT_EQ(dt->year, 2026);
  EXPECT_EQ(dt->deviation, -120);
  EXPECT_EQ(dt->clock_status, 0x80);
  EXPECT_EQ(dt->encode(), wire);
  EXPECT_EQ(*dt, to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe()));
}

TEST(DateTimeCosem, DecodesAllNotSpecified) {
  const Bytes wire{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF};
  auto dt = CosemDateTime::decode(wire);
  ASSERT_TRUE(dt) << dt.error().message;
  EXPECT_EQ(*dt, CosemDateTime{});
  EXPECT_EQ(dt->deviation, CosemDateTime::deviation_not_specified);
  EXPECT_EQ(dt->encode(), wire);
}

TEST(DateTimeCosem, DecodesSpecialMonthsAndDays) {
  for (std::uint8_t month : {std::uint8_t{0xFD}, std::uint8_t{0xFE}}) {
    for (std::uint8_t day : {std::uint8_t{0xFD}, std::uint8_t{0xFE}}) {
      const Bytes wire{0xFF, 0xFF, month, day, 0x07, 0x02, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF};
      auto dt = CosemDateTime::decode(wire);
      ASSERT_TRUE(dt) << dt.error().message;
      EXPECT_EQ(dt->month, month);
      EXPECT_EQ(dt->day, day);
      EXPECT_EQ(dt->encode(), wire);
    }
  }
}

TEST(DateTimeCosem, DecodesDeviationLimitsAndStatusBits) {
  Bytes wire{0x07, 0xEA, 0x01, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0xFD, 0x30, 0x0F};
  auto low = CosemDateTime::decode(wire);
  ASSERT_TRUE(low) << low.error().message;
  EXPECT_EQ(low->deviation, -720);
  EXPECT_EQ(low->clock_status, 0x0F);
  wire[9] = 0x02;
  wire[10] = 0xD0;
  wire[11] = 0x8F;
  auto high = CosemDateTime::decode(wire);
  ASSERT_TRUE(high) << high.error().message;
  EXPECT_EQ(high->deviation, 720);
}

TEST(DateTimeCosem, DecodeRejectsWrongLength) {
  const std::vector<std::uint8_t> short_wire(11, 0x00);
  auto too_short = CosemDateTime::decode(short_wire);
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().message, "COSEM date-time: expected 12 octets, got 11");
  const std::vector<std::uint8_t> long_wire(13, 0xFF);
  EXPECT_FALSE(CosemDateTime::decode(long_wire));
  EXPECT_FALSE(CosemDateTime::decode({}));
}

struct BadField {
  std::size_t index;
  std::uint8_t value;
  const char* field;
};

TEST(DateTimeCosem, DecodeRejectsEveryMalformedField) {
  const Bytes good{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0xFF, 0x88, 0x80};
  const BadField cases[] = {
      {2, 0x00, "month"},         {2, 0x0D, "month"},         {2, 0xFC, "month"},
      {3, 0x00, "day"},           {3, 0x20, "day"},           {3, 0xFC, "day"},
      {4, 0x00, "weekday"},       {4, 0x08, "weekday"},       {4, 0xFE, "weekday"},
      {5, 0x18, "hour"},          {5, 0xFE, "hour"},          {6, 0x3C, "minute"},
      {6, 0xFE, "minute"},        {7, 0x3C, "second"},        {7, 0xFE, "second"},
      {8, 0x64, "hundredths"},    {8, 0xFE, "hundredths"},    {11, 0x10, "clock_status"},
      {11, 0x40, "clock_status"}, {11, 0xFE, "clock_status"},
  };
  for (const BadField& bad : cases) {
    Bytes wire = good;
    wire[bad.index] = bad.value;
    auto dt = CosemDateTime::decode(wire);
    ASSERT_FALSE(dt) << bad.field << " " << int{bad.value};
    EXPECT_NE(dt.error().message.find(bad.field), std::string::npos) << dt.error().message;
  }
}

TEST(DateTimeCosem, DecodeErrorNamesFieldAndValue) {
  const Bytes wire{0x07, 0xEA, 0x0D, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0xFF, 0x88, 0x80};
  auto dt = CosemDateTime::decode(wire);
  ASSERT_FALSE(dt);
  EXPECT_EQ(dt.error().message,
            "COSEM date-time: month 0x0D (13) is out of range (1..12, 0xFD, 0xFE, 0xFF)");
}

TEST(DateTimeCosem, DecodeRejectsDeviationOutOfRange) {
  for (std::uint16_t bits : {std::uint16_t{721}, std::uint16_t{0xFD2F} /* -721 */,
                             std::uint16_t{0x7FFF}, std::uint16_t{0x8001}}) {
    Bytes wire{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80};
    wire[9] = static_cast<std::uint8_t>(bits >> 8);
    wire[10] = static_cast<std::uint8_t>(bits & 0xFF);
    auto dt = CosemDateTime::decode(wire);
    ASSERT_FALSE(dt) << bits;
    EXPECT_NE(dt.error().message.find("deviation"), std::string::npos);
  }
}

// ---- COSEM to UTC ----

TEST(DateTimeFromCosem, UsesTheDeviationWhenSpecified) {
  CosemDateTime dt = to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe());
  auto in_zone = from_cosem(dt, TimeZone::central_europe());
  ASSERT_TRUE(in_zone) << in_zone.error().message;
  EXPECT_EQ(*in_zone, utc(2026, 7, 1, 10));
  // The deviation wins over the zone argument.
  auto other_zone = from_cosem(dt, TimeZone::utc());
  ASSERT_TRUE(other_zone);
  EXPECT_EQ(*other_zone, utc(2026, 7, 1, 10));
  dt.deviation = 120;
  auto flipped = from_cosem(dt, TimeZone::utc(), DeviationSign::local_minus_utc);
  ASSERT_TRUE(flipped);
  EXPECT_EQ(*flipped, utc(2026, 7, 1, 10));
}

TEST(DateTimeFromCosem, WithoutDeviationUsesTheZone) {
  CosemDateTime dt = to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe());
  dt.deviation = CosemDateTime::deviation_not_specified;
  dt.clock_status = CosemDateTime::not_specified;
  auto instant = from_cosem(dt, TimeZone::central_europe());
  ASSERT_TRUE(instant);
  EXPECT_EQ(*instant, utc(2026, 7, 1, 10));
}

TEST(DateTimeFromCosem, DaylightBitResolvesTheAutumnOverlap) {
  CosemDateTime dt;  // 2026-10-25 02:30 local, Sunday, no deviation
  dt.year = 2026;
  dt.month = 10;
  dt.day = 25;
  dt.weekday = 7;
  dt.hour = 2;
  dt.minute = 30;
  dt.second = 0;
  dt.hundredths = 0;
  const TimeZone zone = TimeZone::central_europe();
  dt.clock_status = CosemDateTime::status_daylight_saving_active;
  auto summer = from_cosem(dt, zone);
  ASSERT_TRUE(summer);
  EXPECT_EQ(*summer, utc(2026, 10, 25, 0, 30));
  dt.clock_status = 0x00;
  auto winter = from_cosem(dt, zone);
  ASSERT_TRUE(winter);
  EXPECT_EQ(*winter, utc(2026, 10, 25, 1, 30));
  dt.clock_status = CosemDateTime::not_specified;
  auto first = from_cosem(dt, zone);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, utc(2026, 10, 25, 0, 30));
}

TEST(DateTimeFromCosem, SpringGapIsAnError) {
  CosemDateTime dt;
  dt.year = 2026;
  dt.month = 3;
  dt.day = 29;
  dt.hour = 2;
  dt.minute = 30;
  dt.second = 0;
  EXPECT_FALSE(from_cosem(dt, TimeZone::central_europe()));
}

TEST(DateTimeFromCosem, NotSpecifiedHundredthsCountAsZero) {
  CosemDateTime dt = to_cosem(utc(2026, 7, 1, 10, 0, 0, 450'000), TimeZone::central_europe());
  EXPECT_EQ(dt.hundredths, 45);
  auto exact = from_cosem(dt, TimeZone::central_europe());
  ASSERT_TRUE(exact);
  EXPECT_EQ(*exact, utc(2026, 7, 1, 10, 0, 0, 450'000));
  dt.hundredths = CosemDateTime::not_specified;
  auto whole = from_cosem(dt, TimeZone::central_europe());
  ASSERT_TRUE(whole);
  EXPECT_EQ(*whole, utc(2026, 7, 1, 10));
}

TEST(DateTimeFromCosem, WildcardsAndSpecialsAreErrors) {
  const CosemDateTime good = to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe());
  std::vector<CosemDateTime> bad(9, good);
  bad[0].year = CosemDateTime::year_not_specified;
  bad[1].month = CosemDateTime::not_specified;
  bad[2].month = CosemDateTime::month_dst_begin;
  bad[3].day = CosemDateTime::day_last;
  bad[4].day = CosemDateTime::not_specified;
  bad[5].hour = CosemDateTime::not_specified;
  bad[6].minute = CosemDateTime::not_specified;
  bad[7].second = CosemDateTime::not_specified;
  bad[8].hundredths = 100;
  for (const CosemDateTime& dt : bad) {
    EXPECT_FALSE(from_cosem(dt, TimeZone::central_europe()));
  }
  auto message = from_cosem(bad[0], TimeZone::central_europe());
  ASSERT_FALSE(message);
  EXPECT_NE(message.error().message.find("year 0xFFFF"), std::string::npos);
}

TEST(DateTimeFromCosem, RejectsImpossibleDatesAndWrongWeekdays) {
  CosemDateTime dt = to_cosem(utc(2026, 2, 27, 12), TimeZone::central_europe());
  dt.weekday = CosemDateTime::not_specified;
  dt.day = 30;
  EXPECT_FALSE(from_cosem(dt, TimeZone::central_europe()));
  CosemDateTime wrong_day = to_cosem(utc(2026, 7, 1, 10), TimeZone::central_europe());
  wrong_day.weekday = 4;
  auto result = from_cosem(wrong_day, TimeZone::central_europe());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "COSEM date-time: weekday 4 does not match 2026-07-01 (3)");
  wrong_day.weekday = CosemDateTime::not_specified;
  EXPECT_TRUE(from_cosem(wrong_day, TimeZone::central_europe()));
}

TEST(DateTimeFromCosem, RoundTripsThroughTheWire) {
  const TimeZone zone = TimeZone::central_europe();
  for (UtcMicros t = utc(2026, 1, 1, 0); t < utc(2027, 1, 1, 0);
       t += 37 * micros_per_minute + 10'000) {
    for (DeviationSign sign : {DeviationSign::utc_minus_local, DeviationSign::local_minus_utc}) {
      auto decoded = CosemDateTime::decode(to_cosem(t, zone, sign).encode());
      ASSERT_TRUE(decoded);
      auto back = from_cosem(*decoded, zone, sign);
      ASSERT_TRUE(back);
      ASSERT_EQ(*back, t);
    }
  }
}

// ---- ISO 8601 ----

TEST(Iso8601Format, LocalTimeWithOffset) {
  const TimeZone zone = TimeZone::central_europe();
  EXPECT_EQ(format_iso8601(utc(2026, 3, 29, 1), zone), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(format_iso8601(utc(2026, 3, 29, 1) - 1, zone), "2026-03-29T01:59:59.999+01:00");
  EXPECT_EQ(format_iso8601(utc(2026, 10, 25, 0, 30), zone), "2026-10-25T02:30:00+02:00");
  EXPECT_EQ(format_iso8601(utc(2026, 10, 25, 1, 30), zone), "2026-10-25T02:30:00+01:00");
  EXPECT_EQ(format_iso8601(utc(2026, 7, 1, 10, 0, 0, 1'500), zone),
            "2026-07-01T12:00:00.001+02:00");
  EXPECT_EQ(format_iso8601(utc(2026, 7, 1, 10, 0, 0, 999), zone), "2026-07-01T12:00:00+02:00");
  EXPECT_EQ(format_iso8601(utc(2026, 7, 1, 10), TimeZone::utc()), "2026-07-01T10:00:00+00:00");
  auto india = parse_time_zone("IST-5:30");
  ASSERT_TRUE(india);
  EXPECT_EQ(format_iso8601(utc(2026, 7, 1, 10), *india), "2026-07-01T15:30:00+05:30");
  auto eastern = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(eastern);
  EXPECT_EQ(format_iso8601(utc(2026, 1, 1, 3), *eastern), "2025-12-31T22:00:00-05:00");
}

TEST(Iso8601Format, Utc) {
  EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601_utc(utc(2026, 3, 29, 1, 2, 3, 40'000)), "2026-03-29T01:02:03.040Z");
  EXPECT_EQ(format_iso8601_utc(utc(10000, 1, 1, 0)), "+10000-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(utc(-1, 12, 31, 0)), "-0001-12-31T00:00:00Z");
}

TEST(Iso8601Parse, AcceptedForms) {
  const TimeZone zone = TimeZone::central_europe();
  const struct {
    const char* text;
    UtcMicros expected;
  } cases[] = {
      {"2026-07-01", utc(2026, 6, 30, 22)},
      {"2026-01-01", utc(2025, 12, 31, 23)},
      {"2026-07-01T12:00", utc(2026, 7, 1, 10)},
      {"2026-07-01T12:00:30", utc(2026, 7, 1, 10, 0, 30)},
      {"2026-07-01 12:00:30", utc(2026, 7, 1, 10, 0, 30)},
      {"2026-07-01T12:00:30.5", utc(2026, 7, 1, 10, 0, 30, 500'000)},
      {"2026-07-01T12:00:30.123456", utc(2026, 7, 1, 10, 0, 30, 123'456)},
      {"2026-07-01T12:00:30.000001Z", utc(2026, 7, 1, 12, 0, 30, 1)},
      {"2026-07-01T12:00Z", utc(2026, 7, 1, 12)},
      {"2026-07-01T12:00:00+02:00", utc(2026, 7, 1, 10)},
      {"2026-07-01T12:00:00+0200", utc(2026, 7, 1, 10)},
      {"2026-07-01T12:00:00-05:30", utc(2026, 7, 1, 17, 30)},
      {"2026-07-01T12:00:00-00:00", utc(2026, 7, 1, 12)},
      {"2024-02-29T00:00:00Z", utc(2024, 2, 29, 0)},
      {"0001-01-01T00:00:00Z", utc(1, 1, 1, 0)},
      {"9999-12-31T23:59:59.999999Z", utc(9999, 12, 31, 23, 59, 59, 999'999)},
      {"2026-10-25T02:30", utc(2026, 10, 25, 0, 30)},  // overlap: the daylight occurrence
      {"2026-10-25T02:30+01:00", utc(2026, 10, 25, 1, 30)},
      {"2026-03-29T02:30Z", utc(2026, 3, 29, 2, 30)},  // gap only matters for local time
  };
  for (const auto& c : cases) {
    auto parsed = parse_iso8601(c.text, zone);
    ASSERT_TRUE(parsed) << c.text << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
}

TEST(Iso8601Parse, LocalTimeInTheSpringGapIsAnError) {
  auto gap = parse_iso8601("2026-03-29T02:30", TimeZone::central_europe());
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().message.find("does not exist"), std::string::npos);
  EXPECT_TRUE(parse_iso8601("2026-03-29T02:30", TimeZone::utc()));
}

TEST(Iso8601Parse, RejectsMalformedText) {
  for (const char* text : {"",
                           "2026",
                           "2026-07",
                           "2026-7-01",
                           "2026-07-1",
                           "26-07-01",
                           "20260701",
                           "2026/07/01",
                           "2026-13-01",
                           "2026-00-01",
                           "2026-01-00",
                           "2026-01-32",
                           "2023-02-29",
                           "2026-02-30",
                           "2026-04-31",
                           "2026-01-01T",
                           "2026-01-01T12",
                           "2026-01-01T1:00",
                           "2026-01-01T12:0",
                           "2026-01-01T24:00",
                           "2026-01-01T12:60",
                           "2026-01-01T12:00:60",
                           "2026-01-01T12:00:00.",
                           "2026-01-01T12:00:00.1234567",
                           "2026-01-01T12:00.5",
                           "2026-01-01T12:00:00,5",
                           "2026-01-01t12:00",
                           "2026-01-01T12:00:00z",
                           "2026-01-01Z",
                           "2026-01-01x",
                           "2026-01-01T12:00:00Zjunk",
                           "2026-01-01T12:00:00+02",
                           "2026-01-01T12:00:00+2:00",
                           "2026-01-01T12:00:00+24:00",
                           "2026-01-01T12:00:00+02:60",
                           "2026-01-01T12:00:00+02:00x",
                           "2026-01-01T12:00:00 ",
                           " 2026-01-01",
                           "2026-01-01T12:00:00++02:00",
                           "2026-O1-01",
                           "+2026-01-01",
                           "-2026-01-01",
                           "2026-01-01T12:00:00+02:0"}) {
    auto parsed = parse_iso8601(text, TimeZone::central_europe());
    EXPECT_FALSE(parsed) << "'" << text << "' parsed";
  }
}

TEST(Iso8601Parse, ErrorsAreClear) {
  auto month = parse_iso8601("2026-13-01", TimeZone::utc());
  ASSERT_FALSE(month);
  EXPECT_EQ(month.error().message, "ISO 8601 '2026-13-01': month 13 is out of range 1..12");
  auto february = parse_iso8601("2023-02-29", TimeZone::utc());
  ASSERT_FALSE(february);
  EXPECT_EQ(february.error().message, "ISO 8601 '2023-02-29': day 29 does not exist in 2023-02");
  auto junk = parse_iso8601("2026-01-01T12:00:00Zjunk", TimeZone::utc());
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().message,
            "ISO 8601 '2026-01-01T12:00:00Zjunk': unexpected text after the time zone designator");
}

TEST(Iso8601Parse, FormatRoundTrips) {
  auto eastern = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(eastern);
  for (const TimeZone& zone : {TimeZone::central_europe(), TimeZone::utc(), *eastern}) {
    for (UtcMicros t = utc(2025, 12, 1, 0); t < utc(2027, 1, 1, 0);
         t += 13 * micros_per_minute + 7'001) {
      const UtcMicros millis = t - t % micros_per_millisecond;
      auto local = parse_iso8601(format_iso8601(t, zone), zone);
      ASSERT_TRUE(local) << format_iso8601(t, zone);
      ASSERT_EQ(*local, millis);
      auto in_utc = parse_iso8601(format_iso8601_utc(t), zone);
      ASSERT_TRUE(in_utc);
      ASSERT_EQ(*in_utc, millis);
    }
  }
}

}  // namespace
}  // namespace gridmeter
