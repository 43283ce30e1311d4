// VoltageQualityConfig: the thresholds of the voltage-quality registration (docs/config.md
// [voltage_quality], docs/voltage-quality.md). Defaults are EN 50160's for a 230 V LV supply.
//
//   VoltageQualityConfig config;                 // Udin 230 V, dip 90 %, swell 110 %, ...
//   config.dip_threshold_percent = 85.0;
//   if (Status ok = validate_voltage_quality(config); !ok) fail(ok.error().message);
//
// Every level is a percentage of the declared supply voltage Udin (IEC 61000-4-30 clause
// 5.4.1). With a 3-wire connection the meter sees line-to-line voltages: the levels then
// apply to √3·Udin.
#pragma once

#include "core/result.hpp"

namespace gridmeter {

struct VoltageQualityConfig {
  double declared_voltage_v = 230.0;            // Udin, phase to neutral
  double dip_threshold_percent = 90.0;          // EN 50160 clause 3.20
  double swell_threshold_percent = 110.0;       // EN 50160 clause 3.28
  double interruption_threshold_percent = 5.0;  // EN 50160 clause 3.29
  double hysteresis_percent = 2.0;              // IEC 61000-4-30 clause 5.4.2.1 (typical 2 %)
  double rvc_threshold_percent = 3.0;           // IEC 61000-4-30 clause 5.11 (1..6 %)
  // An RVC ends in a new steady state whose values lie within (rvc_threshold -
  // rvc_hysteresis) of their mean: half the threshold, as class A instruments commonly set it.
  double rvc_hysteresis_percent = 1.5;
  // Over- and undervoltage of the 10-minute mean, two levels each.
  double overvoltage_percent = 110.0;
  double overvoltage_2_percent = 115.0;
  double undervoltage_percent = 90.0;
  double undervoltage_2_percent = 85.0;
  // A supply interruption (and a power failure) at least this long is long (EN 50160 3.17:
  // 3 minutes); 0-0:96.7.20.255.
  int long_interruption_s = 180;

  friend bool operator==(const VoltageQualityConfig&, const VoltageQualityConfig&) = default;
};

// Ranges and order (interruption < dip < 100 < swell; rvc_hysteresis < rvc_threshold; undervoltage
// 2 < 1 < 100 < overvoltage 1 < 2); each error names the key of the config file
// ("voltage_quality.dip_threshold: ...").
Status validate_voltage_quality(const VoltageQualityConfig& config);

}  // namespace gridmeter
