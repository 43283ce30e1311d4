#include "meter/token_memory.hpp"

#include <algorithm>  // std::min_element, std::find
#include <cassert>    // assert

namespace gridmeter {

TokenCheck TokenMemory::check(std::uint64_t id) const {
  if (id <= floor_) return TokenCheck::too_old;
  const auto held = ids();
  return std::find(held.begin(), held.end(), id) != held.end() ? TokenCheck::replayed
                                                               : TokenCheck::fresh;
}

void TokenMemory::remember(std::uint64_t id) {
  assert(check(id) == TokenCheck::fresh);
  if (size_ == capacity) {
    // Forget the oldest (smallest) identifier, the new one included; it and everything below
    // it stay refused.
    auto* smallest = std::min_element(ids_.begin(), ids_.end());
    if (id < *smallest) {
      floor_ = id;
    } else {
      floor_ = *smallest;
      *smallest = id;
    }
    return;
  }
  ids_[size_++] = id;
}

bool TokenMemory::restore(std::span<const std::uint64_t> ids, std::uint64_t floor) {
  if (ids.size() > capacity) return false;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] <= floor) return false;
    if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), ids[i]) !=
        ids.begin() + static_cast<std::ptrdiff_t>(i)) {
      return false;
    }
  }
  ids_ = {};
  std::copy(ids.begin(), ids.end(), ids_.begin());
  size_ = ids.size();
  floor_ = floor;
  return true;
}

}  // namespace gridmeter
