// The xDLMS service layer's front door (IEC 62056-5-3, the DLMS Green Book's xDLMS-APDU):
// decode_xdlms_apdu reads any unciphered service APDU of logical name referencing by its tag,
// plus Exception-Response, Data-Notification and the short name requests an LN server must
// refuse; apdu_name names every tag DLMS defines, for logs and decoders.
//
//   Result<XdlmsApdu> apdu = decode_xdlms_apdu(received);
//   if (!apdu) {
//     log("{}", apdu.error().message);
//     send(exception_response_for(received).encode());         // D8 02 02 for an unknown tag
//   } else if (auto* get = std::get_if<GetRequestNormal>(&*apdu)) {
//     ...
//   }
//   apdu_name(0xC0) == "get-request";
//
//   ExceptionResponse{ExceptionStateError::service_not_allowed,
//                     ExceptionServiceError::service_not_supported}.encode();   // D8 01 02
//
// The GET, SET and ACTION APDUs are in get.hpp, set.hpp and action.hpp. Ciphered APDUs
// (glo-, ded-, general-ciphering) belong to the security layer: they are named here but not
// decoded, and so are the association APDUs of acse.hpp and initiate.hpp.
#pragma once

#include <cstdint>      // std::uint8_t, std::uint32_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string_view>  // std::string_view
#include <variant>      // std::variant
#include <vector>       // std::vector

#include "core/date_time.hpp"
#include "core/result.hpp"
#include "dlms/action.hpp"
#include "dlms/axdr.hpp"
#include "dlms/data.hpp"
#include "dlms/get.hpp"
#include "dlms/initiate.hpp"
#include "dlms/set.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

// ExceptionResponse state-error.
enum class ExceptionStateError : std::uint8_t {
  service_not_allowed = 1,  // the service exists but is not allowed now (or to this client)
  service_unknown = 2,      // the APDU is not one the server knows
};

// ExceptionResponse service-error: a CHOICE whose alternatives are NULL except
// invocation-counter-error, which carries an Unsigned32.
enum class ExceptionServiceError : std::uint8_t {
  operation_not_possible = 1,
  service_not_supported = 2,
  other_reason = 3,
  pdu_too_long = 4,
  deciphering_error = 5,
  invocation_counter_error = 6,
};

std::string_view to_string(ExceptionStateError error);    // "service-not-allowed"
std::string_view to_string(ExceptionServiceError error);  // "pdu-too-long"

// ExceptionResponse (tag 0xD8): what a server sends when it cannot even start to answer an
// APDU with the service's own response: D8 <state-error> <service-error> [counter].
struct ExceptionResponse {
  static constexpr std::uint8_t tag = 0xD8;
  static constexpr std::string_view name = "Exception-Response";

  ExceptionStateError state_error = ExceptionStateError::service_not_allowed;
  ExceptionServiceError service_error = ExceptionServiceError::service_not_supported;
  // invocation-counter-error only (the server's invocation counter, so the client can
  // resynchronise); not encoded for the other service errors, and 0 after decoding them.
  std::uint32_t invocation_counter = 0;

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  // A state-error outside 1..2 is kept as sent; a service-error outside 1..6 is refused.
  static Result<ExceptionResponse> decode(std::span<const std::uint8_t> bytes,
                                          const DecodeLimits& limits = {});
  friend bool operator==(const ExceptionResponse&, const ExceptionResponse&) = default;
};

// Data-Notification (tag 0x0F): an unsolicited push (Push setup, class 40) of one Data value.
//   0F <long-invoke-id-and-priority: 4> <date-time: 00, or 0C and 12 octets> <Data>
struct DataNotification {
  static constexpr std::uint8_t tag = 0x0F;
  static constexpr std::string_view name = "Data-Notification";

  LongInvokeIdAndPriority invoke;
  // An OCTET STRING on the wire, empty when the push carries no time; otherwise the 12 octets
  // of a COSEM date-time (no Data tag). Other lengths and invalid date-times are refused.
  std::optional<CosemDateTime> date_time;
  Data body;  // notification-body: the pushed value, usually a structure

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  static Result<DataNotification> decode(std::span<const std::uint8_t> bytes,
                                         const DecodeLimits& limits = {});
  friend bool operator==(const DataNotification&, const DataNotification&) = default;
};

// Short name referencing requests: readRequest (0x05), writeRequest (0x06) and
// unconfirmedWriteRequest (0x16). gridmeter serves logical names only, so these are read just
// far enough to answer them: the tag, with the rest kept as octets.
struct ShortNameRequest {
  static constexpr std::uint8_t read_request_tag = 0x05;
  static constexpr std::uint8_t write_request_tag = 0x06;
  static constexpr std::uint8_t unconfirmed_write_request_tag = 0x16;

  std::uint8_t tag = read_request_tag;
  std::vector<std::uint8_t> body;  // the Variable-Access-Specifications (and data), unread

  [[nodiscard]] std::vector<std::uint8_t> encode() const;
  // Refuses any other tag.
  static Result<ShortNameRequest> decode(std::span<const std::uint8_t> bytes,
                                         const DecodeLimits& limits = {});
  // The answer an LN server gives: ConfirmedServiceError read or write, service,
  // service-unsupported (0E 05 03 02 for a read). Nothing for an unconfirmed write.
  [[nodiscard]] std::optional<ConfirmedServiceError> refusal() const;

  friend bool operator==(const ShortNameRequest&, const ShortNameRequest&) = default;
};

// ServiceError service [3] value service-unsupported, for ShortNameRequest::refusal.
inline constexpr std::uint8_t service_error_service_unsupported = 2;

// Every APDU decode_xdlms_apdu returns.
using XdlmsApdu =
    std::variant<GetRequestNormal, GetRequestNext, GetRequestWithList, GetResponseNormal,
                 GetResponseWithDatablock, GetResponseWithList, SetRequestNormal,
                 SetRequestWithFirstDatablock, SetRequestWithDatablock, SetRequestWithList,
                 SetRequestWithListAndFirstDatablock, SetResponseNormal, SetResponseDatablock,
                 SetResponseLastDatablock, SetResponseLastDatablockWithList, SetResponseWithList,
                 ActionRequestNormal, ActionRequestNextPblock, ActionRequestWithList,
                 ActionRequestWithFirstPblock, ActionRequestWithListAndFirstPblock,
                 ActionRequestWithPblock, ActionResponseNormal, ActionResponseWithPblock,
                 ActionResponseWithList, ActionResponseNextPblock, ExceptionResponse,
                 DataNotification, ShortNameRequest>;

// One whole APDU, chosen by its tag and (for GET, SET and ACTION) its CHOICE octet. Errors:
//   "xDLMS APDU is empty"
//   "xDLMS APDU at offset 0: tag 0x42 is not a service APDU this decoder reads (unknown)"
//   "xDLMS APDU at offset 0: tag 0xC8 is not a service APDU this decoder reads
//    (glo-get-request)": ciphered APDUs are for the security layer
//   "get-request (0xC0) at offset 1: choice 7 is not one of 1..3"
//   and each APDU's own, e.g. "Get-Request-Normal at offset 5: instance-id needs 6 octets, 4 left"
Result<XdlmsApdu> decode_xdlms_apdu(std::span<const std::uint8_t> bytes,
                                    const DecodeLimits& limits = {});
[[nodiscard]] std::vector<std::uint8_t> encode_xdlms_apdu(const XdlmsApdu& apdu);

// The Green Book's name of an APDU tag in lower case with hyphens: "get-request",
// "glo-get-request", "read-request", "aarq", "data-notification", ...; "unknown" otherwise.
std::string_view apdu_name(std::uint8_t tag);
// The ASN.1 type name of a decoded APDU: "Get-Request-Normal", "Exception-Response", ...
// (the tag's name for a ShortNameRequest).
std::string_view apdu_name(const XdlmsApdu& apdu);

// The Exception-Response for input decode_xdlms_apdu refused (gridmeter's mapping; the Green
// Book leaves the choice to the server):
//   - empty, a tag that is not a service APDU of this decoder, or an unknown CHOICE:
//     service-unknown, service-not-supported;
//   - a known APDU that is malformed (cut short, bad field, trailing octets):
//     service-unknown, other-reason.
ExceptionResponse exception_response_for(std::span<const std::uint8_t> bytes);

}  // namespace gridmeter::dlms
