// The voltage-quality state (meter/voltage_quality.hpp) as the store keeps it: one blob of
// 8-byte words in a fixed layout (detectors in progress, recent Urms(1/2) values, aggregates,
// weekly statistics, counters), so a restarted meter goes on exactly where it stopped.
//
//   std::vector<std::uint64_t> words = encode_voltage_quality(state.voltage_quality);
//   VoltageQualityState vq;
//   if (Status ok = decode_voltage_quality(words, vq); !ok) corrupt(ok.error().message);
#pragma once

#include <cstdint>  // std::uint64_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"
#include "meter/voltage_quality.hpp"

namespace gridmeter::store {

std::vector<std::uint64_t> encode_voltage_quality(const VoltageQualityState& state);

// The layout of stores written before the single harmonics (no marker word, no harmonics):
// what decode_voltage_quality still reads. Kept for the tests of reading such stores.
std::vector<std::uint64_t> encode_voltage_quality_without_harmonics(
    const VoltageQualityState& state);

// Reads either layout (the newer starts with a marker word). Refuses (leaving `out` unchanged) a
// blob of the wrong length or holding a value the meter could not have: a flag other than 0 and 1,
// a phase set beyond L1..L3, an index past its ring, a non-finite number, an instant beyond ±2^60
// µs. The error names the first such field.
Status decode_voltage_quality(std::span<const std::uint64_t> words, VoltageQualityState& out);

}  // namespace gridmeter::store
