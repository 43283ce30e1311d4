// The ACTION service APDUs with logical name referencing (IEC 62056-5-3, the DLMS Green Book's
// Action-Request and Action-Response): invoking methods, one, several, or with parameters (or
// return values) too long for a PDU in blocks.
//
//   ActionRequestNormal request;                   // Disconnect control: remote_disconnect
//   request.method = {70, Obis{0, 0, 96, 3, 10, 255}, 1};
//   request.parameters = Data::integer8(0);
//   request.encode();          // C3 01 C1 00 46 00 00 60 03 0A FF 01 01 0F 00
//
//   ActionResponseNormal response;
//   response.invoke = request.invoke;
//   response.response.result = ActionResult::success;       // no return parameters
//   response.encode();         // C7 01 C1 00 00
//
// Long parameters travel as pblocks (DataBlock-SA): Action-Request-With-First-Pblock (or
// -With-List-And-First-Pblock) carries block 1 with the method descriptors, the server
// acknowledges with Action-Response-Next-Pblock and the client sends Action-Request-With-
// Pblock. Long return parameters come back the other way: Action-Response-With-Pblock, and the
// client asks for more with Action-Request-Next-Pblock. Each decode takes the whole APDU and
// refuses octets after it.
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

inline constexpr std::uint8_t action_request_tag = 0xC3;
inline constexpr std::uint8_t action_response_tag = 0xC7;

// Action-Request-Normal: one method, with parameters or without.
struct ActionRequestNormal {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Action-Request-Normal";

  InvokeIdAndPriority invoke;
  CosemMethodDescriptor method;
  std::optional<Data> parameters;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestNormal> decode(std::span<const std::uint8_t> bytes,
                                            const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestNormal&, const ActionRequestNormal&) = default;
};

// Action-Request-Next-Pblock: the client received return-parameter block `block_number` and
// asks for the next.
struct ActionRequestNextPblock {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Action-Request-Next-Pblock";

  InvokeIdAndPriority invoke;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestNextPblock> decode(std::span<const std::uint8_t> bytes,
                                                const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestNextPblock&, const ActionRequestNextPblock&) = default;
};

// One method of Action-Request-With-List with its parameters. The list form has no OPTIONAL:
// a method without parameters carries null-data. On the wire the descriptors come first and
// the parameters after them; pairing them here keeps the counts equal.
struct ActionListItem {
  CosemMethodDescriptor method;
  Data parameters;

  friend bool operator==(const ActionListItem&, const ActionListItem&) = default;
};

// Action-Request-With-List: several methods (multiple-references). Decoding refuses a parameter
// list whose count differs from the method list's.
struct ActionRequestWithList {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Action-Request-With-List";

  InvokeIdAndPriority invoke;
  std::vector<ActionListItem> items;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestWithList> decode(std::span<const std::uint8_t> bytes,
                                              const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestWithList&, const ActionRequestWithList&) = default;
};

// Action-Request-With-First-Pblock: one method and the first block of its parameters.
struct ActionRequestWithFirstPblock {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 4;
  static constexpr std::string_view name = "Action-Request-With-First-Pblock";

  InvokeIdAndPriority invoke;
  CosemMethodDescriptor method;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestWithFirstPblock> decode(std::span<const std::uint8_t> bytes,
                                                     const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestWithFirstPblock&,
                         const ActionRequestWithFirstPblock&) = default;
};

// Action-Request-With-List-And-First-Pblock: several methods and the first block of their
// parameter list.
struct ActionRequestWithListAndFirstPblock {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 5;
  static constexpr std::string_view name = "Action-Request-With-List-And-First-Pblock";

  InvokeIdAndPriority invoke;
  std::vector<CosemMethodDescriptor> methods;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestWithListAndFirstPblock> decode(std::span<const std::uint8_t> bytes,
                                                            const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestWithListAndFirstPblock&,
                         const ActionRequestWithListAndFirstPblock&) = default;
};

// Action-Request-With-Pblock: a later block of the parameters.
struct ActionRequestWithPblock {
  static constexpr std::uint8_t tag = action_request_tag;
  static constexpr std::uint8_t choice = 6;
  static constexpr std::string_view name = "Action-Request-With-Pblock";

  InvokeIdAndPriority invoke;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionRequestWithPblock> decode(std::span<const std::uint8_t> bytes,
                                                const DecodeLimits& limits = {});
  friend bool operator==(const ActionRequestWithPblock&, const ActionRequestWithPblock&) = default;
};

// Action-Response-With-Optional-Data: the outcome of one method and what it returned, if
// anything (a value, or a Data-Access-Result when the return value could not be produced).
struct ActionOutcome {
  ActionResult result = ActionResult::success;
  std::optional<GetDataResult> return_parameters;

  friend bool operator==(const ActionOutcome&, const ActionOutcome&) = default;
};

// Action-Response-Normal.
struct ActionResponseNormal {
  static constexpr std::uint8_t tag = action_response_tag;
  static constexpr std::uint8_t choice = 1;
  static constexpr std::string_view name = "Action-Response-Normal";

  InvokeIdAndPriority invoke;
  ActionOutcome response;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionResponseNormal> decode(std::span<const std::uint8_t> bytes,
                                             const DecodeLimits& limits = {});
  friend bool operator==(const ActionResponseNormal&, const ActionResponseNormal&) = default;
};

// Action-Response-With-Pblock: a block of long return parameters.
struct ActionResponseWithPblock {
  static constexpr std::uint8_t tag = action_response_tag;
  static constexpr std::uint8_t choice = 2;
  static constexpr std::string_view name = "Action-Response-With-Pblock";

  InvokeIdAndPriority invoke;
  DataBlockSA block;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionResponseWithPblock> decode(std::span<const std::uint8_t> bytes,
                                                 const DecodeLimits& limits = {});
  friend bool operator==(const ActionResponseWithPblock&,
                         const ActionResponseWithPblock&) = default;
};

// Action-Response-With-List: one outcome per method of an Action-Request-With-List.
struct ActionResponseWithList {
  static constexpr std::uint8_t tag = action_response_tag;
  static constexpr std::uint8_t choice = 3;
  static constexpr std::string_view name = "Action-Response-With-List";

  InvokeIdAndPriority invoke;
  std::vector<ActionOutcome> responses;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionResponseWithList> decode(std::span<const std::uint8_t> bytes,
                                               const DecodeLimits& limits = {});
  friend bool operator==(const ActionResponseWithList&, const ActionResponseWithList&) = default;
};

// Action-Response-Next-Pblock: the server received parameter block `block_number` and waits
// for the next.
struct ActionResponseNextPblock {
  static constexpr std::uint8_t tag = action_response_tag;
  static constexpr std::uint8_t choice = 4;
  static constexpr std::string_view name = "Action-Response-Next-Pblock";

  InvokeIdAndPriority invoke;
  std::uint32_t block_number = 1;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<ActionResponseNextPblock> decode(std::span<const std::uint8_t> bytes,
                                                 const DecodeLimits& limits = {});
  friend bool operator==(const ActionResponseNextPblock&,
                         const ActionResponseNextPblock&) = default;
};

}  // namespace gridmeter::dlms
