// Special days table (interface class 11, version 0; IEC 62056-6-2 clause 4.5.4),
// 0-0:11.0.0.255: the dates on which a day profile replaces the week profile's, a view of
// MeterConfig::calendar.special_days (meter/activity_calendar.hpp). The table is one for both
// calendars: its day ids must exist in the active and (when programmed) the passive calendar.
//
//   SpecialDaysTableObject table(access);
//   table.get(2, std::nullopt);   // array { structure { long-unsigned 1,
//                                 //   octet-string FFFF0C19FF (every 25 December), unsigned 2 } }
//   table.action(1, entry);       // insert (or replace: same index or same date)
//   table.action(2, Data::unsigned16(1));   // delete index 1
//
// Attribute 2 `entries`: array of spec_day_entry ::= structure { index long-unsigned,
// specialday_date octet-string (SIZE(5)), a COSEM date, year 0xFFFF for every year, day_id
// unsigned }; read-write (the whole table). Methods 1 `insert` (spec_day_entry): an entry with
// the same index or the same date as an existing one replaces it (in its place), as the Blue
// Book says; 2 `delete` (long-unsigned index), other_reason when no entry has that index.
//
// Every change builds the new table in a copy of meter.config(), validates the whole
// programming (MeterConfig::validate: at most 64 entries, unique indexes, real dates, no two
// entries on the same day, day ids of both calendars) and programs it (Meter::configure, event
// "parameters changed"). Wrong types answer type_unmatched; anything the meter would not
// accept other_reason, and then nothing changes. Dates the calendar cannot hold (month or day
// wildcards, "last day of the month", a weekday on a recurring date) are other_reason too.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

inline constexpr Obis special_days_table_obis{0, 0, 11, 0, 0, 255};

class SpecialDaysTableObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 11;

  explicit SpecialDaysTableObject(MeterAccess& access, Obis logical_name = special_days_table_obis);

  [[nodiscard]] int attribute_count() const override { return 2; }
  [[nodiscard]] int method_count() const override { return 2; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  dlms::DataAccessResult insert(const std::optional<dlms::Data>& parameters);
  dlms::DataAccessResult erase(const std::optional<dlms::Data>& parameters);

  MeterAccess& access_;
};

}  // namespace gridmeter::cosem
