// Profile generic (class 7) over a live meter: the buffer's exact A-XDR, capture_objects, the
// counters, and both selective accesses (IEC 62056-6-2 clause 4.3.6).
#include "cosem/profile_generic.hpp"

#include <gtest/gtest.h>

#include <algorithm>  // std::min
#include <cstdint>    // std::uint8_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <variant>    // std::get_if
#include <vector>     // std::vector

#include "core/date_time.hpp"
#include "dlms/axdr.hpp"
#include "dlms/selective_access.hpp"
#include "meter/load_profile.hpp"
#include "meter/meter.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using dlms::DataType;
using test::single_phase;
using test::utc;

// 2026-01-07 (a Wednesday) 10:00 CET.
const UtcMicros start = utc(2026, 1, 7, 9, 0);
const Obis clock_obis{0, 0, 1, 0, 0, 255};

void feed(Meter& meter, UtcMicros from, UtcMicros to, double power_w, double reactive_var) {
  for (UtcMicros t = from; t < to; t += micros_per_minute)
    meter.advance(single_phase(t, power_w, reactive_var, std::min(micros_per_minute, to - t)));
}

// 2 hours at 1 kW and 400 var: 8 quarter-hour entries of +250 Wh and +100 varh each.
Meter two_hours() {
  Meter meter(Connection::single_phase_2w, start);
  feed(meter, start, start + 2 * micros_per_hour, 1000.0, 400.0);
  return meter;
}

ProfileGeneric view(const Meter& meter, Obis obis) {
  return ProfileGeneric(
      obis, [&meter, obis] { return find_profile(meter.profiles(), obis); },
      [&meter]() -> const TimeZone& { return meter.config().zone; });
}

std::vector<std::uint8_t> hex(const std::string& text) {
  std::vector<std::uint8_t> bytes;
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits += c;
  }
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return bytes;
}

Data value_of(const dlms::GetDataResult& result) {
  const Data* data = std::get_if<Data>(&result);
  EXPECT_NE(data, nullptr) << "refused: "
                           << (data ? "" : dlms::to_string(std::get<DataAccessResult>(result)));
  return data ? *data : Data{};
}

std::vector<std::uint8_t> wire(const dlms::GetDataResult& result) {
  return dlms::encode(value_of(result));
}

std::optional<DataAccessResult> refusal(const dlms::GetDataResult& result) {
  if (const auto* reason = std::get_if<DataAccessResult>(&result)) return *reason;
  return std::nullopt;
}

// The COSEM date-time of a local CET wall time on 2026-01-07.
Data cet(int hour, int minute) {
  const auto bytes =
      to_cosem(utc(2026, 1, 7, hour - 1, minute), TimeZone::central_europe()).encode();
  return Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}

dlms::CaptureObjectDefinition clock_object() { return {8, clock_obis, 2, 0}; }
dlms::CaptureObjectDefinition a_plus_object() { return {3, Obis{1, 0, 1, 8, 0, 255}, 2, 0}; }

dlms::AccessSelection range(Data from, Data to,
                            std::vector<dlms::CaptureObjectDefinition> selected = {},
                            dlms::CaptureObjectDefinition restricting = clock_object()) {
  return dlms::to_access_selection(dlms::RangeDescriptor{.restricting_object = restricting,
                                                         .from_value = std::move(from),
                                                         .to_value = std::move(to),
                                                         .selected_values = std::move(selected)});
}

dlms::AccessSelection entries(std::uint32_t from, std::uint32_t to, std::uint16_t from_column = 1,
                              std::uint16_t to_column = 0) {
  return dlms::to_access_selection(dlms::EntryDescriptor{.from_entry = from,
                                                         .to_entry = to,
                                                         .from_selected_value = from_column,
                                                         .to_selected_value = to_column});
}

// The clock octet-string of an entry: 09 0C and the 12 octets.
std::string clock_hex(int hour, int minute) {
  return "09 0C 07 EA 01 07 03 " + std::string{"0123456789ABCDEF"[hour / 16]} +
         "0123456789ABCDEF"[hour % 16] + " " + "0123456789ABCDEF"[minute / 16] +
         "0123456789ABCDEF"[minute % 16] + " 00 00 FF C4 00";
}

TEST(ProfileGeneric, LoadProfileBufferHoldsEightEntriesWithTheExactFirstEntry) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  const Data buffer = value_of(profile.get(2, std::nullopt));
  ASSERT_EQ(buffer.type(), DataType::array);
  ASSERT_EQ(buffer.elements().size(), 8U);
  // {clock 2026-01-07 10:15 CET (deviation -60, status 0), status unsigned 0,
  //  A+ 250 Wh, A- 0, R+ 100 varh, R- 0 as double-long-unsigned}.
  EXPECT_EQ(dlms::encode(buffer.elements()[0]),
            hex("02 06  09 0C 07 EA 01 07 03 0A 0F 00 00 FF C4 00  11 00"
                "  06 000000FA  06 00000000  06 00000064  06 00000000"));
  // The last: 12:00, 2 kWh and 800 varh.
  EXPECT_EQ(dlms::encode(buffer.elements()[7]),
            hex("02 06  09 0C 07 EA 01 07 03 0C 00 00 00 FF C4 00  11 00"
                "  06 000007D0  06 00000000  06 00000320  06 00000000"));
  // The whole buffer is the array of those structures.
  const std::vector<std::uint8_t> all = wire(profile.get(2, std::nullopt));
  EXPECT_EQ(std::vector<std::uint8_t>(all.begin(), all.begin() + 2), hex("01 08"));
}

TEST(ProfileGeneric, TheBufferIsAViewOfTheLiveProfile) {
  Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(7, std::nullopt)), hex("06 00000008"));
  feed(meter, start + 2 * micros_per_hour, start + 2 * micros_per_hour + 15 * micros_per_minute,
       1000.0, 400.0);
  EXPECT_EQ(wire(profile.get(7, std::nullopt)), hex("06 00000009"));
  EXPECT_EQ(value_of(profile.get(2, std::nullopt)).elements().size(), 9U);
}

TEST(ProfileGeneric, CaptureObjectsAreTheClockThenEachColumn) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(3, std::nullopt)),
            hex("01 06"
                "  02 04 12 0008 09 06 0000010000FF 0F 02 12 0000"     // clock time
                "  02 04 12 0001 09 06 0000600A01FF 0F 02 12 0000"     // status word
                "  02 04 12 0003 09 06 0100010800FF 0F 02 12 0000"     // A+
                "  02 04 12 0003 09 06 0100020800FF 0F 02 12 0000"     // A-
                "  02 04 12 0003 09 06 0100030800FF 0F 02 12 0000"     // R+
                "  02 04 12 0003 09 06 0100040800FF 0F 02 12 0000"));  // R-
}

TEST(ProfileGeneric, ScalarAttributes) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(1, std::nullopt)), hex("09 06 0100630100FF"));
  EXPECT_EQ(wire(profile.get(4, std::nullopt)), hex("06 00000384"));  // 900 s
  EXPECT_EQ(wire(profile.get(5, std::nullopt)), hex("16 01"));        // fifo
  // sort_object undefined: entries are in capture order (fifo).
  EXPECT_EQ(wire(profile.get(6, std::nullopt)),
            hex("02 04 12 0000 09 06 000000000000 0F 00 12 0000"));
  EXPECT_EQ(wire(profile.get(7, std::nullopt)), hex("06 00000008"));
  EXPECT_EQ(wire(profile.get(8, std::nullopt)), hex("06 00002280"));  // 96 × 92
  EXPECT_EQ(profile.class_id(), 7);
  EXPECT_EQ(profile.version(), 1);
  EXPECT_EQ(refusal(profile.get(9, std::nullopt)), DataAccessResult::object_undefined);
}

TEST(ProfileGeneric, EverythingIsReadOnlyAndTheMethodsAreRefused) {
  const Meter meter = two_hours();
  ProfileGeneric profile = view(meter, load_profile_obis);
  for (int attribute = 1; attribute <= 8; ++attribute) {
    EXPECT_EQ(profile.set(attribute, Data::unsigned32(1)), DataAccessResult::read_write_denied)
        << attribute;
  }
  EXPECT_EQ(profile.action(1, Data::integer8(0)).result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(profile.action(2, Data::integer8(0)).result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(profile.action(3, Data::integer8(0)).result, dlms::ActionResult::object_undefined);
  EXPECT_EQ(value_of(profile.get(7, std::nullopt)), Data::unsigned32(8));
}

TEST(ProfileGeneric, OnlyTheBufferTakesASelection) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_TRUE(profile.selective_access(2));
  EXPECT_FALSE(profile.selective_access(3));
  EXPECT_EQ(refusal(profile.get(3, entries(1, 0))), DataAccessResult::other_reason);
}

TEST(ProfileGeneric, RangeDescriptorSelectsByClockBothBoundsIncluded) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  const Data selected = value_of(profile.get(2, range(cet(10, 30), cet(11, 0))));
  ASSERT_EQ(selected.elements().size(), 3U);
  const Data all = value_of(profile.get(2, std::nullopt));
  EXPECT_EQ(selected.elements()[0], all.elements()[1]);  // 10:30
  EXPECT_EQ(selected.elements()[2], all.elements()[3]);  // 11:00
  EXPECT_EQ(dlms::encode(selected.elements()[1].elements()[0]), hex(clock_hex(10, 45)));
}

TEST(ProfileGeneric, RangeBoundsWithoutDeviationAreLocalTimeInTheMeterZone) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  CosemDateTime from{.year = 2026, .month = 1, .day = 7, .hour = 10, .minute = 30, .second = 0};
  CosemDateTime to = from;
  to.hour = 11;
  to.minute = 0;
  const auto f = from.encode();
  const auto t = to.encode();
  const Data selected = value_of(
      profile.get(2, range(Data::octets(std::span<const std::uint8_t>(f.data(), f.size())),
                           Data::octets(std::span<const std::uint8_t>(t.data(), t.size())))));
  EXPECT_EQ(selected.elements().size(), 3U);
}

TEST(ProfileGeneric, RangeOutsideTheEntriesIsEmptyAndReversedBoundsSelectNothing) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(2, range(cet(14, 0), cet(15, 0)))), hex("01 00"));
  EXPECT_EQ(wire(profile.get(2, range(cet(11, 0), cet(10, 0)))), hex("01 00"));
}

TEST(ProfileGeneric, RangeWithSelectedValuesGivesThoseColumnsInTheOrderListed) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  const Data selected =
      value_of(profile.get(2, range(cet(10, 30), cet(11, 0), {clock_object(), a_plus_object()})));
  ASSERT_EQ(selected.elements().size(), 3U);
  EXPECT_EQ(dlms::encode(selected.elements()[0]),
            hex("02 02 " + clock_hex(10, 30) + " 06 000001F4"));
  // In the order listed, the clock need not be there.
  const Data swapped = value_of(profile.get(2, range(cet(10, 30), cet(10, 30), {a_plus_object()})));
  EXPECT_EQ(wire(swapped), hex("01 01 02 01 06 000001F4"));
}

TEST(ProfileGeneric, RangeRefusesOtherRestrictingObjectsWildcardsAndUnknownColumns) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  // Restricted by the status word: only the clock is supported (other_reason, documented).
  EXPECT_EQ(refusal(profile.get(2, range(Data::unsigned8(0), Data::unsigned8(255), {},
                                         {1, Obis{0, 0, 96, 10, 1, 255}, 2, 0}))),
            DataAccessResult::other_reason);
  // The clock with a data_index is not the clock's time.
  EXPECT_EQ(refusal(profile.get(2, range(cet(10, 30), cet(11, 0), {}, {8, clock_obis, 2, 1}))),
            DataAccessResult::other_reason);
  // A wildcard hour.
  CosemDateTime any_hour = *cet(10, 30).as_date_time();
  any_hour.hour = CosemDateTime::not_specified;
  const auto w = any_hour.encode();
  EXPECT_EQ(
      refusal(profile.get(
          2, range(Data::octets(std::span<const std::uint8_t>(w.data(), w.size())), cet(11, 0)))),
      DataAccessResult::other_reason);
  // Not a date-time at all.
  EXPECT_EQ(refusal(profile.get(2, range(Data::unsigned32(0), cet(11, 0)))),
            DataAccessResult::type_unmatched);
  // A column the profile does not capture.
  EXPECT_EQ(refusal(profile.get(
                2, range(cet(10, 30), cet(11, 0), {{3, Obis{1, 0, 9, 8, 0, 255}, 2, 0}}))),
            DataAccessResult::other_reason);
  // An unknown selector.
  EXPECT_EQ(refusal(profile.get(2, dlms::AccessSelection{3, Data::null()})),
            DataAccessResult::other_reason);
}

TEST(ProfileGeneric, EntryDescriptorSelectsEntriesAndColumnsFromOne) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(2, entries(2, 4, 1, 2))),
            hex("01 03  02 02 " + clock_hex(10, 30) + " 11 00  02 02 " + clock_hex(10, 45) +
                " 11 00  02 02 " + clock_hex(11, 0) + " 11 00"));
  // Columns 3..3: A+ alone.
  EXPECT_EQ(wire(profile.get(2, entries(1, 1, 3, 3))), hex("01 01 02 01 06 000000FA"));
}

TEST(ProfileGeneric, EntryDescriptorZeroMeansTheLastAndBeyondTheEndIsEmpty) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, load_profile_obis);
  const Data all = value_of(profile.get(2, std::nullopt));
  const Data last_two = value_of(profile.get(2, entries(7, 0)));
  ASSERT_EQ(last_two.elements().size(), 2U);
  EXPECT_EQ(last_two.elements()[1], all.elements()[7]);
  // to_entry beyond the end is the last; so is to_selected_value beyond the columns.
  EXPECT_EQ(value_of(profile.get(2, entries(7, 100, 1, 100))), last_two);
  EXPECT_EQ(value_of(profile.get(2, entries(1, 0, 1, 0))), all);
  // from_entry beyond the entries in use: an empty array, not an error.
  EXPECT_EQ(wire(profile.get(2, entries(9, 0))), hex("01 00"));
  EXPECT_EQ(wire(profile.get(2, entries(100, 200))), hex("01 00"));
  // A first column beyond the capture objects cannot be answered.
  EXPECT_EQ(refusal(profile.get(2, entries(1, 0, 7, 0))), DataAccessResult::other_reason);
}

TEST(ProfileGeneric, AnEmptyProfileHasAnEmptyBuffer) {
  const Meter meter(Connection::single_phase_2w, start);
  const ProfileGeneric profile = view(meter, load_profile_obis);
  EXPECT_EQ(wire(profile.get(2, std::nullopt)), hex("01 00"));
  EXPECT_EQ(wire(profile.get(2, entries(1, 0))), hex("01 00"));
  EXPECT_EQ(wire(profile.get(7, std::nullopt)), hex("06 00000000"));
}

TEST(ProfileGeneric, AMissingProfileIsUnavailable) {
  const Meter meter = two_hours();
  const ProfileGeneric profile = view(meter, Obis{1, 0, 99, 1, 1, 255});  // analysis log is off
  EXPECT_EQ(refusal(profile.get(2, std::nullopt)), DataAccessResult::object_unavailable);
  EXPECT_EQ(refusal(profile.get(7, std::nullopt)), DataAccessResult::object_unavailable);
  EXPECT_EQ(wire(profile.get(1, std::nullopt)), hex("09 06 0100630101FF"));
}

TEST(ProfileGeneric, EventLogCarriesEventCodesAsLongUnsigned) {
  Meter meter = two_hours();
  meter.shift_clock(micros_per_hour);  // 12:00 → 13:00 CET
  const ProfileGeneric log = view(meter, standard_event_log_obis);
  EXPECT_EQ(wire(log.get(3, std::nullopt)),
            hex("01 02  02 04 12 0008 09 06 0000010000FF 0F 02 12 0000"
                "  02 04 12 0001 09 06 0000600B00FF 0F 02 12 0000"));
  EXPECT_EQ(wire(log.get(4, std::nullopt)), hex("06 00000000"));  // event driven
  // Clock adjusted: old time (4) at 12:00, new time (5) at 13:00.
  EXPECT_EQ(
      wire(log.get(2, std::nullopt)),
      hex("01 02  02 02 " + clock_hex(12, 0) + " 12 0004  02 02 " + clock_hex(13, 0) + " 12 0005"));
  EXPECT_EQ(wire(log.get(8, std::nullopt)), hex("06 000000C8"));  // 200
}

TEST(ProfileGeneric, BillingProfileDateTimeColumnsAreOctetStringsOrNullData) {
  Meter meter = two_hours();
  meter.billing_reset();
  const ProfileGeneric billing = view(meter, billing_profile_obis);
  const Profile& profile = meter.state().billing_profile;
  ASSERT_EQ(profile.size(), 1U);
  const Data row = value_of(billing.get(2, std::nullopt)).elements()[0];
  ASSERT_EQ(row.elements().size(), profile.width() + 1);
  // Billing period counter 1, A+ 2000 Wh.
  EXPECT_EQ(row.elements()[1], Data::unsigned32(1));
  EXPECT_EQ(row.elements()[2], Data::unsigned32(2000));
  const auto position = [&](const Obis& obis, int attribute) {
    for (std::size_t i = 0; i < profile.width(); ++i) {
      if (profile.columns()[i].obis == obis && profile.columns()[i].attribute == attribute) {
        return i + 1;
      }
    }
    ADD_FAILURE() << "no column";
    return std::size_t{0};
  };
  // Maximum demand A+ total: 1000 W as double-long, its capture time as octet-string[12].
  const Obis a_plus_max{1, 0, 1, 6, 0, 255};
  EXPECT_EQ(row.elements()[position(a_plus_max, 2)], Data::integer32(1000));
  const Data time = row.elements()[position(a_plus_max, 5)];
  ASSERT_EQ(time.type(), DataType::octet_string);
  ASSERT_EQ(time.as_octets()->size(), 12U);
  const ProfileEntry entry = profile.entry(0);
  const std::size_t index = position(a_plus_max, 5) - 1;
  EXPECT_EQ(from_cosem(*time.as_date_time(), TimeZone::central_europe()).value(),
            entry.values[index]);
  EXPECT_EQ(time.as_date_time()->deviation, -60);
  // Tariffs not in force had no demand period: their maximum demand and its time were never
  // set, and travel as null-data; every date-time that was set is an octet-string[12].
  std::size_t null_times = 0;
  for (std::size_t i = 0; i < profile.width(); ++i) {
    const Data& value = row.elements()[i + 1];
    if (entry.values[i] == null_value) {
      EXPECT_EQ(dlms::encode(value), hex("00")) << profile.columns()[i].name;
      if (profile.columns()[i].kind == ColumnKind::date_time) ++null_times;
    } else if (profile.columns()[i].kind == ColumnKind::date_time) {
      EXPECT_EQ(value.as_octets()->size(), 12U) << profile.columns()[i].name;
    }
  }
  EXPECT_GT(null_times, 0U);
  const std::size_t t8 = position(Obis{1, 0, 1, 6, 8, 255}, 5);
  ASSERT_EQ(entry.values[t8 - 1], null_value);
  EXPECT_EQ(row.elements()[t8], Data::null());
  EXPECT_EQ(row.elements()[t8 - 1], Data::null());  // its value
}

TEST(ProfileGeneric, ColumnTypesFollowWhatTheColumnHolds) {
  const TimeZone zone = TimeZone::central_europe();
  CaptureColumn energy;
  energy.obis = Obis{1, 0, 1, 8, 0, 255};
  energy.unit = Unit::watt_hour;
  const CaptureColumn status = profile_status_column();
  const CaptureColumn event = event_log_columns(Obis{0, 0, 96, 11, 0, 255})[0];
  CaptureColumn demand;
  demand.obis = Obis{1, 0, 1, 6, 0, 255};
  demand.class_id = 4;
  demand.unit = Unit::watt;
  EXPECT_EQ(column_type(energy), DataType::unsigned32);
  EXPECT_EQ(column_type(status), DataType::unsigned8);
  EXPECT_EQ(column_type(event), DataType::unsigned16);
  EXPECT_EQ(column_type(demand), DataType::integer32);
  // Values beyond the column's type widen instead of being cut.
  EXPECT_EQ(column_value(energy, 4'294'967'296, zone), Data::unsigned64(4'294'967'296));
  EXPECT_EQ(column_value(status, 300, zone), Data::unsigned64(300));
  EXPECT_EQ(column_value(demand, -5, zone), Data::integer32(-5));
  EXPECT_EQ(column_value(demand, -3'000'000'000, zone), Data::integer64(-3'000'000'000));
  EXPECT_EQ(column_value(demand, 3'000'000'000, zone), Data::integer64(3'000'000'000));
  EXPECT_EQ(column_value(energy, null_value, zone), Data::null());
}

TEST(ProfileGeneric, EntryClockUsesTheStampOffsetAndStatus) {
  // 2026-07-01 12:00 CEST: deviation -120, daylight_saving_active.
  const EntryStamp summer{
      .time_utc_us = utc(2026, 7, 1, 10, 0), .utc_offset_min = 120, .clock_status = 0x80};
  EXPECT_EQ(dlms::encode(entry_clock(summer)), hex("09 0C 07 EA 07 01 03 0C 00 00 00 FF 88 80"));
}

}  // namespace
}  // namespace gridmeter::cosem
