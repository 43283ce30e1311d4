// Helpers for the waveform input tests: write bytes to files, read a whole source, build
// little-endian byte strings.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "metrology/samples.hpp"

namespace gridmeter::metrology::input_test {

using Bytes = std::vector<std::uint8_t>;

inline void write_file(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline void write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

inline void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void put_i16(Bytes& out, std::int16_t v) { put_u16(out, static_cast<std::uint16_t>(v)); }
inline void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<std::uint8_t>((v >> shift) & 0xFFU));
}
inline void put_i32(Bytes& out, std::int32_t v) { put_u32(out, static_cast<std::uint32_t>(v)); }
inline void put_i24(Bytes& out, std::int32_t v) {
  const auto bits = static_cast<std::uint32_t>(v);
  for (int shift = 0; shift < 24; shift += 8)
    out.push_back(static_cast<std::uint8_t>((bits >> shift) & 0xFFU));
}
inline void put_f32(Bytes& out, float v) { put_u32(out, std::bit_cast<std::uint32_t>(v)); }
inline void put_f64(Bytes& out, double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  put_u32(out, static_cast<std::uint32_t>(bits & 0xFFFFFFFFU));
  put_u32(out, static_cast<std::uint32_t>(bits >> 32));
}
inline void put_text(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

// Every sample of every slot, and how many instants.
struct Collected {
  std::array<std::vector<float>, channel_count> slots;
  std::size_t count = 0;
  [[nodiscard]] const std::vector<float>& operator[](Channel slot) const {
    return slots[static_cast<std::size_t>(slot)];
  }
};

// Reads `source` to its end with a buffer of `capacity`; fails the test on an error.
inline Collected read_all(SampleSource& source, std::size_t capacity = 4096) {
  Collected all;
  SampleBuffer buffer(capacity);
  for (;;) {
    auto got = source.read(buffer);
    EXPECT_TRUE(got) << (got ? "" : got.error().message);
    if (!got || *got == 0) break;
    EXPECT_EQ(*got, buffer.count());
    for (std::size_t slot = 0; slot < channel_count; ++slot) {
      const float* values = buffer.channel(static_cast<Channel>(slot));
      all.slots[slot].insert(all.slots[slot].end(), values, values + *got);
    }
    all.count += *got;
  }
  return all;
}

// Reads until an error and returns its message ("" when the source ends without one).
inline std::string read_error(SampleSource& source, std::size_t capacity = 4096) {
  SampleBuffer buffer(capacity);
  for (;;) {
    auto got = source.read(buffer);
    if (!got) return got.error().message;
    if (*got == 0) return "";
  }
}

}  // namespace gridmeter::metrology::input_test
