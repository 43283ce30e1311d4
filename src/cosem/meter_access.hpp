// MeterAccess: how COSEM objects reach the meter they are a view of. The application's
// MeterSession implements it over the running meter and its latest measurement; tests implement
// it over a Meter and a Measurement of their own.
//
//   struct TestAccess final : MeterAccess {
//     Meter& meter() override { return meter_; }
//     const Measurement& latest_measurement() const override { return latest_; }
//     Meter meter_{Connection::single_phase_2w, start};
//     Measurement latest_;
//   };
//   ObjectList objects = build_meter_objects(access, DeviceIdentity{});
//
// Objects keep a reference to the MeterAccess, never a copy of a value: every GET reads the
// meter as it is now ("COSEM is a view, not a copy", shared/ARCHITECTURE.md). The MeterAccess
// must therefore outlive every object bound to it.
#pragma once

#include "meter/measurement.hpp"
#include "meter/meter.hpp"

namespace gridmeter::cosem {

class MeterAccess {
 public:
  virtual ~MeterAccess() = default;

  // The meter whose registers and clock the objects expose; clock and DST operations of the
  // Clock object call into it.
  virtual Meter& meter() = 0;
  // The most recent measurement interval (instantaneous values, 1-0:C.7.0.255). Before the first
  // one, a default Measurement (all zero).
  [[nodiscard]] virtual const Measurement& latest_measurement() const = 0;

 protected:
  MeterAccess() = default;
  MeterAccess(const MeterAccess&) = default;
  MeterAccess& operator=(const MeterAccess&) = default;
};

}  // namespace gridmeter::cosem
