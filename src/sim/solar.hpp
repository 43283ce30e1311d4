// The sun over the simulated house (55 deg N, 10 deg E: northern Germany / Denmark, on CET) and
// what a south-facing rooftop PV array makes of it under a clear sky.
//
//   SunPosition sun = sun_position(t);        // unit vector towards the sun, from UTC
//   SolarDay today = solar_day(utc_day);       // or, many times a day: per-day part once,
//   SunPosition same = sun_position(t, today);  // then one sin/cos per position
//   bool daylight = sun.up > 0.0;             // up = sine of the elevation
//   double fraction = clear_sky_pv_fraction(sun);  // of the array's peak power, 0..~0.9
//   DayLength light = day_length(utc_day);    // sunrise, sunset in seconds after 00:00 UTC
//
// The sun runs on UTC (solar time = UTC + longitude + equation of time); only people use CET.
#pragma once

#include <cstdint>  // std::int64_t

#include "core/time.hpp"

namespace gridmeter::sim {

inline constexpr double site_latitude_deg = 55.0;
inline constexpr double site_longitude_deg = 10.0;
inline constexpr double pv_tilt_deg = 35.0;  // a typical pitched roof, facing south

// The sun's declination and the equation of time, which change little within a day: computed
// once per UTC day, they leave one sine and cosine per sun position.
struct SolarDay {
  double declination_rad = 0.0;
  double equation_of_time_h = 0.0;  // apparent minus mean solar time
};

SolarDay solar_day(std::int64_t utc_day);

struct SunPosition {
  double east = 0.0;
  double north = 0.0;
  double up = 0.0;  // sine of the elevation; <= 0 at night
};

// `day` must be solar_day() of the UTC day holding `utc`.
SunPosition sun_position(UtcMicros utc, const SolarDay& day);
SunPosition sun_position(UtcMicros utc);

struct DayLength {
  double sunrise_utc_s = 0.0;  // seconds after 00:00 UTC of the day
  double sunset_utc_s = 0.0;
};

// Upper limb on the horizon, with standard refraction (-0.833 deg).
DayLength day_length(std::int64_t utc_day);

// Output of the array under a clear sky, as a fraction of its rated peak power: direct beam
// through an air-mass-dependent atmosphere (Meinel) on the tilted plane, plus isotropic diffuse
// light, less 18 % for heat, soiling, wiring and inverter losses.
double clear_sky_pv_fraction(const SunPosition& sun);

}  // namespace gridmeter::sim
