// TokenMemory: which top-up tokens the meter has applied, so that none is applied twice.
//
//   TokenMemory tokens;
//   tokens.check(1001);        // TokenCheck::fresh
//   tokens.remember(1001);
//   tokens.check(1001);        // TokenCheck::replayed
//
// A meter's memory is bounded, so it keeps the most recent `capacity` token identifiers and a
// floor: when it must forget one, it forgets the smallest and refuses every identifier at or
// below it from then on. Vending systems number tokens in increasing order (as STS, IEC
// 62055-41, numbers its token identifiers), so tokens bought together may arrive in any order
// within the window while an old token can never come back. Fixed size, no allocation.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <span>     // std::span

namespace gridmeter {

enum class TokenCheck : std::uint8_t {
  fresh,     // never applied: may be applied
  replayed,  // applied before
  too_old,   // at or below the floor: older than every token the meter remembers
};

class TokenMemory {
 public:
  static constexpr std::size_t capacity = 64;

  [[nodiscard]] TokenCheck check(std::uint64_t id) const;
  // Remembers `id` (which check() found fresh), forgetting the smallest when full.
  void remember(std::uint64_t id);

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::uint64_t floor() const { return floor_; }
  // The identifiers remembered, in no particular order.
  [[nodiscard]] std::span<const std::uint64_t> ids() const { return {ids_.data(), size_}; }

  // Restores a persisted memory; false (and no change) when `ids` is longer than capacity,
  // holds 0 or duplicates, or an identifier at or below `floor`.
  bool restore(std::span<const std::uint64_t> ids, std::uint64_t floor);

  friend bool operator==(const TokenMemory&, const TokenMemory&) = default;

 private:
  std::array<std::uint64_t, capacity> ids_{};
  std::size_t size_ = 0;
  std::uint64_t floor_ = 0;  // every id <= floor_ is refused (0 is never a token)
};

}  // namespace gridmeter
