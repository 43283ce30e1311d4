#include "core/time_zone.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridmeter {
namespace {

UtcMicros utc(int year, int month, int day, int hour, int minute = 0, int second = 0) {
  return utc_from_civil(CivilTime{year, month, day, hour, minute, second, 0});
}

TEST(TimeZone, CentralEuropeSwitches2026) {
  const TimeZone zone = TimeZone::central_europe();
  EXPECT_EQ(zone.dst_begin_utc(2026), utc(2026, 3, 29, 1));
  EXPECT_EQ(zone.dst_end_utc(2026), utc(2026, 10, 25, 1));
  EXPECT_EQ(zone.dst_begin_utc(2025), utc(2025, 3, 30, 1));
  EXPECT_EQ(zone.dst_end_utc(2025), utc(2025, 10, 26, 1));
}

TEST(TimeZone, CentralEuropeOffsetsAtTheSwitchInstants) {
  const TimeZone zone = TimeZone::central_europe();
  const UtcMicros begin = utc(2026, 3, 29, 1);
  const UtcMicros end = utc(2026, 10, 25, 1);
  EXPECT_EQ(zone.offset_min(begin - 1), 60);
  EXPECT_FALSE(zone.dst_active(begin - 1));
  EXPECT_EQ(zone.offset_min(begin), 120);
  EXPECT_TRUE(zone.dst_active(begin));
  EXPECT_EQ(zone.offset_min(end - 1), 120);
  EXPECT_EQ(zone.offset_min(end), 60);
  EXPECT_EQ(zone.offset_min(utc(2026, 1, 15, 12)), 60);
  EXPECT_EQ(zone.offset_min(utc(2026, 7, 1, 12)), 120);
  EXPECT_EQ(zone.offset_min(utc(2026, 12, 31, 23, 30)), 60);
}

TEST(TimeZone, ToLocalAcrossTheSpringSwitch) {
  const TimeZone zone = TimeZone::central_europe();
  const UtcMicros begin = utc(2026, 3, 29, 1);
  EXPECT_EQ(zone.to_local(begin - 1), (CivilTime{2026, 3, 29, 1, 59, 59, 999'999}));
  EXPECT_EQ(zone.to_local(begin), (CivilTime{2026, 3, 29, 3, 0, 0, 0}));
}

TEST(TimeZone, ToLocalAcrossTheAutumnSwitch) {
  const TimeZone zone = TimeZone::central_europe();
  const UtcMicros end = utc(2026, 10, 25, 1);
  EXPECT_EQ(zone.to_local(end - 1), (CivilTime{2026, 10, 25, 2, 59, 59, 999'999}));
  EXPECT_EQ(zone.to_local(end), (CivilTime{2026, 10, 25, 2, 0, 0, 0}));
}

TEST(TimeZone, FromLocalInTheSpringGapIsAnError) {
  const TimeZone zone = TimeZone::central_europe();
  auto gap = zone.from_local(CivilTime{2026, 3, 29, 2, 30, 0, 0});
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(zone.from_local(CivilTime{2026, 3, 29, 2, 0, 0, 0}));
  EXPECT_FALSE(zone.from_local(CivilTime{2026, 3, 29, 2, 30, 0, 0}, true));
  auto before = zone.from_local(CivilTime{2026, 3, 29, 1, 59, 59, 999'999});
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, utc(2026, 3, 29, 1) - 1);
  auto after = zone.from_local(CivilTime{2026, 3, 29, 3, 0, 0, 0});
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, utc(2026, 3, 29, 1));
}

TEST(TimeZone, FromLocalInTheAutumnOverlapUsesTheHint) {
  const TimeZone zone = TimeZone::central_europe();
  const CivilTime twice{2026, 10, 25, 2, 30, 0, 0};
  auto first = zone.from_local(twice);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, utc(2026, 10, 25, 0, 30));  // 02:30 CEST
  auto summer = zone.from_local(twice, true);
  ASSERT_TRUE(summer);
  EXPECT_EQ(*summer, utc(2026, 10, 25, 0, 30));
  auto winter = zone.from_local(twice, false);
  ASSERT_TRUE(winter);
  EXPECT_EQ(*winter, utc(2026, 10, 25, 1, 30));  // 02:30 CET
}

TEST(TimeZone, FromLocalIgnoresTheHintWhenUnambiguous) {
  const TimeZone zone = TimeZone::central_europe();
  auto summer = zone.from_local(CivilTime{2026, 7, 1, 12, 0, 0, 0}, false);
  ASSERT_TRUE(summer);
  EXPECT_EQ(*summer, utc(2026, 7, 1, 10));
  auto winter = zone.from_local(CivilTime{2026, 1, 1, 0, 0, 0, 0}, true);
  ASSERT_TRUE(winter);
  EXPECT_EQ(*winter, utc(2025, 12, 31, 23));
}

TEST(TimeZone, FromLocalRejectsInvalidFields) {
  const TimeZone zone = TimeZone::central_europe();
  EXPECT_FALSE(zone.from_local(CivilTime{2023, 2, 29, 12, 0, 0, 0}));
  EXPECT_FALSE(zone.from_local(CivilTime{2026, 1, 1, 24, 0, 0, 0}));
  EXPECT_TRUE(zone.from_local(CivilTime{2024, 2, 29, 12, 0, 0, 0}));
}

TEST(TimeZone, RoundTripsEveryQuarterHourOf2026) {
  const TimeZone zone = TimeZone::central_europe();
  for (UtcMicros t = utc(2026, 1, 1, 0); t < utc(2027, 1, 1, 0); t += 15 * micros_per_minute) {
    auto back = zone.from_local(zone.to_local(t), zone.dst_active(t));
    ASSERT_TRUE(back);
    ASSERT_EQ(*back, t);
  }
}

TEST(TimeZone, UtcHasNoOffset) {
  const TimeZone zone = TimeZone::utc();
  EXPECT_EQ(zone.offset_min(utc(2026, 7, 1, 12)), 0);
  EXPECT_FALSE(zone.dst_active(utc(2026, 7, 1, 12)));
  EXPECT_EQ(zone.to_local(utc(2026, 3, 29, 2, 30)), (CivilTime{2026, 3, 29, 2, 30, 0, 0}));
  auto back = zone.from_local(CivilTime{2026, 3, 29, 2, 30, 0, 0});
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, utc(2026, 3, 29, 2, 30));
}

TEST(TimeZone, SouthernHemisphereRule) {
  // Australia/Sydney: AEST+10, AEDT from the first Sunday of October 02:00 standard time to
  // the first Sunday of April 03:00 daylight time.
  auto zone = parse_time_zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(zone->dst_begin_utc(2026), utc(2026, 10, 3, 16));  // Sun 2026-10-04 02:00 AEST
  EXPECT_EQ(zone->dst_end_utc(2026), utc(2026, 4, 4, 16));     // Sun 2026-04-05 03:00 AEDT
  EXPECT_EQ(zone->offset_min(utc(2026, 1, 15, 0)), 660);
  EXPECT_EQ(zone->offset_min(utc(2026, 7, 15, 0)), 600);
  EXPECT_EQ(zone->offset_min(utc(2026, 12, 31, 20)), 660);
}

TEST(TimeZone, ValidateChecksRanges) {
  EXPECT_TRUE(TimeZone::central_europe().validate());
  EXPECT_TRUE(TimeZone::utc().validate());
  TimeZone zone = TimeZone::central_europe();
  zone.standard_offset_min = 901;
  EXPECT_FALSE(zone.validate());
  zone = TimeZone::central_europe();
  zone.standard_offset_min = 870;  // +14:30 + 1 h DST = +15:30
  EXPECT_FALSE(zone.validate());
  zone = TimeZone::central_europe();
  zone.dst_begin.month = 13;
  const Status month = zone.validate();
  ASSERT_FALSE(month);
  EXPECT_EQ(month.error().message, "time zone: dst_begin month 13 is out of range 1..12");
  zone = TimeZone::central_europe();
  zone.dst_end.week = 5;
  EXPECT_FALSE(zone.validate());
  zone = TimeZone::central_europe();
  zone.dst_end.week = 0;
  EXPECT_FALSE(zone.validate());
  zone = TimeZone::central_europe();
  zone.dst_end.weekday = 0;
  EXPECT_FALSE(zone.validate());
  zone = TimeZone::central_europe();
  zone.dst_end.minute_of_day = -1;
  EXPECT_FALSE(zone.validate());
}

TEST(TimeZone, ParsesNamedZones) {
  auto cet = parse_time_zone("CET");
  ASSERT_TRUE(cet);
  EXPECT_EQ(*cet, TimeZone::central_europe());
  auto central = parse_time_zone("Europe/Central");
  ASSERT_TRUE(central);
  EXPECT_EQ(*central, TimeZone::central_europe());
  auto utc_zone = parse_time_zone("UTC");
  ASSERT_TRUE(utc_zone);
  EXPECT_EQ(*utc_zone, TimeZone::utc());
}

TEST(TimeZone, PosixCentralEuropeMatchesBuiltInFor2020To2030) {
  auto zone = parse_time_zone("CET-1CEST,M3.5.0/2,M10.5.0/3");
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(zone->standard_offset_min, 60);
  EXPECT_EQ(zone->dst_offset_min, 60);
  EXPECT_TRUE(zone->dst_enabled);
  EXPECT_EQ(zone->dst_begin, (DstTransition{3, -1, 7, 120, false}));
  EXPECT_EQ(zone->dst_end, (DstTransition{10, -1, 7, 180, false}));
  const TimeZone reference = TimeZone::central_europe();
  for (int year = 2020; year <= 2030; ++year) {
    EXPECT_EQ(zone->dst_begin_utc(year), reference.dst_begin_utc(year)) << year;
    EXPECT_EQ(zone->dst_end_utc(year), reference.dst_end_utc(year)) << year;
  }
}

TEST(TimeZone, PosixUsEastern) {
  auto zone = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(zone->standard_offset_min, -300);
  EXPECT_EQ(zone->dst_offset_min, 60);
  EXPECT_EQ(zone->dst_begin_utc(2026), utc(2026, 3, 8, 7));
  EXPECT_EQ(zone->dst_end_utc(2026), utc(2026, 11, 1, 6));
  EXPECT_EQ(zone->offset_min(utc(2026, 3, 8, 7) - 1), -300);
  EXPECT_EQ(zone->offset_min(utc(2026, 3, 8, 7)), -240);
  EXPECT_EQ(zone->offset_min(utc(2026, 11, 1, 6) - 1), -240);
  EXPECT_EQ(zone->offset_min(utc(2026, 11, 1, 6)), -300);
}

TEST(TimeZone, PosixOptionalParts) {
  auto fixed = parse_time_zone("JST-9");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->standard_offset_min, 540);
  EXPECT_FALSE(fixed->dst_enabled);
  auto india = parse_time_zone("IST-5:30");
  ASSERT_TRUE(india);
  EXPECT_EQ(india->standard_offset_min, 330);
  auto quoted = parse_time_zone("<+0330>-3:30");
  ASSERT_TRUE(quoted) << quoted.error().message;
  EXPECT_EQ(quoted->standard_offset_min, 210);
  auto plus = parse_time_zone("GMT+0");
  ASSERT_TRUE(plus);
  EXPECT_EQ(plus->standard_offset_min, 0);
  auto explicit_dst = parse_time_zone("NZST-12NZDT-13,M9.5.0,M4.1.0/3");
  ASSERT_TRUE(explicit_dst) << explicit_dst.error().message;
  EXPECT_EQ(explicit_dst->standard_offset_min, 720);
  EXPECT_EQ(explicit_dst->dst_offset_min, 60);
  auto with_seconds = parse_time_zone("CET-1CEST,M3.5.0/02:00:00,M10.5.0/03:00");
  ASSERT_TRUE(with_seconds) << with_seconds.error().message;
  EXPECT_EQ(with_seconds->dst_begin.minute_of_day, 120);
  EXPECT_EQ(with_seconds->dst_end.minute_of_day, 180);
}

TEST(TimeZone, PosixRejectsMalformedText) {
  for (const char* text : {"",
                           "C",
                           "CE-1",
                           "CET-",
                           "CET-1CEST",
                           "CET-1CEST,",
                           "CET-1CEST,M3.5.0",
                           "CET-1CEST,M3.5.0/2,",
                           "CET-1CEST,M13.5.0,M10.5.0",
                           "CET-1CEST,M3.6.0,M10.5.0",
                           "CET-1CEST,M3.0.0,M10.5.0",
                           "CET-1CEST,M3.5.7,M10.5.0",
                           "CET-1CEST,J60,M10.5.0",
                           "CET-1CEST,60,M10.5.0",
                           "CET-1CEST,M3.5.0/-1,M10.5.0",
                           "CET-1CEST,M3.5.0/25,M10.5.0",
                           "CET-1CEST,M3.5.0,M10.5.0x",
                           "CET-1x",
                           "CET-16",
                           "CET-1:60",
                           "CET-1:00:30",
                           "CET-1CEST-17,M3.5.0,M10.5.0",
                           "<CET-1",
                           "<C>-1",
                           "utc",
                           "CET1CEST,M3.5.0,M10.5.0,"}) {
    auto zone = parse_time_zone(text);
    EXPECT_FALSE(zone) << "'" << text << "' parsed";
  }
}

TEST(TimeZone, PosixErrorsAreClear) {
  auto zone = parse_time_zone("CET-1CEST,M13.5.0,M10.5.0");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().message,
            "time zone 'CET-1CEST,M13.5.0,M10.5.0': rule month 13 is out of range 1..12 at "
            "position 11");
  auto missing = parse_time_zone("CET-1CEST");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("expected ','"), std::string::npos);
}

TEST(TimeZone, RuleTimesInUtc) {
  auto zone = parse_time_zone("CET-1CEST,M3.5.0/1Z,M10.5.0/1Z");
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(*zone, TimeZone::central_europe());
  auto uk = parse_time_zone("GMT0BST,M3.5.0/1:00Z,M10.5.0/1");
  ASSERT_TRUE(uk) << uk.error().message;
  EXPECT_EQ(uk->dst_begin, (DstTransition{3, -1, 7, 60, true}));
  EXPECT_EQ(uk->dst_end, (DstTransition{10, -1, 7, 60, false}));
  for (const char* text : {"CET-1CEST,M3.5.0Z,M10.5.0", "CET-1CEST,M3.5.0/1ZZ,M10.5.0", "CET-1Z",
                           "CET-1CEST,M3.5.0/1z,M10.5.0"}) {
    EXPECT_FALSE(parse_time_zone(text)) << "'" << text << "' parsed";
  }
}

TEST(TimeZone, FormatsNamedZones) {
  EXPECT_EQ(format_time_zone(TimeZone::central_europe()), "CET");
  EXPECT_EQ(format_time_zone(TimeZone::utc()), "UTC");
}

TEST(TimeZone, FormatsPosixText) {
  const auto formatted = [](const char* text) {
    auto zone = parse_time_zone(text);
    EXPECT_TRUE(zone) << text << ": " << zone.error().message;
    return zone ? format_time_zone(*zone) : std::string();
  };
  EXPECT_EQ(formatted("EST5EDT,M3.2.0,M11.1.0"), "<-05>5<-04>,M3.2.0/2,M11.1.0/2");
  EXPECT_EQ(formatted("CET-1CEST,M3.5.0/2,M10.5.0/3"), "<+01>-1<+02>,M3.5.0/2,M10.5.0/3");
  EXPECT_EQ(formatted("IST-5:30"), "<+0530>-5:30");
  EXPECT_EQ(formatted("<-0330>3:30"), "<-0330>3:30");
  EXPECT_EQ(formatted("GMT0"), "UTC");  // equal to TimeZone::utc()
  EXPECT_EQ(formatted("LHST-10:30LHDT-11,M10.1.0,M4.1.0"),
            "<+1030>-10:30<+11>-11,M10.1.0/2,M4.1.0/2");
  // Irish time: "winter time" is the negative daylight saving.
  EXPECT_EQ(formatted("IST-1GMT0,M10.5.0,M3.5.0/1"), "<+01>-1<+00>0,M10.5.0/2,M3.5.0/1");
  EXPECT_EQ(formatted("XXX-3YYY,M1.1.1/0:30,M12.4.6/24:59"),
            "<+03>-3<+04>,M1.1.1/0:30,M12.4.6/24:59");
}

TEST(TimeZone, FormatRoundTripsEveryValidZone) {
  const DstTransition transitions[] = {{3, -1, 7, 60, true}, {10, -1, 7, 60, true},
                                       {1, 1, 1, 0, false},  {12, 4, 6, 1499, false},
                                       {4, 2, 3, 150, true}, {9, -1, 5, 0, true}};
  int checked = 0;
  for (const int standard : {-720, -570, -300, 0, 60, 330, 345, 840, 900}) {
    for (const int dst : {-60, 0, 30, 60, 120}) {
      for (const bool enabled : {true, false}) {
        for (const DstTransition& begin : transitions) {
          for (const DstTransition& end : transitions) {
            TimeZone zone = TimeZone::utc();
            zone.standard_offset_min = standard;
            zone.dst_offset_min = dst;
            zone.dst_enabled = enabled;
            zone.dst_begin = begin;
            zone.dst_end = end;
            if (!zone.validate()) continue;
            const std::string text = format_time_zone(zone);
            auto back = parse_time_zone(text);
            ASSERT_TRUE(back) << text << ": " << back.error().message;
            // dst_enabled is not in the text: a switched-off rule comes back switched on.
            const TimeZone plain = TimeZone::utc();
            const bool has_rule = dst != 0 || begin != plain.dst_begin || end != plain.dst_end;
            TimeZone expected = zone;
            expected.dst_enabled = enabled || has_rule;
            ASSERT_EQ(*back, expected) << text;
            EXPECT_EQ(format_time_zone(*back), text);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(TimeZone, FormatKeepsASwitchedOffRule) {
  TimeZone zone = TimeZone::central_europe();
  zone.dst_enabled = false;
  EXPECT_EQ(format_time_zone(zone), "CET");
  auto us = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(us);
  us->dst_enabled = false;
  auto back = parse_time_zone(format_time_zone(*us));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->dst_enabled);
  back->dst_enabled = false;
  EXPECT_EQ(*back, *us);
  // A zone without a rule: a daylight-saving switch that changes nothing still round-trips.
  TimeZone flagged = TimeZone::utc();
  flagged.dst_enabled = true;
  EXPECT_EQ(format_time_zone(flagged), "<+00>0<+00>0,M3.5.0/1Z,M10.5.0/1Z");
  auto flagged_back = parse_time_zone(format_time_zone(flagged));
  ASSERT_TRUE(flagged_back);
  EXPECT_EQ(*flagged_back, flagged);
}

}  // namespace
}  // namespace gridmeter
