// ProfileGeneric: interface class 7, version 1 (IEC 62056-6-2 clause 4.3.6, "Profile generic"),
// the DLMS view of one of the meter's profiles and logs (meter/profile.hpp). It holds no entries
// of its own: every GET reads the live Profile through a getter, so a capture the meter made a
// moment ago is already in the buffer (ARCHITECTURE.md: "COSEM is a view, not a copy").
//
//   ProfileGeneric load_profile(
//       Obis{1, 0, 99, 1, 0, 255},
//       [&meter] { return find_profile(meter.profiles(), Obis{1, 0, 99, 1, 0, 255}); },
//       [&meter]() -> const TimeZone& { return meter.config().zone; });
//   load_profile.get(7, std::nullopt);         // entries_in_use: double-long-unsigned 8
//   const dlms::EntryDescriptor second_to_fourth{.from_entry = 2, .to_entry = 4};
//   load_profile.get(2, dlms::to_access_selection(second_to_fourth));
//       // array of 3 structures { octet-string[12] clock, unsigned status,
//       //                         double-long-unsigned A+, ... }
//
// Attributes (all read-only in this step):
//   1 logical_name       octet-string[6]        (CosemObject)
//   2 buffer             array of structure     one per entry, oldest first; selective access
//                                               by range_descriptor (1) and entry_descriptor (2)
//   3 capture_objects    array of capture_object_definition: the clock, then each column
//   4 capture_period     double-long-unsigned   seconds; 0 for an event-driven log
//   5 sort_method        enum                   1 (fifo): entries in the order captured
//   6 sort_object        capture_object_definition, empty (class 0, all-zero name): see .cpp
//   7 entries_in_use     double-long-unsigned
//   8 profile_entries    double-long-unsigned
// Methods 1 reset and 2 capture are refused (read_write_denied) for now.
//
// Types in the buffer (column_type()): the clock and date-time columns are octet-strings of 12
// (a COSEM date-time, as the Blue Book carries clock values); integer columns take the type a
// client expects for what they hold:
//   energies (Wh, varh, VAh)                     double-long-unsigned
//   profile status words (0-0:96.10.x.255)       unsigned
//   event codes (0-0:96.11.x.255)                long-unsigned
//   other counts (billing period counter)        double-long-unsigned
//   credit (0-0:128.0.0.255, token log)          double-long
//   token identifier (0-0:128.0.4.255)           long64-unsigned
//   everything else (W demand, V, A, var, PF)    double-long
// A value that does not fit its column's type widens to long64-unsigned (not negative) or
// long64, rather than being cut; null_value is null-data in every column.
#pragma once

#include <cstddef>     // std::size_t
#include <cstdint>     // std::int64_t, std::uint16_t, std::uint8_t
#include <functional>  // std::function
#include <optional>    // std::optional
#include <vector>      // std::vector

#include "core/obis.hpp"
#include "core/time_zone.hpp"
#include "cosem/cosem_object.hpp"
#include "dlms/data.hpp"
#include "dlms/selective_access.hpp"
#include "dlms/xdlms_common.hpp"
#include "meter/profile.hpp"

namespace gridmeter::cosem {

// Declared here, defined by the object list (cosem/object_list.hpp, cosem/meter_access.hpp).
class ObjectList;
class MeterAccess;

// Adds one ProfileGeneric per profile the meter keeps (Meter::profiles()), each reading its
// profile by OBIS through `access`, which must outlive `list`. A profile switched on later (the
// analysis log, by new programming) gets its object when the list is built again.
void add_profile_objects(ObjectList& list, MeterAccess& access);

// The DLMS type a column's integer values travel as (see the table above); date-time columns
// answer octet_string.
dlms::DataType column_type(const CaptureColumn& column);
// One value of a column: null-data for null_value, a date-time column as octet-string[12] in
// `zone`, an integer in column_type() or wider when it does not fit.
dlms::Data column_value(const CaptureColumn& column, std::int64_t value, const TimeZone& zone);
// The clock of an entry as octet-string[12]: local time at the entry's own offset, deviation
// its negation (UTC minus local), the entry's clock_status.
dlms::Data entry_clock(const EntryStamp& stamp);
// A column as capture_object_definition (data_index 0: the whole attribute).
dlms::CaptureObjectDefinition capture_object(const CaptureColumn& column);

class ProfileGeneric final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_profile_generic = 7;
  static constexpr std::uint8_t class_version = 1;

  // Reads the live profile (nullptr when the meter no longer keeps it: attributes other than
  // logical_name then answer object_unavailable) and the meter's time zone, which interprets
  // the bounds of a range_descriptor that carry no deviation.
  using ProfileGetter = std::function<const Profile*()>;
  using ZoneGetter = std::function<const TimeZone&()>;

  ProfileGeneric(Obis logical_name, ProfileGetter profile, ZoneGetter zone);

  [[nodiscard]] int attribute_count() const override { return 8; }
  [[nodiscard]] int method_count() const override { return 2; }
  [[nodiscard]] bool selective_access(int attribute) const override { return attribute == 2; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  [[nodiscard]] dlms::GetDataResult buffer(
      const Profile& profile, const std::optional<dlms::AccessSelection>& selection) const;
  [[nodiscard]] dlms::GetDataResult buffer_by_range(const Profile& profile,
                                                    const dlms::RangeDescriptor& range) const;
  [[nodiscard]] dlms::GetDataResult buffer_by_entry(const Profile& profile,
                                                    const dlms::EntryDescriptor& entries) const;
  // Entry `index` as a structure of the capture objects at `positions` (0 the clock, n the
  // profile's column n - 1).
  [[nodiscard]] dlms::Data row(const Profile& profile, std::size_t index,
                               const std::vector<std::size_t>& positions) const;

  ProfileGetter profile_;
  ZoneGetter zone_;
};

}  // namespace gridmeter::cosem
