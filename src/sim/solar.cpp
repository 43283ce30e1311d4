#include "sim/solar.hpp"

#include <algorithm>  // std::clamp, std::max, std::min
#include <cmath>      // std::acos, std::cos, std::pow, std::sin

#include "sim/local_time.hpp"

namespace gridmeter::sim {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double degree = pi / 180.0;

// Spencer-style approximations, good to a fraction of a degree: plenty for a load model.
SolarDay solar_day_at(double day_of_year) {
  const double b = 2.0 * pi * (day_of_year - 81.0) / 364.0;
  const double equation_of_time_min =
      9.87 * std::sin(2.0 * b) - 7.53 * std::cos(b) - 1.5 * std::sin(b);
  const double declination_rad =
      -23.44 * degree * std::cos(2.0 * pi * (day_of_year + 10.0) / 365.25);
  return SolarDay{declination_rad, equation_of_time_min / 60.0};
}

}  // namespace

SolarDay solar_day(std::int64_t utc_day) { return solar_day_at(day_of_year(utc_day) + 0.5); }

SunPosition sun_position(UtcMicros utc) {
  return sun_position(utc, solar_day(floor_div(utc, micros_per_day)));
}

SunPosition sun_position(UtcMicros utc, const SolarDay& solar) {
  const std::int64_t day = floor_div(utc, micros_per_day);
  const double hour_utc = static_cast<double>(utc - day * micros_per_day) / micros_per_hour;
  const double solar_time_h = hour_utc + site_longitude_deg / 15.0 + solar.equation_of_time_h;
  const double hour_angle = (solar_time_h - 12.0) * 15.0 * degree;
  const double lat = site_latitude_deg * degree;
  const double cos_dec = std::cos(solar.declination_rad);
  const double sin_dec = std::sin(solar.declination_rad);
  const double cos_h = std::cos(hour_angle);
  return SunPosition{
      .east = -cos_dec * std::sin(hour_angle),
      .north = std::cos(lat) * sin_dec - std::sin(lat) * cos_dec * cos_h,
      .up = std::sin(lat) * sin_dec + std::cos(lat) * cos_dec * cos_h,
  };
}

DayLength day_length(std::int64_t utc_day) {
  const SolarDay solar = solar_day(utc_day);
  const double lat = site_latitude_deg * degree;
  const double cos_h0 =
      (std::sin(-0.833 * degree) - std::sin(lat) * std::sin(solar.declination_rad)) /
      (std::cos(lat) * std::cos(solar.declination_rad));
  const double half_day_h = std::acos(std::clamp(cos_h0, -1.0, 1.0)) / degree / 15.0;
  const double noon_utc_h = 12.0 - site_longitude_deg / 15.0 - solar.equation_of_time_h;
  return DayLength{(noon_utc_h - half_day_h) * 3600.0, (noon_utc_h + half_day_h) * 3600.0};
}

double clear_sky_pv_fraction(const SunPosition& sun) {
  if (sun.up <= 0.0) return 0.0;
  const double elevation_deg = std::asin(std::min(sun.up, 1.0)) / degree;
  // Kasten and Young (1989) air mass; finite at the horizon.
  const double air_mass = 1.0 / (sun.up + 0.50572 * std::pow(elevation_deg + 6.07995, -1.6364));
  const double direct_normal_w_m2 = 1353.0 * std::pow(0.7, std::pow(air_mass, 0.678));
  // The panel's normal points south (-north) and up.
  const double tilt = pv_tilt_deg * degree;
  const double cos_incidence = sun.up * std::cos(tilt) - sun.north * std::sin(tilt);
  const double beam_w_m2 = direct_normal_w_m2 * std::max(0.0, cos_incidence);
  const double diffuse_w_m2 = 0.12 * direct_normal_w_m2 * sun.up * (1.0 + std::cos(tilt)) / 2.0;
  return 0.82 * (beam_w_m2 + diffuse_w_m2) / 1000.0;
}

}  // namespace gridmeter::sim
