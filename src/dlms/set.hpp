// The SET service APDUs with logical name referencing (IEC 62056-5-3, the DLMS Green Book's
// Set-Request and Set-Response): writing attributes, one, several, or a value too long for a
// PDU in blocks.
//
//   SetRequestNormal request;                      // reset an energy register's value
//   request.attribute = {3, Obis{1, 0, 1, 8, 0, 255}, 2};
//   request.value = Data::unsigned32(0);
//   request.encode();          // C1 01 C1 00 03 01 00 01 08 00 FF 02 00 06 00 00 00 00
//
//   SetResponseNormal response{request.invoke, DataAccessResult::read_write_denied};
//   response.encode();         // C5 01 C1 03
//
// A long value travels in blocks of DataBlock-SA: Set-Request-With-First-Datablock (or
// -With-List-And-First-Datablock) carries block 1 with the descriptors, Set-Request-With-
// Datablock each later one. The server acknowledges each block but the last with
// Set-Response-Datablock and answers the last with Set-Response-Last-Datablock (-With-List).
// Each decode takes the whole APDU and refuses octets after it.
#pragma once

#include <cstdint>      // std::uint8_t, std::uint32_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "dlms/axdr.hpp"
#include "dlms/data.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

inline constexpr std::uint8_t set_request_tag = 0xC1;
inline constexpr std::uint8_t set_response_tag = 0xC5;

// Set-Request-Normal: one attribute and its new value.
struct SetRequestNormal {
  static constexpr std::uint8_t tag = set_request_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Set-Request-Normal";

  InvokeIdAndPriority invoke;
  CosemAttributeDescriptor attribute;
  std::optional<AccessSelection> access;
  Data value;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetRequestNormal> decode(std::span<const std::uint8_t> bytes,
                                         const DecodeLimits& limits = {});
  friend bool operator==(const SetRequestNormal&, const SetRequestNormal&) = default;
};

// Set-Request-With-First-Datablock: one attribute and the first block of its value.
struct SetRequestWithFirstDatablock {
  static constexpr std::uint8_t tag = set_request_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Set-Request-With-First-Datablock";

  InvokeIdAndPriority invoke;
  CosemAttributeDescriptor attribute;
  std::optional<AccessSelection> access;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetRequestWithFirstDatablock> decode(std::span<const std::uint8_t> bytes,
                                                     const DecodeLimits& limits = {});
  friend bool operator==(const SetRequestWithFirstDatablock&,
                         const SetRequestWithFirstDatablock&) = default;
};

// Set-Request-With-Datablock: a later block of the value (or values) being written.
struct SetRequestWithDatablock {
  static constexpr std::uint8_t tag = set_request_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Set-Request-With-Datablock";

  InvokeIdAndPriority invoke;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetRequestWithDatablock> decode(std::span<const std::uint8_t> bytes,
                                                const DecodeLimits& limits = {});
  friend bool operator==(const SetRequestWithDatablock&, const SetRequestWithDatablock&) = default;
};

// One attribute of Set-Request-With-List with its value. On the wire the descriptors come first
// and the values after them; keeping them paired here means the counts cannot disagree.
struct SetListItem {
  CosemAttributeDescriptor attribute;
  std::optional<AccessSelection> access;
  Data value;

  friend bool operator==(const SetListItem&, const SetListItem&) = default;
};

// Set-Request-With-List: several attributes and their values (multiple-references). Decoding
// refuses a value-list whose count differs from the descriptor list's.
struct SetRequestWithList {
  static constexpr std::uint8_t tag = set_request_tag;
  static constexpr std::uint8_t choice = 4;
  static constexpr std::string_view name = "Set-Request-With-List";

  InvokeIdAndPriority invoke;
  std::vector<SetListItem> items;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetRequestWithList> decode(std::span<const std::uint8_t> bytes,
                                           const DecodeLimits& limits = {});
  friend bool operator==(const SetRequestWithList&, const SetRequestWithList&) = default;
};

// Set-Request-With-List-And-First-Datablock: several attributes and the first block of their
// values (the raw data are the A-XDR value-list: its count, then the values).
struct SetRequestWithListAndFirstDatablock {
  static constexpr std::uint8_t tag = set_request_tag;
  static constexpr std::uint8_t choice = 5;
  static constexpr std::string_view name = "Set-Request-With-List-And-First-Datablock";

  InvokeIdAndPriority invoke;
  std::vector<AttributeWithSelection> attributes;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetRequestWithListAndFirstDatablock> decode(std::span<const std::uint8_t> bytes,
                                                            const DecodeLimits& limits = {});
  friend bool operator==(const SetRequestWithListAndFirstDatablock&,
                         const SetRequestWithListAndFirstDatablock&) = default;
};

// Set-Response-Normal: the outcome of one SET.
struct SetResponseNormal {
  static constexpr std::uint8_t tag = set_response_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Set-Response-Normal";

  InvokeIdAndPriority invoke;
  DataAccessResult result = DataAccessResult::success;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetResponseNormal> decode(std::span<const std::uint8_t> bytes,
                                          const DecodeLimits& limits = {});
  friend bool operator==(const SetResponseNormal&, const SetResponseNormal&) = default;
};

// Set-Response-Datablock: block `block_number` arrived; send the next.
struct SetResponseDatablock {
  static constexpr std::uint8_t tag = set_response_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Set-Response-Datablock";

  InvokeIdAndPriority invoke;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetResponseDatablock> decode(std::span<const std::uint8_t> bytes,
                                             const DecodeLimits& limits = {});
  friend bool operator==(const SetResponseDatablock&, const SetResponseDatablock&) = default;
};

// Set-Response-Last-Datablock: the last block arrived, and the outcome of the SET.
struct SetResponseLastDatablock {
  static constexpr std::uint8_t tag = set_response_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Set-Response-Last-Datablock";

  InvokeIdAndPriority invoke;
  DataAccessResult result = DataAccessResult::success;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetResponseLastDatablock> decode(std::span<const std::uint8_t> bytes,
                                                 const DecodeLimits& limits = {});
  friend bool operator==(const SetResponseLastDatablock&,
                         const SetResponseLastDatablock&) = default;
};

// Set-Response-Last-Datablock-With-List: the last block arrived, one outcome per attribute.
struct SetResponseLastDatablockWithList {
  static constexpr std::uint8_t tag = set_response_tag;
  static constexpr std::uint8_t choice = 4;
  static constexpr std::string_view name = "Set-Response-Last-Datablock-With-List";

  InvokeIdAndPriority invoke;
  std::vector<DataAccessResult> results;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetResponseLastDatablockWithList> decode(std::span<const std::uint8_t> bytes,
                                                         const DecodeLimits& limits = {});
  friend bool operator==(const SetResponseLastDatablockWithList&,
                         const SetResponseLastDatablockWithList&) = default;
};

// Set-Response-With-List: one outcome per attribute of a Set-Request-With-List.
struct SetResponseWithList {
  static constexpr std::uint8_t tag = set_response_tag;
  static constexpr std::uint8_t choice = 5;
  static constexpr std::string_view name = "Set-Response-With-List";

  InvokeIdAndPriority invoke;
  std::vector<DataAccessResult> results;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<SetResponseWithList> decode(std::span<const std::uint8_t> bytes,
                                            const DecodeLimits& limits = {});
  friend bool operator==(const SetResponseWithList&, const SetResponseWithList&) = default;
};

}  // namespace gridmeter::dlms
