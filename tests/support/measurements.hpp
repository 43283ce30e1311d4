// Measurements of known content for meter tests.
#pragma once

#include <cstdint>

#include "core/civil_time.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"

namespace gridmeter::test {

inline constexpr std::int64_t interval_us = 200'000;

// One phase at 230 V with the given P and Q; S, I and PF follow.
PhaseMeasurement phase(double p_w, double q_var = 0.0);

// A single-phase interval of `duration_us` from `start` at constant P and Q.
Measurement single_phase(UtcMicros start, double p_w, double q_var = 0.0,
                         std::int64_t duration_us = interval_us);

// A UTC instant from calendar fields.
UtcMicros utc(int year, int month, int day, int hour, int minute, int second = 0);

}  // namespace gridmeter::test
