// Counter-based noise: every random number in the simulation is a hash of (seed, stream, index),
// so any value can be recomputed for any instant without replaying a generator from the start.
//
//   std::uint64_t bits = hash_key(seed, stream_id, interval_index);
//   double u = unit_from_bits(bits);                 // [0, 1)
//   double e = signed_from_bits16(bits >> 16);       // [-1, 1)
//   double drift = value_noise(seed, stream_voltage, minute, 20);  // smooth, [-1, 1]
//   StreamRng rng(hash_key(seed, stream_fridge, day));  // a short-lived sequence for one day
//   double minutes = rng.uniform(15.0, 25.0);
#pragma once

#include <cstdint>  // std::uint64_t

#include "sim/local_time.hpp"

namespace gridmeter::sim {

// The splitmix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix with full avalanche,
// a handful of cycles, so it is cheap enough to call once per measurement interval.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hashes a (seed, stream, index) triple. Nesting the mix keeps (a, b) and (b, a) apart.
constexpr std::uint64_t hash_key(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

// Signed indices (days, minutes before 1970) hash by their two's-complement bit pattern.
constexpr std::uint64_t hash_key(std::uint64_t seed, std::uint64_t stream, std::int64_t index) {
  return hash_key(seed, stream, static_cast<std::uint64_t>(index));
}

// The top 53 bits as a double in [0, 1).
constexpr double unit_from_bits(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

// The low 16 bits as a double in [-1, 1): four independent small noises per 64-bit hash.
constexpr double signed_from_bits16(std::uint64_t bits) {
  return static_cast<double>(static_cast<std::int32_t>(bits & 0xffffU) - 32768) * 0x1.0p-15;
}

// Smooth random variation over `position` (minutes, days, ...): hashed knots every `spacing`,
// joined by smoothstep, in [-1, 1]. A pure function of its arguments, so a slow random walk
// can be evaluated at any instant without integrating from the start.
inline double value_noise(std::uint64_t seed, std::uint64_t stream, std::int64_t position,
                          std::int64_t spacing) {
  const std::int64_t knot = floor_div(position, spacing);
  const double frac = static_cast<double>(position - knot * spacing) / static_cast<double>(spacing);
  const double eased = frac * frac * (3.0 - 2.0 * frac);
  const double left = 2.0 * unit_from_bits(hash_key(seed, stream, knot)) - 1.0;
  const double right = 2.0 * unit_from_bits(hash_key(seed, stream, knot + 1)) - 1.0;
  return left + (right - left) * eased;
}

// A splitmix64 sequence for building one day's schedule: seeded from a hash_key, used and
// dropped, so it never carries state from one day (or one call) into another.
class StreamRng {
 public:
  explicit StreamRng(std::uint64_t key) : state_(key) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  double unit() { return unit_from_bits(next()); }
  double uniform(double low, double high) { return low + (high - low) * unit(); }
  bool chance(double probability) { return unit() < probability; }
  // An integer in [low, high].
  int integer(int low, int high) {
    const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(high) - low + 1);
    return low + static_cast<int>(next() % span);
  }

 private:
  std::uint64_t state_;
};

}  // namespace gridmeter::sim
