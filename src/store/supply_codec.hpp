// The supply-control state (meter/supply_state.hpp) as the store keeps it: one blob of
// supply_word_count 8-byte words in a fixed layout (breaker, limiter, credit and token memory,
// tamper inputs, fraud signs, S0 pulse train), so a restarted meter holds its breaker where it
// was, remembers every token it applied and continues its pulse train without losing a pulse.
//
//   std::vector<std::uint64_t> words = encode_supply(state.supply);
//   SupplyState supply;
//   if (Status ok = decode_supply(words, config, supply); !ok) corrupt(ok.error().message);
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"
#include "meter/meter_config.hpp"
#include "meter/supply_state.hpp"

namespace gridmeter::store {

std::vector<std::uint64_t> encode_supply(const SupplyState& supply);

// Refuses (leaving `out` unchanged) a blob of the wrong length or holding a value the meter
// could not have: a state outside the class 70 states, an output that contradicts it, flags
// other than 0 and 1, a token memory with duplicates, a pulse train inconsistent with the
// pulse output's programming in `config`.
Status decode_supply(std::span<const std::uint64_t> words, const MeterConfig& config,
                     SupplyState& out);

}  // namespace gridmeter::store
