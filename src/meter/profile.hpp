// Profile: the buffer of a DLMS Profile generic object (IEC 62056-6-2 clause 4.3.6, class 7),
// the one shape of every log and profile the meter keeps: load profile, analysis log, billing
// profile, event logs.
//
//   Profile log(obis, {event_code_column()}, /*capacity=*/200, /*capture_period_s=*/0);
//   log.push({.time_utc_us = t, .utc_offset_min = 60, .clock_status = 0}, values);
//   for (std::size_t i = 0; i < log.size(); ++i) {
//     ProfileEntry e = log.entry(i);                 // oldest first
//     e.values[0];                                    // scaled integer of column 0
//   }
//
// Every entry is stamped by the meter clock: the first capture object of a class 7 buffer is
// the Clock (0-0:1.0.0.255 attribute 2), held here as the entry's time, deviation and clock
// status rather than as a value column. The other capture objects are integer columns with a
// scaler and unit (the Register's scaler_unit), or date-times (a maximum demand's capture
// time); `null_value` marks a value that was not available (a gap is never filled with a fake
// number). Storage is allocated once, at construction: push() never allocates, and a full
// buffer overwrites its oldest entry (sort_method FIFO).
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <limits>       // std::numeric_limits
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "core/time.hpp"
#include "meter/units.hpp"

namespace gridmeter {

// A value not available (no measurement in the interval, a register not kept).
inline constexpr std::int64_t null_value = std::numeric_limits<std::int64_t>::min();

enum class ColumnKind : std::uint8_t {
  integer = 0,    // value × 10^scaler in `unit`
  date_time = 1,  // UTC microseconds (a capture time); null_value when not set
};

// capture_object_definition (class 7 attribute 3) plus what a reader needs to show it.
struct CaptureColumn {
  Obis obis;
  std::uint16_t class_id = 3;  // Register
  std::int8_t attribute = 2;   // value
  std::int8_t scaler = 0;
  Unit unit = Unit::count;
  ColumnKind kind = ColumnKind::integer;
  std::string name;  // short label for reports, e.g. "A+" or "U L1 avg"
  friend bool operator==(const CaptureColumn&, const CaptureColumn&) = default;
};

// The clock part of an entry: a COSEM date-time's instant, offset and clock status
// (IEC 62056-6-2 clause 4.1.6.1; the COSEM deviation is the negated offset).
struct EntryStamp {
  UtcMicros time_utc_us = 0;        // meter clock
  std::int16_t utc_offset_min = 0;  // local minus UTC when captured, minutes (+60 for CET)
  std::uint8_t clock_status = 0;    // clock_status bits (ClockStatus in meter_clock.hpp)
  friend constexpr bool operator==(const EntryStamp&, const EntryStamp&) = default;
};

struct ProfileEntry {
  EntryStamp stamp;
  std::span<const std::int64_t> values;  // one per column
};

class Profile {
 public:
  Profile() = default;
  // `capacity` entries (profile_entries, attribute 8), at least 1; `capture_period_s`
  // (attribute 4) is 0 for an event-driven log.
  Profile(Obis obis, std::vector<CaptureColumn> columns, std::size_t capacity,
          std::int64_t capture_period_s);

  [[nodiscard]] const Obis& obis() const { return obis_; }
  [[nodiscard]] const std::vector<CaptureColumn>& columns() const { return columns_; }
  [[nodiscard]] std::size_t width() const { return columns_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] std::int64_t capture_period_s() const { return capture_period_s_; }
  // entries_in_use (attribute 7).
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  // Entries ever pushed (also those since overwritten): entry i has sequence number
  // pushed_total() - size() + i, which the store uses to append only what is new.
  [[nodiscard]] std::uint64_t pushed_total() const { return pushed_total_; }
  [[nodiscard]] std::uint64_t first_sequence() const { return pushed_total_ - size_; }

  // `values` must have width() elements. Overwrites the oldest entry when full.
  void push(const EntryStamp& stamp, std::span<const std::int64_t> values);
  // Index 0 is the oldest entry held.
  [[nodiscard]] ProfileEntry entry(std::size_t index) const;
  [[nodiscard]] ProfileEntry newest() const { return entry(size_ - 1); }
  // The entry with sequence number `sequence` (first_sequence() .. pushed_total() - 1).
  [[nodiscard]] ProfileEntry at_sequence(std::uint64_t sequence) const {
    return entry(static_cast<std::size_t>(sequence - first_sequence()));
  }

  // Class 7 method 1 (reset): empties the buffer; the sequence keeps counting.
  void clear();
  // Restores the buffer from persisted entries: call begin_restore with the sequence number
  // of the first entry that follows, then restore_push each entry, oldest first.
  void begin_restore(std::uint64_t first_sequence);
  void restore_push(const EntryStamp& stamp, std::span<const std::int64_t> values) {
    push(stamp, values);
  }

  friend bool operator==(const Profile& a, const Profile& b);

 private:
  Obis obis_{};
  std::vector<CaptureColumn> columns_;
  std::size_t capacity_ = 0;
  std::int64_t capture_period_s_ = 0;
  std::vector<EntryStamp> stamps_;    // capacity_
  std::vector<std::int64_t> values_;  // capacity_ × width()
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  std::uint64_t pushed_total_ = 0;
};

// The clock column every profile starts with (0-0:1.0.0.255, class 8, attribute 2), for
// exports and the DLMS capture_objects list.
CaptureColumn clock_column();

// The profile whose OBIS is `obis`, among `profiles`; nullptr if none.
const Profile* find_profile(std::span<const Profile* const> profiles, const Obis& obis);

}  // namespace gridmeter
