// Clock (interface class 8, version 0; IEC 62056-6-2 clause 4.5.1): the meter clock, its time
// zone and daylight-saving rule, 0-0:1.0.0.255. A view of the Meter: reading `time` reads
// Meter::clock_now(), setting it calls Meter::set_clock (which logs events 4 and 5).
//
//   ClockObject clock(access);
//   clock.get(2, std::nullopt);             // octet-string 07EA0107030A000000FFC400
//   clock.set(2, date_time_octets(dt));     // Meter::set_clock(from_cosem(dt, zone))
//   clock.action(6, Data::integer16(60));   // shift_time: one minute ahead
//   clock.set(8, Data::boolean(false));     // Meter::set_dst_enabled(false)
//
// | attr | name | type | access |
// |---|---|---|---|
// | 2 | time | octet-string (12) | read-write |
// | 3 | time_zone | long, minutes, UTC minus local standard time (CET -60) | read-write |
// | 4 | status | unsigned (clock_status of time) | read |
// | 5, 6 | daylight_savings_begin, _end | octet-string (12), yearly rule with wildcards | read |
// | 7 | daylight_savings_deviation | integer, minutes (+60) | read |
// | 8 | daylight_savings_enabled | boolean | read-write |
// | 9 | clock_base | enum (1 internal crystal) | read |
//
// Methods: 1 adjust_to_quarter, 2 adjust_to_measuring_period (the load profile period),
// 3 adjust_to_minute (each to the nearest boundary of local time, half-way rounds up; their
// parameter integer(0) is not checked), 4 adjust_to_preset_time, 5 preset_adjusting_time
// (structure { preset_time, validity_interval_start, validity_interval_end }, octet-strings of
// 12), 6 shift_time (long, -900..900 s). All go through Meter::set_clock, so every adjustment
// is logged and marks the load profile; an adjustment that would not move the clock does
// nothing and logs nothing.
//
// time_zone follows the sign of the date-time deviation (clause 4.1.6.1, UTC minus local: CET
// is -60), so a client can compare the two directly. The preset of method 5 lives in this
// object only: it is forgotten on restart, as a pending head-end command may be.
#pragma once

#include <optional>  // std::optional

#include "core/time.hpp"
#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

inline constexpr Obis clock_obis{0, 0, 1, 0, 0, 255};

class ClockObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 8;
  // shift_time's bounds (clause 4.5.1, method 6).
  static constexpr int shift_limit_s = 900;

  explicit ClockObject(MeterAccess& access, Obis logical_name = clock_obis);

  [[nodiscard]] int attribute_count() const override { return 9; }
  [[nodiscard]] int method_count() const override { return 6; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  struct Preset {
    UtcMicros time = 0;
    UtcMicros valid_from = 0;
    UtcMicros valid_to = 0;
  };

  dlms::DataAccessResult set_time(const dlms::Data& value);
  dlms::DataAccessResult set_time_zone(const dlms::Data& value);
  dlms::ActionResult adjust_to_nearest(std::int64_t period_us);
  dlms::ActionResult adjust_to_preset_time();
  dlms::ActionResult preset_adjusting_time(const std::optional<dlms::Data>& parameters);
  dlms::ActionResult shift_time(const std::optional<dlms::Data>& parameters);

  MeterAccess& access_;
  std::optional<Preset> preset_;
};

}  // namespace gridmeter::cosem
