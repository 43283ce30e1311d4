// A MeterAccess over a Meter and a Measurement the test owns, and short ways to read objects.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint8_t
#include <optional>     // std::nullopt
#include <span>         // std::span
#include <string>       // std::string, std::stoi
#include <string_view>  // std::string_view
#include <variant>      // std::get_if
#include <vector>       // std::vector

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"
#include "dlms/axdr.hpp"
#include "dlms/data.hpp"
#include "meter/meter.hpp"

namespace gridmeter::cosem::test {

class TestAccess final : public MeterAccess {
 public:
  TestAccess(Connection connection, UtcMicros start) : meter_(connection, start) {}
  Meter& meter() override { return meter_; }
  [[nodiscard]] const Measurement& latest_measurement() const override { return latest_; }

  // Feeds `measurement` to the meter and keeps it as the latest.
  void advance(const Measurement& measurement) {
    meter_.advance(measurement);
    latest_ = measurement;
  }

 private:
  Meter meter_;
  Measurement latest_;
};

// The value of attribute `attribute`; fails the test (and answers null-data) on an error.
inline dlms::Data value_of(const CosemObject& object, int attribute) {
  const dlms::GetDataResult result = object.get(attribute, std::nullopt);
  if (const auto* data = std::get_if<dlms::Data>(&result)) return *data;
  ADD_FAILURE() << "attribute " << attribute
                << " refused: " << to_string(std::get<dlms::DataAccessResult>(result));
  return dlms::Data::null();
}

// The octets of an octet-string attribute (empty when it is not one).
inline std::vector<std::uint8_t> octets_of(const CosemObject& object, int attribute) {
  const dlms::Data value = value_of(object, attribute);
  const auto octets = value.as_octets();
  if (!octets) {
    ADD_FAILURE() << "attribute " << attribute << " is " << to_text(value);
    return {};
  }
  return {octets->begin(), octets->end()};
}

// Octets from hex digits, spaces ignored: hex("12 0FDB") == {0x12, 0x0F, 0xDB}.
inline std::vector<std::uint8_t> hex(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c != ' ') digits += c;
  }
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return bytes;
}

// An octet-string of `octets`: bytes({0, 0, 10, 0, 1, 255}).
inline dlms::Data bytes(const std::vector<std::uint8_t>& octets) {
  return dlms::Data::octets(std::span<const std::uint8_t>(octets.data(), octets.size()));
}

// The A-XDR encoding of an attribute's value (empty, and a failure, when it is refused).
inline std::vector<std::uint8_t> wire(const CosemObject& object, int attribute) {
  const dlms::GetDataResult result = object.get(attribute, std::nullopt);
  const auto* data = std::get_if<dlms::Data>(&result);
  if (data == nullptr) {
    ADD_FAILURE() << "attribute " << attribute
                  << " refused: " << to_string(std::get<dlms::DataAccessResult>(result));
    return {};
  }
  return dlms::encode(*data);
}

// The codes of the standard event log, oldest first.
inline std::vector<std::int64_t> standard_event_codes(const Meter& meter) {
  std::vector<std::int64_t> codes;
  const Profile& log = meter.state().standard_events;
  for (std::size_t i = 0; i < log.size(); ++i)
    codes.push_back(log.entry(i).values[0]);
  return codes;
}

inline dlms::DataAccessResult error_of(const dlms::GetDataResult& result) {
  const auto* error = std::get_if<dlms::DataAccessResult>(&result);
  return error ? *error : dlms::DataAccessResult::success;
}

}  // namespace gridmeter::cosem::test
