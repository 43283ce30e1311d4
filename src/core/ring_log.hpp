// RingLog<Entry, capacity>: the meter's fixed-capacity logs (event logs, profiles).
//
//   RingLog<Event, 200> log;
//   log.push(event);          // when full, the oldest entry is overwritten
//   log[0];                   // oldest entry still held
//   log[log.size() - 1];      // newest entry
//
// Storage is inline: no allocation, ever, so pushing from the meter core is safe in the
// steady state.
#pragma once

#include <array>    // std::array
#include <cassert>  // assert
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t

namespace gridmeter {

template <typename Entry, std::size_t Capacity>
class RingLog {
  static_assert(Capacity > 0, "a log holds at least one entry");

 public:
  static constexpr std::size_t capacity() { return Capacity; }

  // Appends an entry; when the log is full the oldest entry is overwritten.
  void push(const Entry& entry) {
    entries_[(first_ + size_) % Capacity] = entry;
    if (size_ < Capacity) {
      ++size_;
    } else {
      first_ = (first_ + 1) % Capacity;
    }
    ++pushed_total_;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] bool full() const { return size_ == Capacity; }
  // Every entry ever pushed, including those since overwritten (IDIS "entries_in_use" vs
  // a sequence number).
  [[nodiscard]] std::uint64_t pushed_total() const { return pushed_total_; }

  // index 0 is the oldest entry held, size() - 1 the newest.
  const Entry& operator[](std::size_t index) const {
    assert(index < size_);
    return entries_[(first_ + index) % Capacity];
  }
  [[nodiscard]] const Entry& newest() const {
    assert(size_ > 0);
    return (*this)[size_ - 1];
  }

  void clear() {
    first_ = 0;
    size_ = 0;
  }

  // Restores a log from persisted entries, oldest first, keeping the newest Capacity of them.
  template <typename Range>
  void restore(const Range& oldest_first, std::uint64_t pushed_total) {
    clear();
    for (const Entry& entry : oldest_first)
      push(entry);
    pushed_total_ = pushed_total;
  }

 private:
  std::array<Entry, Capacity> entries_{};
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  std::uint64_t pushed_total_ = 0;
};

}  // namespace gridmeter
