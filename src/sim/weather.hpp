// Seeded weather at the house: daily mean temperature (drives the heat pump) and cloud
// transmission (scales the PV output). Pure functions of (seed, day or minute).
//
//   double t_c = daily_mean_temperature_c(seed, local_day);   // about -1 degC in January
//   double sky = cloud_transmission(seed, utc_minute);        // 0.1 (overcast) .. 1.1
//   double w = winter_factor(day_of_year);                    // 1 mid-January, 0 mid-July
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t

namespace gridmeter::sim {

// 1 in mid-January, 0 in mid-July, cosine in between.
double winter_factor(int day_of_year);

// A seasonal mean (about -1 degC in January, 17 degC in July at 55 deg N) plus a
// weather anomaly of several kelvin that persists for a few days.
double daily_mean_temperature_c(std::uint64_t seed, std::int64_t day);

// Fraction of the clear-sky irradiance that reaches the panels in this minute. Each UTC day is
// clear, partly cloudy (passing clouds every few minutes) or overcast, with overcast days more
// likely in winter; values slightly above 1 are cloud-edge enhancement.
double cloud_transmission(std::uint64_t seed, std::int64_t utc_minute);

}  // namespace gridmeter::sim
