#include "sim/weather.hpp"

#include <cmath>  // std::cos

#include "sim/hash_noise.hpp"
#include "sim/local_time.hpp"

namespace gridmeter::sim {

namespace {

constexpr double pi = 3.14159265358979323846;

// Streams keep the weather's random numbers apart from each other and from the household's.
constexpr std::uint64_t stream_temperature_slow = 0x7e3a01;
constexpr std::uint64_t stream_temperature_day = 0x7e3a02;
constexpr std::uint64_t stream_sky_type = 0x5c1001;
constexpr std::uint64_t stream_sky_knot = 0x5c1002;
constexpr std::uint64_t stream_sky_slow = 0x5c1003;

constexpr std::int64_t minutes_per_day = 1440;
constexpr std::int64_t cloud_knot_minutes = 4;

enum class Sky { clear, partly_cloudy, overcast };

struct SkyDay {
  Sky sky = Sky::clear;
  double cloud_cover = 0.0;  // share of partly cloudy knots under a cloud
};

SkyDay sky_of_day(std::uint64_t seed, std::int64_t day) {
  const double winter = winter_factor(day_of_year(day));
  const std::uint64_t bits = hash_key(seed, stream_sky_type, day);
  const double u = unit_from_bits(bits);
  const double p_overcast = 0.22 + 0.30 * winter;
  const double p_clear = 0.28 - 0.14 * winter;
  if (u < p_overcast) return SkyDay{Sky::overcast, 1.0};
  if (u < p_overcast + p_clear) return SkyDay{Sky::clear, 0.0};
  return SkyDay{Sky::partly_cloudy, 0.25 + 0.5 * unit_from_bits(mix64(bits))};
}

std::int64_t day_of_knot(std::int64_t knot) {
  return floor_div(knot * cloud_knot_minutes, minutes_per_day);
}

// `day` is sky_of_day() of day_of_knot(knot).
double knot_transmission(std::uint64_t seed, std::int64_t knot, const SkyDay& day) {
  const std::int64_t minute = knot * cloud_knot_minutes;
  const std::uint64_t bits = hash_key(seed, stream_sky_knot, knot);
  // Thick and thin stretches of cloud drift over in about an hour.
  const double slow = value_noise(seed, stream_sky_slow, minute, 60);
  switch (day.sky) {
    case Sky::overcast:
      return 0.24 + 0.10 * slow + 0.03 * signed_from_bits16(bits);
    case Sky::clear:
      return 0.95 + 0.03 * slow + 0.01 * signed_from_bits16(bits);
    case Sky::partly_cloudy:
      break;
  }
  const bool shaded = unit_from_bits(bits) < day.cloud_cover;
  const double within = unit_from_bits(mix64(bits));
  return shaded ? 0.25 + 0.25 * within : 0.95 + 0.12 * within;
}

}  // namespace

double winter_factor(int day_of_year) {
  return 0.5 + 0.5 * std::cos(2.0 * pi * (day_of_year - 15) / 365.25);
}

double daily_mean_temperature_c(std::uint64_t seed, std::int64_t day) {
  const double seasonal_c = 8.0 - 9.0 * (2.0 * winter_factor(day_of_year(day)) - 1.0);
  // Weather systems last several days; single days wander a little around them.
  const double spell_c = 4.0 * value_noise(seed, stream_temperature_slow, day, 5);
  const double day_c = 1.2 * signed_from_bits16(hash_key(seed, stream_temperature_day, day));
  return seasonal_c + spell_c + day_c;
}

double cloud_transmission(std::uint64_t seed, std::int64_t utc_minute) {
  const std::int64_t knot = floor_div(utc_minute, cloud_knot_minutes);
  const double frac = static_cast<double>(utc_minute - knot * cloud_knot_minutes) /
                      static_cast<double>(cloud_knot_minutes);
  // Both knots nearly always fall on the same day: classify it once.
  const std::int64_t left_day = day_of_knot(knot);
  const SkyDay left_sky = sky_of_day(seed, left_day);
  const std::int64_t right_day = day_of_knot(knot + 1);
  const SkyDay right_sky = right_day == left_day ? left_sky : sky_of_day(seed, right_day);
  const double left = knot_transmission(seed, knot, left_sky);
  const double right = knot_transmission(seed, knot + 1, right_sky);
  return left + (right - left) * frac;
}

}  // namespace gridmeter::sim
