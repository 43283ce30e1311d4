// add_voltage_quality_objects: the COSEM objects of the voltage-quality registration
// (docs/dlms.md "Voltage quality", docs/voltage-quality.md): the IDIS-style counters of sags
// and swells per phase (1-0:32.32.0.255, 1-0:32.36.0.255, ... for L2 52 and L3 72), power
// failures in any phase and long power failures (0-0:96.7.21.255, 0-0:96.7.9.255) with the
// long-failure threshold (0-0:96.7.20.255), power failures per phase with the time of the last
// (0-0:96.7.1/2/3.255), the dip, swell and interruption thresholds (1-0:12.31.0.255,
// 1-0:12.35.0.255, 1-0:12.39.0.255; these and 0-0:96.7.20.255 writable) and the last event's
// columns of the voltage quality log (0-0:96.11.4.255, 0-0:128.5.e.255). The log itself
// (0-0:99.98.4.255) is a Profile generic like the other logs (add_profile_objects).
#pragma once

#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"

namespace gridmeter::cosem {

void add_voltage_quality_objects(ObjectList& list, MeterAccess& access);

}  // namespace gridmeter::cosem
