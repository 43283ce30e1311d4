// xDLMS InitiateRequest, InitiateResponse and ConfirmedServiceError (IEC 62056-5-3 / DLMS
// Green Book, the xDLMS APDUs carried in the user-information of AARQ and AARE), A-XDR encoded,
// and the conformance block they negotiate.
//
//   InitiateRequest request;                        // version 6, response allowed
//   request.proposed_conformance = Conformance{ConformanceBit::get, ConformanceBit::set,
//                                              ConformanceBit::block_transfer_with_get_or_read};
//   request.client_max_receive_pdu_size = 0x04B0;
//   std::vector<std::uint8_t> wire = *request.encode();
//       // 01 00 00 00 06 5F 1F 04 00 00 10 18 04 B0
//
//   Result<InitiateRequest> got = InitiateRequest::decode(wire);
//   Conformance granted = negotiate(got->proposed_conformance, server_conformance);
//
// Only these three APDUs are encoded here, by hand: each is a fixed sequence of a few fields,
// so they need none of the generic Data codec.
#pragma once

#include <array>             // std::array
#include <cstddef>           // std::size_t
#include <cstdint>           // std::uint8_t, std::uint16_t, std::uint32_t, std::int8_t
#include <initializer_list>  // std::initializer_list
#include <optional>          // std::optional
#include <span>              // std::span
#include <string>            // std::string
#include <string_view>       // std::string_view
#include <variant>           // std::variant
#include <vector>            // std::vector

#include "core/result.hpp"

namespace gridmeter::dlms {

// Bits of the conformance block (Green Book, "xDLMS conformance block" table). Bit 0 is the
// most significant bit of the first octet on the wire. Bits 0 and 7 are reserved; bit 6 was
// reserved before delta-value-encoding was assigned.
enum class ConformanceBit : std::uint8_t {
  reserved_zero = 0,
  general_protection = 1,
  general_block_transfer = 2,
  read = 3,
  write = 4,
  unconfirmed_write = 5,
  delta_value_encoding = 6,
  reserved_seven = 7,
  attribute0_supported_with_set = 8,
  priority_mgmt_supported = 9,
  attribute0_supported_with_get = 10,
  block_transfer_with_get_or_read = 11,
  block_transfer_with_set_or_write = 12,
  block_transfer_with_action = 13,
  multiple_references = 14,
  information_report = 15,
  data_notification = 16,
  access = 17,
  parameterized_access = 18,
  get = 19,
  set = 20,
  selective_access = 21,
  event_notification = 22,
  action = 23,
};

// Green Book name of a bit: "block-transfer-with-get-or-read".
std::string_view to_string(ConformanceBit bit);

// The 24-bit conformance block, [APPLICATION 31] IMPLICIT BIT STRING (SIZE(24)), which A-XDR
// APDUs carry BER encoded: 5F 1F 04 00 followed by the three octets.
class Conformance {
 public:
  static constexpr std::size_t bit_count = 24;
  static constexpr std::size_t encoded_size = 7;

  constexpr Conformance() = default;
  constexpr Conformance(std::initializer_list<ConformanceBit> bits) {
    for (ConformanceBit bit : bits)
      value_ |= mask(bit);
  }
  // The three octets as a big-endian number: bit 0 is 0x800000, bit 23 is 0x000001.
  static constexpr Conformance from_value(std::uint32_t value) {
    Conformance conformance;
    conformance.value_ = value & 0xFFFFFFU;
    return conformance;
  }

  [[nodiscard]] constexpr std::uint32_t value() const { return value_; }
  [[nodiscard]] constexpr bool has(ConformanceBit bit) const { return (value_ & mask(bit)) != 0; }
  constexpr void set(ConformanceBit bit, bool on = true) {
    value_ = on ? (value_ | mask(bit)) : (value_ & ~mask(bit));
  }
  [[nodiscard]] std::array<std::uint8_t, 3> octets() const;

  // The names of the set bits, bit 0 first, separated by ", "; "" when none is set.
  [[nodiscard]] std::string to_string() const;

  friend constexpr Conformance operator&(Conformance a, Conformance b) {
    return from_value(a.value_ & b.value_);
  }
  friend constexpr Conformance operator|(Conformance a, Conformance b) {
    return from_value(a.value_ | b.value_);
  }
  friend constexpr bool operator==(Conformance, Conformance) = default;

 private:
  static constexpr std::uint32_t mask(ConformanceBit bit) {
    return std::uint32_t{1} << (bit_count - 1 - static_cast<std::uint32_t>(bit));
  }
  std::uint32_t value_ = 0;
};

// What the server grants: only services both sides support (Green Book: the negotiated block
// is the intersection of the proposed and the server's).
constexpr Conformance negotiate(Conformance proposed, Conformance supported) {
  return proposed & supported;
}

// The services of logical name referencing that gridmeter's client and server both implement:
// GET, SET and ACTION, normal, with lists and in blocks, with selective access.
inline constexpr Conformance logical_name_services{
    ConformanceBit::block_transfer_with_get_or_read,
    ConformanceBit::block_transfer_with_set_or_write,
    ConformanceBit::block_transfer_with_action,
    ConformanceBit::multiple_references,
    ConformanceBit::get,
    ConformanceBit::set,
    ConformanceBit::selective_access,
    ConformanceBit::action,
};

// The DLMS version every current client proposes and server answers.
inline constexpr std::uint8_t dlms_version = 6;

// vaa-name of an InitiateResponse under logical name referencing (under short name
// referencing it is the base name of the current association object, 0xFA00).
inline constexpr std::uint16_t vaa_name_logical_name = 0x0007;

// InitiateRequest ::= SEQUENCE (tag 0x01).
struct InitiateRequest {
  static constexpr std::uint8_t tag = 0x01;

  std::optional<std::vector<std::uint8_t>> dedicated_key;  // for dedicated ciphering
  bool response_allowed = true;                            // DEFAULT TRUE
  std::optional<std::int8_t> proposed_quality_of_service;
  std::uint8_t proposed_dlms_version_number = dlms_version;
  Conformance proposed_conformance;
  std::uint16_t client_max_receive_pdu_size = 0xFFFF;

  // Fails only when the dedicated key is longer than 65535 octets.
  [[nodiscard]] Result<std::vector<std::uint8_t>> encode() const;
  // Exactly one InitiateRequest: trailing octets, a truncated field, an optional-field flag
  // other than 00/01, a malformed conformance block or a length beyond the end are errors.
  static Result<InitiateRequest> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const InitiateRequest&, const InitiateRequest&) = default;
};

// InitiateResponse ::= SEQUENCE (tag 0x08).
struct InitiateResponse {
  static constexpr std::uint8_t tag = 0x08;

  std::optional<std::int8_t> negotiated_quality_of_service;
  std::uint8_t negotiated_dlms_version_number = dlms_version;
  Conformance negotiated_conformance;
  std::uint16_t server_max_receive_pdu_size = 0xFFFF;
  std::uint16_t vaa_name = vaa_name_logical_name;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<InitiateResponse> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const InitiateResponse&, const InitiateResponse&) = default;
};

// The CHOICE of ConfirmedServiceError: which service failed. An AARE only ever carries
// initiate_error; the others exist for short name referencing.
enum class ConfirmedService : std::uint8_t {
  initiate_error = 1,
  get_status = 2,
  get_name_list = 3,
  get_variable_attribute = 4,
  read = 5,
  write = 6,
  get_data_set_attribute = 7,
  get_ti_attribute = 8,
  change_scope = 9,
  start = 10,
  stop = 11,
  resume = 12,
  make_usable = 13,
  initiate_load = 14,
  load_segment = 15,
  terminate_load = 16,
  initiate_upload = 17,
  upload_segment = 18,
  terminate_upload = 19,
};

// The CHOICE of ServiceError: the kind of error, each with its own ENUMERATED.
enum class ServiceErrorKind : std::uint8_t {
  application_reference = 0,
  hardware_resource = 1,
  vde_state_error = 2,
  service = 3,
  definition = 4,
  access = 5,
  initiate = 6,
  load_data_set = 7,
  change_scope = 8,
  task = 9,
  other = 10,
};

// ServiceError initiate [6] values: why an InitiateRequest was refused.
enum class InitiateError : std::uint8_t {
  other = 0,
  dlms_version_too_low = 1,
  incompatible_conformance = 2,
  pdu_size_too_short = 3,
  refused_by_the_vde_handler = 4,
};

// ConfirmedServiceError ::= CHOICE (tag 0x0E): 0E <service> <kind> <value>, e.g. 0E 01 06 01
// (initiateError, initiate, dlms-version-too-low).
struct ConfirmedServiceError {
  static constexpr std::uint8_t tag = 0x0E;

  ConfirmedService service = ConfirmedService::initiate_error;
  ServiceErrorKind kind = ServiceErrorKind::initiate;
  std::uint8_t value = 0;  // the ENUMERATED of `kind`; an InitiateError for kind initiate

  static ConfirmedServiceError initiate(InitiateError error) {
    return {ConfirmedService::initiate_error, ServiceErrorKind::initiate,
            static_cast<std::uint8_t>(error)};
  }

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  // Refuses a service outside 1..19 and a kind outside 0..10; the value is kept as sent.
  static Result<ConfirmedServiceError> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const ConfirmedServiceError&, const ConfirmedServiceError&) = default;
};

// Green Book names ("initiate-error", "initiate"); "" for a value outside the lists.
std::string_view to_string(ConfirmedService service);
std::string_view to_string(ServiceErrorKind kind);
// The ENUMERATED of a ServiceError, named for the two kinds gridmeter sends (initiate, in a
// rejected AARE: "pdu-size-too-short"; service, refusing short name requests); "" otherwise.
std::string_view service_error_value_name(ServiceErrorKind kind, std::uint8_t value);
// "initiate-error: initiate pdu-size-too-short", "read: service service-unsupported", or the
// number where the value has no name.
std::string to_string(const ConfirmedServiceError& error);

// What an AARE's user-information holds: the response, or why the initiate failed.
using InitiateAnswer = std::variant<InitiateResponse, ConfirmedServiceError>;

// Decodes by the first octet (0x08 or 0x0E); any other tag is an error.
Result<InitiateAnswer> decode_initiate_answer(std::span<const std::uint8_t> bytes);

}  // namespace gridmeter::dlms
