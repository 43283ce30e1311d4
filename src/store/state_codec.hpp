// The parts of the meter's state that the store keeps as opaque blobs: the demand registers'
// running window and the analysis log's running statistics. Fixed layouts of 8-byte words
// (doubles bit for bit), so a restored meter continues exactly where it stopped.
#pragma once

#include <cstdint>  // std::uint64_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"
#include "meter/demand.hpp"

namespace gridmeter::store {

std::vector<std::uint64_t> encode_demand(const DemandState& demand);
// Refuses a blob of the wrong length (a corrupt store), leaving `demand` unchanged.
Status decode_demand(std::span<const std::uint64_t> words, DemandState& demand);

std::vector<std::uint64_t> encode_doubles(std::span<const double> values);
std::vector<double> decode_doubles(std::span<const std::uint64_t> words);

}  // namespace gridmeter::store
