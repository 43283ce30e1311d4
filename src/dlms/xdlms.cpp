#include "dlms/xdlms.hpp"

#include <fmt/format.h>

#include <algorithm>    // std::copy
#include <type_traits>  // std::decay_t
#include <utility>      // std::move

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t date_time_absent = 0x00;
constexpr std::uint8_t date_time_present = CosemDateTime::encoded_size;

// The alternatives of one service's CHOICE, in choice order (1, 2, ...).
template <typename... Alternatives>
struct Choices {};

using GetRequestChoices = Choices<GetRequestNormal, GetRequestNext, GetRequestWithList>;
using GetResponseChoices =
    Choices<GetResponseNormal, GetResponseWithDatablock, GetResponseWithList>;
using SetRequestChoices =
    Choices<SetRequestNormal, SetRequestWithFirstDatablock, SetRequestWithDatablock,
            SetRequestWithList, SetRequestWithListAndFirstDatablock>;
using SetResponseChoices =
    Choices<SetResponseNormal, SetResponseDatablock, SetResponseLastDatablock,
            SetResponseLastDatablockWithList, SetResponseWithList>;
using ActionRequestChoices = Choices<ActionRequestNormal, ActionRequestNextPblock,
                                     ActionRequestWithList, ActionRequestWithFirstPblock,
                                     ActionRequestWithListAndFirstPblock, ActionRequestWithPblock>;
using ActionResponseChoices = Choices<ActionResponseNormal, ActionResponseWithPblock,
                                      ActionResponseWithList, ActionResponseNextPblock>;

template <typename Apdu>
Result<XdlmsApdu> decode_as(std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  auto apdu = Apdu::decode(bytes, limits);
  if (!apdu) return apdu.error();
  return XdlmsApdu{std::move(*apdu)};
}

// Whether `choice` names one of the alternatives.
template <typename... Alternatives>
bool knows(Choices<Alternatives...>, std::uint8_t choice) {
  return ((Alternatives::choice == choice) || ...);
}

template <typename... Alternatives>
Result<XdlmsApdu> decode_choice(Choices<Alternatives...> choices,
                                std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  // The error below says "1..N": every service's choices are numbered from 1 without gaps.
  static_assert([] {
    std::uint8_t expected = 1;
    return ((Alternatives::choice == expected++) && ...);
  }());
  const std::string_view service = apdu_name(bytes[0]);
  if (bytes.size() < 2) {
    return make_error(
        fmt::format("{} (0x{:02X}) at offset 1: the CHOICE octet is missing", service, bytes[0]));
  }
  const std::uint8_t choice = bytes[1];
  if (!knows(choices, choice)) {
    return make_error(fmt::format("{} (0x{:02X}) at offset 1: choice {} is not one of 1..{}",
                                  service, bytes[0], choice, sizeof...(Alternatives)));
  }
  Result<XdlmsApdu> decoded = make_error("unreachable");
  // Exactly one alternative matches; the fold stops at it.
  (void)((Alternatives::choice == choice ? (decoded = decode_as<Alternatives>(bytes, limits), true)
                                         : false) ||
         ...);
  return decoded;
}

// The CHOICE list of a GET, SET or ACTION tag; calls `visit(choices)` and returns true, or false
// for every other tag.
template <typename Visitor>
bool with_choices(std::uint8_t tag, Visitor&& visit) {
  switch (tag) {
    case get_request_tag:
      visit(GetRequestChoices{});
      return true;
    case get_response_tag:
      visit(GetResponseChoices{});
      return true;
    case set_request_tag:
      visit(SetRequestChoices{});
      return true;
    case set_response_tag:
      visit(SetResponseChoices{});
      return true;
    case action_request_tag:
      visit(ActionRequestChoices{});
      return true;
    case action_response_tag:
      visit(ActionResponseChoices{});
      return true;
    default:
      return false;
  }
}

bool is_short_name_request(std::uint8_t tag) {
  return tag == ShortNameRequest::read_request_tag || tag == ShortNameRequest::write_request_tag ||
         tag == ShortNameRequest::unconfirmed_write_request_tag;
}

}  // namespace

std::string_view to_string(ExceptionStateError error) {
  switch (error) {
    case ExceptionStateError::service_not_allowed:
      return "service-not-allowed";
    case ExceptionStateError::service_unknown:
      return "service-unknown";
  }
  return "unknown";
}

std::string_view to_string(ExceptionServiceError error) {
  switch (error) {
    case ExceptionServiceError::operation_not_possible:
      return "operation-not-possible";
    case ExceptionServiceError::service_not_supported:
      return "service-not-supported";
    case ExceptionServiceError::other_reason:
      return "other-reason";
    case ExceptionServiceError::pdu_too_long:
      return "pdu-too-long";
    case ExceptionServiceError::deciphering_error:
      return "deciphering-error";
    case ExceptionServiceError::invocation_counter_error:
      return "invocation-counter-error";
  }
  return "unknown";
}

std::vector<std::uint8_t> ExceptionResponse::encode() const {
  std::vector<std::uint8_t> out{tag, static_cast<std::uint8_t>(state_error),
                                static_cast<std::uint8_t>(service_error)};
  if (service_error == ExceptionServiceError::invocation_counter_error) {
    append_unsigned32(out, invocation_counter);
  }
  return out;
}

Result<ExceptionResponse> ExceptionResponse::decode(std::span<const std::uint8_t> bytes,
                                                    const DecodeLimits& limits) {
  ExceptionResponse apdu;
  ApduReader in(bytes, name, limits);
  in.expect_tag(tag);
  apdu.state_error = static_cast<ExceptionStateError>(in.octet("state-error"));
  const std::size_t at = in.offset();
  const std::uint8_t choice = in.octet("service-error");
  if (in.ok() && (choice < 1 || choice > static_cast<std::uint8_t>(
                                             ExceptionServiceError::invocation_counter_error))) {
    in.fail(at, fmt::format("service-error choice {} is not one of 1..6", choice));
  }
  apdu.service_error = static_cast<ExceptionServiceError>(choice);
  if (in.ok() && apdu.service_error == ExceptionServiceError::invocation_counter_error) {
    apdu.invocation_counter = in.unsigned32("invocation-counter-error");
  }
  return in.finish(apdu);
}

std::vector<std::uint8_t> DataNotification::encode() const {
  std::vector<std::uint8_t> out{tag};
  append_unsigned32(out, invoke.value);
  if (date_time) {
    out.push_back(date_time_present);
    const auto octets = date_time->encode();
    out.insert(out.end(), octets.begin(), octets.end());
  } else {
    out.push_back(date_time_absent);
  }
  dlms::encode(body, out);
  return out;
}

Result<DataNotification> DataNotification::decode(std::span<const std::uint8_t> bytes,
                                                  const DecodeLimits& limits) {
  DataNotification apdu;
  ApduReader in(bytes, name, limits);
  in.expect_tag(tag);
  apdu.invoke = LongInvokeIdAndPriority{in.unsigned32("long-invoke-id-and-priority")};
  const std::size_t at = in.offset();
  const std::vector<std::uint8_t> date_time = in.octet_string("date-time");
  if (in.ok() && !date_time.empty()) {
    if (date_time.size() != CosemDateTime::encoded_size) {
      in.fail(at,
              fmt::format("date-time of {} octets; expected 0 (absent) or 12", date_time.size()));
    } else if (auto parsed = CosemDateTime::decode(date_time); !parsed) {
      in.fail(at, fmt::format("date-time: {}", parsed.error().message));
    } else {
      apdu.date_time = *parsed;
    }
  }
  apdu.body = in.data("notification-body");
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ShortNameRequest::encode() const {
  // Sized first: GCC 12 misreads an insert after a one-element initialiser as out of bounds.
  std::vector<std::uint8_t> out(1 + body.size());
  out[0] = tag;
  std::copy(body.begin(), body.end(), out.begin() + 1);
  return out;
}

Result<ShortNameRequest> ShortNameRequest::decode(std::span<const std::uint8_t> bytes,
                                                  const DecodeLimits& /*limits*/) {
  if (bytes.empty()) return make_error("short name request at offset 0: the tag is missing");
  if (!is_short_name_request(bytes[0])) {
    return make_error(
        fmt::format("short name request at offset 0: tag 0x{:02X} is not read-request (0x05), "
                    "write-request (0x06) or unconfirmed-write-request (0x16)",
                    bytes[0]));
  }
  return ShortNameRequest{bytes[0], std::vector<std::uint8_t>(bytes.begin() + 1, bytes.end())};
}

std::optional<ConfirmedServiceError> ShortNameRequest::refusal() const {
  if (tag == unconfirmed_write_request_tag) return std::nullopt;  // nobody waits for an answer
  const ConfirmedService service =
      tag == write_request_tag ? ConfirmedService::write : ConfirmedService::read;
  return ConfirmedServiceError{service, ServiceErrorKind::service,
                               service_error_service_unsupported};
}

Result<XdlmsApdu> decode_xdlms_apdu(std::span<const std::uint8_t> bytes,
                                    const DecodeLimits& limits) {
  if (bytes.empty()) return make_error("xDLMS APDU is empty");
  const std::uint8_t tag = bytes[0];
  Result<XdlmsApdu> decoded = make_error("unreachable");
  if (with_choices(tag, [&](auto choices) { decoded = decode_choice(choices, bytes, limits); })) {
    return decoded;
  }
  if (tag == ExceptionResponse::tag) return decode_as<ExceptionResponse>(bytes, limits);
  if (tag == DataNotification::tag) return decode_as<DataNotification>(bytes, limits);
  if (is_short_name_request(tag)) return decode_as<ShortNameRequest>(bytes, limits);
  return make_error(
      fmt::format("xDLMS APDU at offset 0: tag 0x{:02X} is not a service APDU this decoder "
                  "reads ({})",
                  tag, apdu_name(tag)));
}

std::vector<std::uint8_t> encode_xdlms_apdu(const XdlmsApdu& apdu) {
  return std::visit([](const auto& alternative) { return alternative.encode(); }, apdu);
}

std::string_view apdu_name(const XdlmsApdu& apdu) {
  return std::visit(
      [](const auto& alternative) -> std::string_view {
        using Apdu = std::decay_t<decltype(alternative)>;
        if constexpr (std::is_same_v<Apdu, ShortNameRequest>) {
          return apdu_name(alternative.tag);
        } else {
          return Apdu::name;
        }
      },
      apdu);
}

std::string_view apdu_name(std::uint8_t tag) {
  switch (tag) {
    // Association and short name referencing (the DLMS of IEC 61334-4-41).
    case 0x01:
      return "initiate-request";
    case 0x05:
      return "read-request";
    case 0x06:
      return "write-request";
    case 0x08:
      return "initiate-response";
    case 0x0C:
      return "read-response";
    case 0x0D:
      return "write-response";
    case 0x0E:
      return "confirmed-service-error";
    case 0x0F:
      return "data-notification";
    case 0x16:
      return "unconfirmed-write-request";
    case 0x18:
      return "information-report-request";
    // Global ciphering of the short name and initiate APDUs.
    case 0x21:
      return "glo-initiate-request";
    case 0x25:
      return "glo-read-request";
    case 0x26:
      return "glo-write-request";
    case 0x28:
      return "glo-initiate-response";
    case 0x2C:
      return "glo-read-response";
    case 0x2D:
      return "glo-write-response";
    case 0x2E:
      return "glo-confirmed-service-error";
    case 0x36:
      return "glo-unconfirmed-write-request";
    case 0x38:
      return "glo-information-report-request";
    // Dedicated ciphering of the same.
    case 0x41:
      return "ded-initiate-request";
    case 0x45:
      return "ded-read-request";
    case 0x46:
      return "ded-write-request";
    case 0x48:
      return "ded-initiate-response";
    case 0x4C:
      return "ded-read-response";
    case 0x4D:
      return "ded-write-response";
    case 0x4E:
      return "ded-confirmed-service-error";
    case 0x56:
      return "ded-unconfirmed-write-request";
    case 0x58:
      return "ded-information-report-request";
    // ACSE (acse.hpp).
    case 0x60:
      return "aarq";
    case 0x61:
      return "aare";
    case 0x62:
      return "rlrq";
    case 0x63:
      return "rlre";
    // Logical name referencing services.
    case 0xC0:
      return "get-request";
    case 0xC1:
      return "set-request";
    case 0xC2:
      return "event-notification-request";
    case 0xC3:
      return "action-request";
    case 0xC4:
      return "get-response";
    case 0xC5:
      return "set-response";
    case 0xC7:
      return "action-response";
    case 0xC8:
      return "glo-get-request";
    case 0xC9:
      return "glo-set-request";
    case 0xCA:
      return "glo-event-notification-request";
    case 0xCB:
      return "glo-action-request";
    case 0xCC:
      return "glo-get-response";
    case 0xCD:
      return "glo-set-response";
    case 0xCF:
      return "glo-action-response";
    case 0xD0:
      return "ded-get-request";
    case 0xD1:
      return "ded-set-request";
    case 0xD2:
      return "ded-event-notification-request";
    case 0xD3:
      return "ded-action-request";
    case 0xD4:
      return "ded-get-response";
    case 0xD5:
      return "ded-set-response";
    case 0xD7:
      return "ded-action-response";
    case 0xD8:
      return "exception-response";
    case 0xD9:
      return "access-request";
    case 0xDA:
      return "access-response";
    case 0xDB:
      return "general-glo-ciphering";
    case 0xDC:
      return "general-ded-ciphering";
    case 0xDD:
      return "general-ciphering";
    case 0xDF:
      return "general-signing";
    case 0xE0:
      return "general-block-transfer";
    default:
      return "unknown";
  }
}

ExceptionResponse exception_response_for(std::span<const std::uint8_t> bytes) {
  ExceptionResponse unknown{ExceptionStateError::service_unknown,
                            ExceptionServiceError::service_not_supported};
  if (bytes.empty()) return unknown;
  const std::uint8_t tag = bytes[0];
  bool choice_known = true;
  const bool has_choices = with_choices(
      tag, [&](auto choices) { choice_known = bytes.size() >= 2 && knows(choices, bytes[1]); });
  const bool tag_known = has_choices || tag == ExceptionResponse::tag ||
                         tag == DataNotification::tag || is_short_name_request(tag);
  if (!tag_known || !choice_known) return unknown;
  return ExceptionResponse{ExceptionStateError::service_unknown,
                           ExceptionServiceError::other_reason};
}

}  // namespace gridmeter::dlms
