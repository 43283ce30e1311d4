#include "meter/profile.hpp"

#include <algorithm>  // std::copy, std::max
#include <cassert>    // assert
#include <utility>    // std::move

namespace gridmeter {

Profile::Profile(Obis obis, std::vector<CaptureColumn> columns, std::size_t capacity,
                 std::int64_t capture_period_s)
    : obis_(obis),
      columns_(std::move(columns)),
      capacity_(std::max<std::size_t>(capacity, 1)),
      capture_period_s_(capture_period_s),
      stamps_(capacity_),
      values_(capacity_ * columns_.size()) {}

void Profile::push(const EntryStamp& stamp, std::span<const std::int64_t> values) {
  assert(values.size() == width());
  const std::size_t slot = (first_ + size_) % capacity_;
  stamps_[slot] = stamp;
  std::copy(values.begin(), values.end(),
            values_.begin() + static_cast<std::ptrdiff_t>(slot * width()));
  if (size_ < capacity_) {
    ++size_;
  } else {
    first_ = (first_ + 1) % capacity_;
  }
  ++pushed_total_;
}

ProfileEntry Profile::entry(std::size_t index) const {
  assert(index < size_);
  const std::size_t slot = (first_ + index) % capacity_;
  return ProfileEntry{stamps_[slot],
                      std::span<const std::int64_t>(values_).subspan(slot * width(), width())};
}

void Profile::clear() {
  first_ = 0;
  size_ = 0;
}

void Profile::begin_restore(std::uint64_t first_sequence) {
  clear();
  pushed_total_ = first_sequence;
}

bool operator==(const Profile& a, const Profile& b) {
  if (a.obis_ != b.obis_ || a.columns_ != b.columns_ || a.capacity_ != b.capacity_ ||
      a.capture_period_s_ != b.capture_period_s_ || a.size_ != b.size_ ||
      a.pushed_total_ != b.pushed_total_) {
    return false;
  }
  for (std::size_t i = 0; i < a.size_; ++i) {
    const ProfileEntry x = a.entry(i);
    const ProfileEntry y = b.entry(i);
    if (x.stamp != y.stamp || !std::equal(x.values.begin(), x.values.end(), y.values.begin())) {
      return false;
    }
  }
  return true;
}

CaptureColumn clock_column() {
  return CaptureColumn{.obis = Obis{0, 0, 1, 0, 0, 255},
                       .class_id = 8,
                       .attribute = 2,
                       .scaler = 0,
                       .unit = Unit::count,
                       .kind = ColumnKind::date_time,
                       .name = "clock"};
}

const Profile* find_profile(std::span<const Profile* const> profiles, const Obis& obis) {
  for (const Profile* profile : profiles) {
    if (profile->obis() == obis) return profile;
  }
  return nullptr;
}

}  // namespace gridmeter
