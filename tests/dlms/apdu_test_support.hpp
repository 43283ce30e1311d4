// Helpers the xDLMS service APDU tests share: hex octets, and the checks every example gets
// (exact round trip, every truncation refused, a trailing octet refused).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gridmeter::dlms::apdu_testing {

using Octets = std::vector<std::uint8_t>;

// "C0 01 ..." -> octets; spaces and anything else that is not a hex digit are ignored.
inline Octets hex(std::string_view text) {
  Octets out;
  int high = -1;
  for (char c : text) {
    int nibble = -1;
    if (c >= '0' && c <= '9') nibble = c - '0';
    if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    if (nibble < 0) continue;
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + nibble));
      high = -1;
    }
  }
  EXPECT_EQ(high, -1) << "odd number of hex digits in " << text;
  return out;
}

// Decodes `bytes` as Apdu and checks both round trips: the model re-encodes to `bytes`, and
// the re-encoding decodes to the same model. Returns the model (default-built on failure).
template <typename Apdu>
Apdu expect_exact(const Octets& bytes) {
  auto decoded = Apdu::decode(bytes);
  EXPECT_TRUE(decoded) << (decoded ? "" : decoded.error().message);
  if (!decoded) return Apdu{};
  EXPECT_EQ(decoded->encode(), bytes);
  auto again = Apdu::decode(decoded->encode());
  EXPECT_TRUE(again && *again == *decoded);
  return *decoded;
}

// Every proper prefix of `bytes` is refused with a message, and so is `bytes` plus one octet.
template <typename Decode>
void expect_only_whole_apdu(const Octets& bytes, Decode decode) {
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    auto result = decode(std::span<const std::uint8_t>(bytes.data(), size));
    EXPECT_FALSE(result) << "prefix of " << size << " octets decoded";
    if (!result) {
      EXPECT_FALSE(result.error().message.empty());
    }
  }
  Octets longer = bytes;
  longer.push_back(0x00);
  auto result = decode(std::span<const std::uint8_t>(longer));
  EXPECT_FALSE(result) << "a trailing octet was accepted";
}

template <typename Apdu>
void expect_only_whole(const Octets& bytes) {
  expect_only_whole_apdu(bytes,
                         [](std::span<const std::uint8_t> prefix) { return Apdu::decode(prefix); });
}

}  // namespace gridmeter::dlms::apdu_testing
