#include "dlms/initiate.hpp"

#include <fmt/format.h>

#include <array>  // std::array

#include <utility>  // std::move

namespace gridmeter::dlms {
namespace {

// The identifier, length and unused-bits octets before the three conformance octets:
// [APPLICATION 31] in the high-tag-number form (5F 1F), 4 content octets, 0 unused bits.
constexpr std::array<std::uint8_t, 4> conformance_header = {0x5F, 0x1F, 0x04, 0x00};

constexpr std::size_t max_key_size = 0xFFFF;

// Reads the fixed A-XDR fields of one APDU front to back; every read checks what is left and
// names the field, so a truncation anywhere says what was cut.
class Cursor {
 public:
  Cursor(std::span<const std::uint8_t> bytes, std::string_view apdu) : bytes_(bytes), apdu_(apdu) {}

  Result<std::uint8_t> octet(std::string_view field) {
    if (position_ >= bytes_.size()) return cut(field);
    return bytes_[position_++];
  }

  Result<std::uint16_t> unsigned16(std::string_view field) {
    if (bytes_.size() - position_ < 2) return cut(field);
    const auto value = static_cast<std::uint16_t>((bytes_[position_] << 8) | bytes_[position_ + 1]);
    position_ += 2;
    return value;
  }

  // A-XDR usage flag of an OPTIONAL or DEFAULT field: 00 absent, 01 present.
  Result<bool> present(std::string_view field) {
    auto flag = octet(field);
    if (!flag) return flag.error();
    if (*flag > 1) {
      return error(fmt::format("{}: presence flag 0x{:02X} is neither 00 nor 01", field, *flag));
    }
    return *flag == 1;
  }

  // A-XDR length (the BER definite forms: short, 0x81, 0x82) and that many octets.
  Result<std::vector<std::uint8_t>> octet_string(std::string_view field) {
    auto first = octet(field);
    if (!first) return first.error();
    std::size_t length = *first;
    if (*first == 0x80) return error(fmt::format("{}: indefinite length", field));
    if (*first > 0x82) {
      return error(fmt::format("{}: length form 0x{:02X} exceeds 65535 octets", field, *first));
    }
    if (*first > 0x80) {
      length = 0;
      for (int i = 0x80; i < *first; ++i) {
        auto next = octet(field);
        if (!next) return next.error();
        length = (length << 8) | *next;
      }
    }
    if (bytes_.size() - position_ < length) {
      return error(fmt::format("{}: length {} runs past the end ({} octets left)", field, length,
                               bytes_.size() - position_));
    }
    std::vector<std::uint8_t> value(
        bytes_.begin() + static_cast<std::ptrdiff_t>(position_),
        bytes_.begin() + static_cast<std::ptrdiff_t>(position_ + length));
    position_ += length;
    return value;
  }

  Result<Conformance> conformance(std::string_view field) {
    if (bytes_.size() - position_ < Conformance::encoded_size) return cut(field);
    for (std::size_t i = 0; i < conformance_header.size(); ++i) {
      if (bytes_[position_ + i] != conformance_header[i]) {
        return error(fmt::format("{}: expected 5F 1F 04 00, found {:02X} at its octet {}", field,
                                 bytes_[position_ + i], i));
      }
    }
    position_ += conformance_header.size();
    std::uint32_t value = 0;
    for (int i = 0; i < 3; ++i)
      value = (value << 8) | bytes_[position_++];
    return Conformance::from_value(value);
  }

  Status expect_tag(std::uint8_t tag) {
    auto first = octet("tag");
    if (!first) return first.error();
    if (*first != tag) {
      return error(fmt::format("tag 0x{:02X}, expected 0x{:02X}", *first, tag));
    }
    return {};
  }

  Status expect_end() {
    if (position_ == bytes_.size()) return {};
    return error(fmt::format("{} octets after the end", bytes_.size() - position_));
  }

  Error error(std::string_view message) const {
    return make_error(fmt::format("{}: {}", apdu_, message));
  }

 private:
  Error cut(std::string_view field) const {
    return error(fmt::format("cut short in {} at offset {}", field, position_));
  }

  std::span<const std::uint8_t> bytes_;
  std::string_view apdu_;
  std::size_t position_ = 0;
};

void append_unsigned16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
}

void append_conformance(std::vector<std::uint8_t>& out, Conformance conformance) {
  out.insert(out.end(), conformance_header.begin(), conformance_header.end());
  const auto octets = conformance.octets();
  out.insert(out.end(), octets.begin(), octets.end());
}

void append_quality_of_service(std::vector<std::uint8_t>& out, std::optional<std::int8_t> qos) {
  if (!qos) {
    out.push_back(0x00);
    return;
  }
  out.push_back(0x01);
  out.push_back(static_cast<std::uint8_t>(*qos));
}

Result<std::optional<std::int8_t>> read_quality_of_service(Cursor& cursor, std::string_view field) {
  auto present = cursor.present(field);
  if (!present) return present.error();
  if (!*present) return std::optional<std::int8_t>{};
  auto value = cursor.octet(field);
  if (!value) return value.error();
  return std::optional<std::int8_t>{static_cast<std::int8_t>(*value)};
}

}  // namespace

std::string_view to_string(ConformanceBit bit) {
  switch (bit) {
    case ConformanceBit::reserved_zero:
      return "reserved-zero";
    case ConformanceBit::general_protection:
      return "general-protection";
    case ConformanceBit::general_block_transfer:
      return "general-block-transfer";
    case ConformanceBit::read:
      return "read";
    case ConformanceBit::write:
      return "write";
    case ConformanceBit::unconfirmed_write:
      return "unconfirmed-write";
    case ConformanceBit::delta_value_encoding:
      return "delta-value-encoding";
    case ConformanceBit::reserved_seven:
      return "reserved-seven";
    case ConformanceBit::attribute0_supported_with_set:
      return "attribute0-supported-with-set";
    case ConformanceBit::priority_mgmt_supported:
      return "priority-mgmt-supported";
    case ConformanceBit::attribute0_supported_with_get:
      return "attribute0-supported-with-get";
    case ConformanceBit::block_transfer_with_get_or_read:
      return "block-transfer-with-get-or-read";
    case ConformanceBit::block_transfer_with_set_or_write:
      return "block-transfer-with-set-or-write";
    case ConformanceBit::block_transfer_with_action:
      return "block-transfer-with-action";
    case ConformanceBit::multiple_references:
      return "multiple-references";
    case ConformanceBit::information_report:
      return "information-report";
    case ConformanceBit::data_notification:
      return "data-notification";
    case ConformanceBit::access:
      return "access";
    case ConformanceBit::parameterized_access:
      return "parameterized-access";
    case ConformanceBit::get:
      return "get";
    case ConformanceBit::set:
      return "set";
    case ConformanceBit::selective_access:
      return "selective-access";
    case ConformanceBit::event_notification:
      return "event-notification";
    case ConformanceBit::action:
      return "action";
  }
  return "unknown";
}

std::array<std::uint8_t, 3> Conformance::octets() const {
  return {static_cast<std::uint8_t>(value_ >> 16), static_cast<std::uint8_t>((value_ >> 8) & 0xFFU),
          static_cast<std::uint8_t>(value_ & 0xFFU)};
}

std::string Conformance::to_string() const {
  std::string text;
  for (std::size_t i = 0; i < bit_count; ++i) {
    const auto bit = static_cast<ConformanceBit>(i);
    if (!has(bit)) continue;
    if (!text.empty()) text += ", ";
    text += dlms::to_string(bit);
  }
  return text;
}

Result<std::vector<std::uint8_t>> InitiateRequest::encode() const {
  std::vector<std::uint8_t> out{tag};
  if (dedicated_key) {
    if (dedicated_key->size() > max_key_size) {
      return make_error(fmt::format("InitiateRequest: dedicated key of {} octets exceeds {}",
                                    dedicated_key->size(), max_key_size));
    }
    out.push_back(0x01);
    const std::size_t length = dedicated_key->size();
    if (length >= 0x100) {
      out.push_back(0x82);
      append_unsigned16(out, static_cast<std::uint16_t>(length));
    } else {
      if (length >= 0x80) out.push_back(0x81);
      out.push_back(static_cast<std::uint8_t>(length));
    }
    out.insert(out.end(), dedicated_key->begin(), dedicated_key->end());
  } else {
    out.push_back(0x00);
  }
  // DEFAULT TRUE: the flag 00 stands for the default, so only FALSE is written out.
  if (response_allowed) {
    out.push_back(0x00);
  } else {
    out.push_back(0x01);
    out.push_back(0x00);
  }
  append_quality_of_service(out, proposed_quality_of_service);
  out.push_back(proposed_dlms_version_number);
  append_conformance(out, proposed_conformance);
  append_unsigned16(out, client_max_receive_pdu_size);
  return out;
}

Result<InitiateRequest> InitiateRequest::decode(std::span<const std::uint8_t> bytes) {
  Cursor cursor(bytes, "InitiateRequest");
  if (auto tag_ok = cursor.expect_tag(tag); !tag_ok) return tag_ok.error();
  InitiateRequest request;

  auto has_key = cursor.present("dedicated-key");
  if (!has_key) return has_key.error();
  if (*has_key) {
    auto key = cursor.octet_string("dedicated-key");
    if (!key) return key.error();
    request.dedicated_key = std::move(*key);
  }

  auto explicit_allowed = cursor.present("response-allowed");
  if (!explicit_allowed) return explicit_allowed.error();
  if (*explicit_allowed) {
    auto allowed = cursor.octet("response-allowed");
    if (!allowed) return allowed.error();
    request.response_allowed = *allowed != 0;  // A-XDR BOOLEAN: any non-zero octet is TRUE
  }

  auto qos = read_quality_of_service(cursor, "proposed-quality-of-service");
  if (!qos) return qos.error();
  request.proposed_quality_of_service = *qos;

  auto version = cursor.octet("proposed-dlms-version-number");
  if (!version) return version.error();
  request.proposed_dlms_version_number = *version;

  auto conformance = cursor.conformance("proposed-conformance");
  if (!conformance) return conformance.error();
  request.proposed_conformance = *conformance;

  auto pdu_size = cursor.unsigned16("client-max-receive-pdu-size");
  if (!pdu_size) return pdu_size.error();
  request.client_max_receive_pdu_size = *pdu_size;

  if (auto end = cursor.expect_end(); !end) return end.error();
  return request;
}

std::vector<std::uint8_t> InitiateResponse::encode() const {
  std::vector<std::uint8_t> out{tag};
  append_quality_of_service(out, negotiated_quality_of_service);
  out.push_back(negotiated_dlms_version_number);
  append_conformance(out, negotiated_conformance);
  append_unsigned16(out, server_max_receive_pdu_size);
  append_unsigned16(out, vaa_name);
  return out;
}

Result<InitiateResponse> InitiateResponse::decode(std::span<const std::uint8_t> bytes) {
  Cursor cursor(bytes, "InitiateResponse");
  if (auto tag_ok = cursor.expect_tag(tag); !tag_ok) return tag_ok.error();
  InitiateResponse response;

  auto qos = read_quality_of_service(cursor, "negotiated-quality-of-service");
  if (!qos) return qos.error();
  response.negotiated_quality_of_service = *qos;

  auto version = cursor.octet("negotiated-dlms-version-number");
  if (!version) return version.error();
  response.negotiated_dlms_version_number = *version;

  auto conformance = cursor.conformance("negotiated-conformance");
  if (!conformance) return conformance.error();
  response.negotiated_conformance = *conformance;

  auto pdu_size = cursor.unsigned16("server-max-receive-pdu-size");
  if (!pdu_size) return pdu_size.error();
  response.server_max_receive_pdu_size = *pdu_size;

  auto vaa = cursor.unsigned16("vaa-name");
  if (!vaa) return vaa.error();
  response.vaa_name = *vaa;

  if (auto end = cursor.expect_end(); !end) return end.error();
  return response;
}

std::vector<std::uint8_t> ConfirmedServiceError::encode() const {
  return {tag, static_cast<std::uint8_t>(service), static_cast<std::uint8_t>(kind), value};
}

Result<ConfirmedServiceError> ConfirmedServiceError::decode(std::span<const std::uint8_t> bytes) {
  Cursor cursor(bytes, "ConfirmedServiceError");
  if (auto tag_ok = cursor.expect_tag(tag); !tag_ok) return tag_ok.error();
  auto service = cursor.octet("service");
  if (!service) return service.error();
  if (*service < 1 || *service > static_cast<std::uint8_t>(ConfirmedService::terminate_upload)) {
    return cursor.error(fmt::format("service {} is not one of 1..19", *service));
  }
  auto kind = cursor.octet("service error");
  if (!kind) return kind.error();
  if (*kind > static_cast<std::uint8_t>(ServiceErrorKind::other)) {
    return cursor.error(fmt::format("service error kind {} is not one of 0..10", *kind));
  }
  auto value = cursor.octet("service error value");
  if (!value) return value.error();
  if (auto end = cursor.expect_end(); !end) return end.error();
  return ConfirmedServiceError{static_cast<ConfirmedService>(*service),
                               static_cast<ServiceErrorKind>(*kind), *value};
}

std::string_view to_string(ConfirmedService service) {
  // By CHOICE number; 0 is not one.
  static constexpr std::array<std::string_view, 20> names = {
      "",
      "initiate-error",
      "get-status",
      "get-name-list",
      "get-variable-attribute",
      "read",
      "write",
      "get-data-set-attribute",
      "get-ti-attribute",
      "change-scope",
      "start",
      "stop",
      "resume",
      "make-usable",
      "initiate-load",
      "load-segment",
      "terminate-load",
      "initiate-upload",
      "upload-segment",
      "terminate-upload",
  };
  const auto index = static_cast<std::size_t>(service);
  return index < names.size() ? names[index] : "";
}

std::string_view to_string(ServiceErrorKind kind) {
  static constexpr std::array<std::string_view, 11> names = {
      "application-reference",
      "hardware-resource",
      "vde-state-error",
      "service",
      "definition",
      "access",
      "initiate",
      "load-data-set",
      "change-scope",
      "task",
      "other",
  };
  const auto index = static_cast<std::size_t>(kind);
  return index < names.size() ? names[index] : "";
}

std::string_view service_error_value_name(ServiceErrorKind kind, std::uint8_t value) {
  if (kind == ServiceErrorKind::initiate) {
    static constexpr std::array<std::string_view, 5> names = {
        "other", "dlms-version-too-low", "incompatible-conformance", "pdu-size-too-short",
        "refused-by-the-vde-handler"};
    if (value < names.size()) return names[value];
  }
  if (kind == ServiceErrorKind::service) {
    static constexpr std::array<std::string_view, 3> names = {"other", "pdu-size",
                                                              "service-unsupported"};
    if (value < names.size()) return names[value];
  }
  return "";
}

std::string to_string(const ConfirmedServiceError& error) {
  const std::string_view value = service_error_value_name(error.kind, error.value);
  return fmt::format("{}: {} {}", to_string(error.service), to_string(error.kind),
                     value.empty() ? std::to_string(error.value) : std::string(value));
}

Result<InitiateAnswer> decode_initiate_answer(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return make_error("xDLMS initiate answer is empty");
  if (bytes[0] == InitiateResponse::tag) {
    auto response = InitiateResponse::decode(bytes);
    if (!response) return response.error();
    return InitiateAnswer{*response};
  }
  if (bytes[0] == ConfirmedServiceError::tag) {
    auto error = ConfirmedServiceError::decode(bytes);
    if (!error) return error.error();
    return InitiateAnswer{*error};
  }
  return make_error(
      fmt::format("xDLMS initiate answer: tag 0x{:02X} is neither InitiateResponse (0x08) nor "
                  "ConfirmedServiceError (0x0E)",
                  bytes[0]));
}

}  // namespace gridmeter::dlms
