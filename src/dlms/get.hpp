// The GET service APDUs with logical name referencing (IEC 62056-5-3, the DLMS Green Book's
// Get-Request and Get-Response): reading attributes, one, several, or one too long for a PDU
// in blocks.
//
//   GetRequestNormal request;                                  // the clock's time
//   request.attribute = {8, Obis{0, 0, 1, 0, 0, 255}, 2};
//   request.encode();              // C0 01 C1 00 08 00 00 01 00 00 FF 02 00
//
//   GetResponseNormal response;
//   response.invoke = request.invoke;                          // the answer echoes it
//   response.result = Data::octets(CosemDateTime{...}.encode());
//   response.encode();             // C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00
//
//   Result<GetResponseNormal> got = GetResponseNormal::decode(wire);
//   if (auto* failed = std::get_if<DataAccessResult>(&got->result)) { ... }
//
// A long value travels in blocks: the server answers the first GET with a
// Get-Response-With-Datablock holding raw-data (a slice of the value's A-XDR encoding, block 1),
// the client asks for each next one with Get-Request-Next naming the block it received, and the
// last block says so. Each decode takes the whole APDU and refuses octets after it; the Data
// values inside are bounded by the DecodeLimits.
#pragma once

#include <cstdint>      // std::uint8_t, std::uint32_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string_view>  // std::string_view
#include <variant>      // std::variant
#include <vector>       // std::vector

#include "core/result.hpp"
#include "dlms/axdr.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

inline constexpr std::uint8_t get_request_tag = 0xC0;
inline constexpr std::uint8_t get_response_tag = 0xC4;

// Get-Request-Normal: one attribute, optionally with selective access.
struct GetRequestNormal {
  static constexpr std::uint8_t tag = get_request_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Get-Request-Normal";

  InvokeIdAndPriority invoke;
  CosemAttributeDescriptor attribute;
  std::optional<AccessSelection> access;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetRequestNormal> decode(std::span<const std::uint8_t> bytes,
                                         const DecodeLimits& limits = {});
  friend bool operator==(const GetRequestNormal&, const GetRequestNormal&) = default;
};

// Get-Request-Next: the block the client received last; the server sends the one after it.
struct GetRequestNext {
  static constexpr std::uint8_t tag = get_request_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Get-Request-Next";

  InvokeIdAndPriority invoke;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetRequestNext> decode(std::span<const std::uint8_t> bytes,
                                       const DecodeLimits& limits = {});
  friend bool operator==(const GetRequestNext&, const GetRequestNext&) = default;
};

// Get-Request-With-List: several attributes at once (conformance multiple-references).
struct GetRequestWithList {
  static constexpr std::uint8_t tag = get_request_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Get-Request-With-List";

  InvokeIdAndPriority invoke;
  std::vector<AttributeWithSelection> attributes;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetRequestWithList> decode(std::span<const std::uint8_t> bytes,
                                           const DecodeLimits& limits = {});
  friend bool operator==(const GetRequestWithList&, const GetRequestWithList&) = default;
};

// Get-Response-Normal: the value, or why it could not be read.
struct GetResponseNormal {
  static constexpr std::uint8_t tag = get_response_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Get-Response-Normal";

  InvokeIdAndPriority invoke;
  GetDataResult result;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetResponseNormal> decode(std::span<const std::uint8_t> bytes,
                                          const DecodeLimits& limits = {});
  friend bool operator==(const GetResponseNormal&, const GetResponseNormal&) = default;
};

// DataBlock-G: one block of a long GET answer, or why the transfer stopped (for example
// long-get-aborted, or data-block-number-invalid for a Get-Request-Next out of step).
struct DataBlockG {
  static constexpr std::uint8_t raw_data_choice = 0;
  static constexpr std::uint8_t data_access_result_choice = 1;

  bool last_block = false;
  std::uint32_t block_number = 1;
  std::variant<std::vector<std::uint8_t>, DataAccessResult> result;

  friend bool operator==(const DataBlockG&, const DataBlockG&) = default;
};

// Get-Response-With-Datablock.
struct GetResponseWithDatablock {
  static constexpr std::uint8_t tag = get_response_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Get-Response-With-Datablock";

  InvokeIdAndPriority invoke;
  DataBlockG block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetResponseWithDatablock> decode(std::span<const std::uint8_t> bytes,
                                                 const DecodeLimits& limits = {});
  friend bool operator==(const GetResponseWithDatablock&,
                         const GetResponseWithDatablock&) = default;
};

// Get-Response-With-List: one result for each attribute of the request, in its order.
struct GetResponseWithList {
  static constexpr std::uint8_t tag = get_response_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Get-Response-With-List";

  InvokeIdAndPriority invoke;
  std::vector<GetDataResult> results;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<GetResponseWithList> decode(std::span<const std::uint8_t> bytes,
                                            const DecodeLimits& limits = {});
  friend bool operator==(const GetResponseWithList&, const GetResponseWithList&) = default;
};

}  // namespace gridmeter::dlms
