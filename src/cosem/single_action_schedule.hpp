// Single action schedule (interface class 22, version 0; IEC 62056-6-2 clause 4.5.7),
// 0-0:15.0.0.255, end of billing period: when the meter runs the billing script
// (0-0:10.0.1.255 script 1, Meter::billing_reset). A view of MeterConfig::billing: monthly on
// `day` at `hour` local time.
//
//   SingleActionSchedule schedule(access);
//   schedule.get(4, std::nullopt);   // array { structure { octet-string 00000000 (00:00:00),
//                                    //   octet-string FFFFFF01FF (day 1 of every month) } }
//   schedule.set(4, six_on_the_fifth);   // { 06000000, FFFFFF05FF }: Meter::configure
//
// | attr | name | type | access |
// |---|---|---|---|
// | 2 | executed_script | structure { script_logical_name, script_selector } | read |
// | 3 | type | enum | read |
// | 4 | execution_time | array of structure { time, date } | read-write |
//
// executed_script is {octet-string 0-0:10.0.1.255, long-unsigned 1}; type is 1 (one
// execution_time, wildcards in the date allowed); time is an octet-string (4), date an
// octet-string (5).
//
// execution_time holds one entry: the time `hour`:00:00.00 and the date year, month and
// weekday not specified, day `day`. A write is accepted when it maps onto the billing
// programming: exactly one entry, a whole hour (minute and second 0, hundredths 0 or not
// specified), a date with year, month and weekday not specified and day 1..28 (a day every
// month has); it is then programmed through Meter::configure (event "parameters changed").
// Wrong types answer type_unmatched; any other schedule (several dates, a given month, the
// last day of the month, minutes) other_reason, and nothing changes.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

inline constexpr Obis end_of_billing_schedule_obis{0, 0, 15, 0, 0, 255};

class SingleActionSchedule final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 22;
  // type (attribute 3): 1, size of execution_time = 1, wildcards in the date allowed.
  static constexpr std::uint8_t type_single_time_wildcard_date = 1;

  explicit SingleActionSchedule(MeterAccess& access,
                                Obis logical_name = end_of_billing_schedule_obis);

  [[nodiscard]] int attribute_count() const override { return 4; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;

 private:
  MeterAccess& access_;
};

}  // namespace gridmeter::cosem
