#include "dlms/acse.hpp"

#include <fmt/format.h>

#include <array>        // std::array
#include <cassert>      // assert
#include <string_view>  // std::string_view
#include <utility>      // std::move

namespace gridmeter::dlms {
namespace {

using Octets = std::vector<std::uint8_t>;

// {joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8)},
// then 1 for application contexts or 2 for authentication mechanisms, then the id.
constexpr std::array<std::uint8_t, 5> dlms_ua_prefix = {0x60, 0x85, 0x74, 0x05, 0x08};
constexpr std::uint8_t group_context = 1;
constexpr std::uint8_t group_mechanism = 2;

ObjectIdentifier dlms_oid(std::uint8_t group, std::uint8_t id) {
  const std::array<std::uint8_t, 7> octets = {dlms_ua_prefix[0],
                                              dlms_ua_prefix[1],
                                              dlms_ua_prefix[2],
                                              dlms_ua_prefix[3],
                                              dlms_ua_prefix[4],
                                              group,
                                              id};
  auto oid = ObjectIdentifier::from_encoded(octets);
  assert(oid && id < 0x80);
  return *oid;
}

// The last arc of a 2.16.756.5.8.<group>.<id> identifier, or nullopt for any other.
std::optional<std::uint8_t> dlms_id(const ObjectIdentifier& oid, std::uint8_t group) {
  const auto octets = oid.encoded();
  if (octets.size() != dlms_ua_prefix.size() + 2) return std::nullopt;
  for (std::size_t i = 0; i < dlms_ua_prefix.size(); ++i) {
    if (octets[i] != dlms_ua_prefix[i]) return std::nullopt;
  }
  if (octets[5] != group) return std::nullopt;
  return octets[6];
}

// APDU identifiers: [APPLICATION n] IMPLICIT SEQUENCE, so application class and constructed.
constexpr std::uint8_t aarq_tag = 0x60;
constexpr std::uint8_t aare_tag = 0x61;
constexpr std::uint8_t rlrq_tag = 0x62;
constexpr std::uint8_t rlre_tag = 0x63;

constexpr std::uint8_t context_primitive(std::uint32_t number) {
  return static_cast<std::uint8_t>(ber::class_context | number);
}
constexpr std::uint8_t context_constructed(std::uint32_t number) {
  return static_cast<std::uint8_t>(ber::class_context | ber::constructed_bit | number);
}

// Context tag numbers of the fields (implementation-information [29] is never read: skipped).
constexpr std::uint32_t field_protocol_version = 0;
constexpr std::uint32_t field_context_name = 1;
constexpr std::uint32_t field_user_information = 30;
constexpr std::uint32_t aarq_called_entity = 2;  // called-AP-title .. called-AE-invocation-id
constexpr std::uint32_t aarq_calling_entity = 6;
constexpr std::uint32_t aarq_sender_acse_requirements = 10;
constexpr std::uint32_t aarq_mechanism_name = 11;
constexpr std::uint32_t aarq_calling_authentication_value = 12;
constexpr std::uint32_t aare_result = 2;
constexpr std::uint32_t aare_result_source_diagnostic = 3;
constexpr std::uint32_t aare_responding_entity = 4;
constexpr std::uint32_t aare_responder_acse_requirements = 8;
constexpr std::uint32_t aare_mechanism_name = 9;
constexpr std::uint32_t aare_responding_authentication_value = 10;
constexpr std::uint32_t release_reason = 0;

// ACSE-requirements with only the authentication bit: 7 unused bits, then 1000 0000.
constexpr std::array<std::uint8_t, 2> authentication_bits = {0x07, 0x80};
constexpr std::array<std::uint8_t, 2> version1_bits = {0x07, 0x80};
constexpr std::array<std::uint8_t, 1> no_bits = {0x00};

// The four addressing fields of one side, in the order their context tags follow each other.
constexpr std::array<std::string_view, 4> entity_field_names = {
    "AP-title", "AE-qualifier", "AP-invocation-identifier", "AE-invocation-identifier"};

Error field_error(std::string_view apdu, std::string_view field, const ber::Element& element,
                  std::string_view message) {
  return make_error(fmt::format("{} {} [{}] at offset {}: {}", apdu, field, element.tag_number,
                                element.offset, message));
}

// ---- decoding the parts of a field ----

// A field decoder knows its APDU and field name, so each error says where it happened.
class FieldReader {
 public:
  FieldReader(std::string_view apdu, std::string field, const ber::Element& element)
      : apdu_(apdu), field_(std::move(field)), element_(element) {}

  Error error(std::string_view message) const {
    return field_error(apdu_, field_, element_, message);
  }

  Status expect_form(bool constructed) const {
    if (element_.constructed == constructed) return {};
    return error(constructed ? "must be constructed (an EXPLICIT tag)"
                             : "must be primitive (an IMPLICIT tag)");
  }

  // The one element inside an EXPLICIT tag, which must be the universal type `number`.
  Result<ber::Element> inner(std::uint32_t number, std::string_view type) const {
    if (auto form = expect_form(true); !form) return form.error();
    ber::Reader reader(element_.content, element_.content_offset);
    auto value = reader.next();
    if (!value) return error(value.error().message);
    if (!value->is_universal(number) || value->constructed) {
      return error(fmt::format("expected a primitive {} inside", type));
    }
    if (!reader.at_end()) return error("octets after its one element");
    return value;
  }

  Result<Octets> explicit_octet_string() const {
    auto value = inner(ber::tag_octet_string, "OCTET STRING");
    if (!value) return value.error();
    return Octets(value->content.begin(), value->content.end());
  }

  Result<std::int64_t> explicit_integer() const {
    auto value = inner(ber::tag_integer, "INTEGER");
    if (!value) return value.error();
    auto number = ber::decode_integer(value->content);
    if (!number) return error(number.error().message);
    return *number;
  }

  Result<ObjectIdentifier> explicit_oid() const {
    auto value = inner(ber::tag_object_identifier, "OBJECT IDENTIFIER");
    if (!value) return value.error();
    return oid_of(value->content);
  }

  Result<ObjectIdentifier> implicit_oid() const {
    if (auto form = expect_form(false); !form) return form.error();
    return oid_of(element_.content);
  }

  Result<bool> implicit_first_bit() const {
    if (auto form = expect_form(false); !form) return form.error();
    auto bit = ber::decode_first_bit(element_.content);
    if (!bit) return error(bit.error().message);
    return *bit;
  }

  // An INTEGER with named values that fit an octet: the enums keep values outside their list.
  Result<std::uint8_t> implicit_small_integer() const {
    if (auto form = expect_form(false); !form) return form.error();
    auto number = ber::decode_integer(element_.content);
    if (!number) return error(number.error().message);
    return small(*number);
  }

  Result<std::uint8_t> small(std::int64_t number) const {
    if (number < 0 || number > 0xFF) return error(fmt::format("value {} is not 0..255", number));
    return static_cast<std::uint8_t>(number);
  }

  // Authentication-value ::= CHOICE { charstring [0] IMPLICIT GraphicString, bitstring [1],
  // external [2], other [3] }: DLMS uses charstring for passwords and challenges alike.
  Result<Octets> authentication_value() const {
    if (auto form = expect_form(true); !form) return form.error();
    ber::Reader reader(element_.content, element_.content_offset);
    auto value = reader.next();
    if (!value) return error(value.error().message);
    if (!value->is_context(0) || value->constructed) {
      return error("only the charstring [0] choice is used in DLMS");
    }
    if (!reader.at_end()) return error("octets after its one element");
    return Octets(value->content.begin(), value->content.end());
  }

  // Associate-source-diagnostic ::= CHOICE { acse-service-user [1] INTEGER,
  // acse-service-provider [2] INTEGER }, each tag EXPLICIT: A3 05 A1 03 02 01 00.
  Result<SourceDiagnostic> source_diagnostic() const {
    if (auto form = expect_form(true); !form) return form.error();
    ber::Reader reader(element_.content, element_.content_offset);
    auto choice = reader.next();
    if (!choice) return error(choice.error().message);
    if (!reader.at_end()) return error("octets after its one element");
    const bool user = choice->is_context(1);
    if (!(user || choice->is_context(2))) {
      return error("expected acse-service-user [1] or acse-service-provider [2]");
    }
    const FieldReader nested(apdu_, user ? "acse-service-user" : "acse-service-provider", *choice);
    auto number = nested.explicit_integer();
    if (!number) return number.error();
    auto value = nested.small(*number);
    if (!value) return value.error();
    if (user) return SourceDiagnostic{static_cast<AcseServiceUser>(*value)};
    return SourceDiagnostic{static_cast<AcseServiceProvider>(*value)};
  }

 private:
  Result<ObjectIdentifier> oid_of(std::span<const std::uint8_t> content) const {
    auto oid = ObjectIdentifier::from_encoded(content);
    if (!oid) return error(oid.error().message);
    return *oid;
  }

  std::string_view apdu_;
  std::string field_;
  const ber::Element& element_;
};

// The SEQUENCE of one APDU: its elements in order, only context-specific, tag numbers strictly
// increasing (so a repeated or shuffled field is refused, not silently taken twice).
class Fields {
 public:
  Fields(std::string_view apdu, const ber::Element& sequence)
      : apdu_(apdu), reader_(sequence.content, sequence.content_offset) {}

  // The next field, or nullopt at the end.
  Result<std::optional<ber::Element>> next() {
    if (reader_.at_end()) return std::optional<ber::Element>{};
    auto element = reader_.next();
    if (!element) return make_error(fmt::format("{}: {}", apdu_, element.error().message));
    if (element->tag_class != ber::class_context) {
      return make_error(
          fmt::format("{}: element at offset {} is not context-specific", apdu_, element->offset));
    }
    if (seen_any_ && element->tag_number <= previous_) {
      return make_error(fmt::format("{}: field [{}] at offset {} repeats or is out of order", apdu_,
                                    element->tag_number, element->offset));
    }
    seen_any_ = true;
    previous_ = element->tag_number;
    return std::optional<ber::Element>{*element};
  }

 private:
  std::string_view apdu_;
  ber::Reader reader_;
  std::uint32_t previous_ = 0;
  bool seen_any_ = false;
};

// The outer [APPLICATION n] element, which must span all of `bytes`.
Result<ber::Element> open_apdu(std::span<const std::uint8_t> bytes, std::uint8_t tag,
                               std::string_view apdu) {
  if (bytes.empty()) return make_error(fmt::format("{}: empty input", apdu));
  // The tag first: a wrong APDU says so, rather than whatever its length happens to do.
  if (bytes[0] != tag) {
    return make_error(fmt::format("{}: tag 0x{:02X}, expected 0x{:02X}", apdu, bytes[0], tag));
  }
  ber::Reader reader(bytes);
  auto element = reader.next();
  if (!element) return make_error(fmt::format("{}: {}", apdu, element.error().message));
  if (!reader.at_end()) {
    return make_error(
        fmt::format("{}: {} octets after the APDU", apdu,
                    bytes.size() - element->content_offset - element->content.size()));
  }
  return element;
}

Result<ProtocolVersion> read_protocol_version(const FieldReader& field) {
  auto bit = field.implicit_first_bit();
  if (!bit) return bit.error();
  return *bit ? ProtocolVersion::version1 : ProtocolVersion::without_version1;
}

// One of the four addressing fields of `entity`, `index` 0..3 as in entity_field_names.
Status read_entity_field(const FieldReader& field, std::size_t index, ApplicationEntity& entity) {
  if (index < 2) {
    auto octets = field.explicit_octet_string();
    if (!octets) return octets.error();
    (index == 0 ? entity.ap_title : entity.ae_qualifier) = std::move(*octets);
    return {};
  }
  auto number = field.explicit_integer();
  if (!number) return number.error();
  (index == 2 ? entity.ap_invocation_id : entity.ae_invocation_id) = *number;
  return {};
}

// When `number` falls in the four tags from `first`, decodes it into `entity`; sets `handled`.
Status read_entity(std::string_view apdu, std::string_view side, std::uint32_t first,
                   const ber::Element& element, ApplicationEntity& entity, bool& handled) {
  if (element.tag_number < first || element.tag_number >= first + 4) return {};
  handled = true;
  const std::size_t index = element.tag_number - first;
  const FieldReader field(apdu, fmt::format("{}-{}", side, entity_field_names[index]), element);
  return read_entity_field(field, index, entity);
}

// ---- encoding ----

Status append_protocol_version(Octets& out, ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::omitted:
      return {};
    case ProtocolVersion::version1:
      return ber::append(out, context_primitive(field_protocol_version), version1_bits);
    case ProtocolVersion::without_version1:
      return ber::append(out, context_primitive(field_protocol_version), no_bits);
  }
  return make_error("protocol-version: unknown value");
}

Status append_oid(Octets& out, std::uint8_t identifier, const ObjectIdentifier& oid, bool wrapped,
                  std::string_view field) {
  if (oid.empty()) return make_error(fmt::format("{} is empty", field));
  if (wrapped)
    return ber::append_wrapped(out, identifier, ber::tag_object_identifier, oid.encoded());
  return ber::append(out, identifier, oid.encoded());
}

Status append_entity(Octets& out, std::uint32_t first, const ApplicationEntity& entity) {
  if (entity.ap_title) {
    auto s = ber::append_wrapped(out, context_constructed(first), ber::tag_octet_string,
                                 *entity.ap_title);
    if (!s) return s;
  }
  if (entity.ae_qualifier) {
    auto s = ber::append_wrapped(out, context_constructed(first + 1), ber::tag_octet_string,
                                 *entity.ae_qualifier);
    if (!s) return s;
  }
  if (entity.ap_invocation_id) {
    auto s = ber::append_wrapped(out, context_constructed(first + 2), ber::tag_integer,
                                 ber::encode_integer(*entity.ap_invocation_id));
    if (!s) return s;
  }
  if (entity.ae_invocation_id) {
    auto s = ber::append_wrapped(out, context_constructed(first + 3), ber::tag_integer,
                                 ber::encode_integer(*entity.ae_invocation_id));
    if (!s) return s;
  }
  return {};
}

Status append_user_information(Octets& out, const std::optional<Octets>& user_information) {
  if (!user_information) return {};
  return ber::append_wrapped(out, context_constructed(field_user_information),
                             ber::tag_octet_string, *user_information);
}

Result<Octets> close_apdu(std::uint8_t tag, const Octets& body, std::string_view apdu) {
  Octets out;
  out.reserve(body.size() + 4);
  if (auto s = ber::append(out, tag, body); !s) {
    return make_error(fmt::format("{}: {}", apdu, s.error().message));
  }
  return out;
}

Error encode_error(std::string_view apdu, const Status& status) {
  return make_error(fmt::format("{}: {}", apdu, status.error().message));
}

// Fields of RLRQ and RLRE: reason [0] and user-information [30].
template <typename Reason>
Status read_release(std::string_view apdu, const ber::Element& sequence,
                    std::optional<Reason>& reason, std::optional<Octets>& user_information) {
  Fields fields(apdu, sequence);
  for (;;) {
    auto next = fields.next();
    if (!next) return next.error();
    if (!*next) return {};
    const ber::Element& element = **next;
    if (element.tag_number == release_reason) {
      auto value = FieldReader(apdu, "reason", element).implicit_small_integer();
      if (!value) return value.error();
      reason = static_cast<Reason>(*value);
    } else if (element.tag_number == field_user_information) {
      auto octets = FieldReader(apdu, "user-information", element).explicit_octet_string();
      if (!octets) return octets.error();
      user_information = std::move(*octets);
    }
    // Any other context tag: an extension this model does not know, skipped.
  }
}

template <typename Reason>
Result<Octets> encode_release(std::uint8_t tag, std::string_view apdu,
                              const std::optional<Reason>& reason,
                              const std::optional<Octets>& user_information) {
  Octets body;
  if (reason) {
    const auto value = ber::encode_integer(static_cast<std::int64_t>(*reason));
    if (auto s = ber::append(body, context_primitive(release_reason), value); !s) {
      return encode_error(apdu, s);
    }
  }
  if (auto s = append_user_information(body, user_information); !s) return encode_error(apdu, s);
  return close_apdu(tag, body, apdu);
}

}  // namespace

ObjectIdentifier to_oid(ApplicationContext context) {
  return dlms_oid(group_context, static_cast<std::uint8_t>(context));
}

ObjectIdentifier to_oid(Mechanism mechanism) {
  return dlms_oid(group_mechanism, static_cast<std::uint8_t>(mechanism));
}

std::optional<ApplicationContext> application_context_of(const ObjectIdentifier& oid) {
  const auto id = dlms_id(oid, group_context);
  if (!id || *id < 1 || *id > 4) return std::nullopt;
  return static_cast<ApplicationContext>(*id);
}

std::optional<Mechanism> mechanism_of(const ObjectIdentifier& oid) {
  const auto id = dlms_id(oid, group_mechanism);
  if (!id || *id > 7) return std::nullopt;
  return static_cast<Mechanism>(*id);
}

std::string to_string(AssociationResult result) {
  switch (result) {
    case AssociationResult::accepted:
      return "accepted";
    case AssociationResult::rejected_permanent:
      return "rejected-permanent";
    case AssociationResult::rejected_transient:
      return "rejected-transient";
  }
  return fmt::format("unknown ({})", static_cast<unsigned>(result));
}

std::string to_string(const SourceDiagnostic& diagnostic) {
  static constexpr std::array<std::string_view, 15> user_names = {
      "null",
      "no-reason-given",
      "application-context-name-not-supported",
      "calling-AP-title-not-recognized",
      "calling-AP-invocation-identifier-not-recognized",
      "calling-AE-qualifier-not-recognized",
      "calling-AE-invocation-identifier-not-recognized",
      "called-AP-title-not-recognized",
      "called-AP-invocation-identifier-not-recognized",
      "called-AE-qualifier-not-recognized",
      "called-AE-invocation-identifier-not-recognized",
      "authentication-mechanism-name-not-recognised",
      "authentication-mechanism-name-required",
      "authentication-failure",
      "authentication-required"};
  static constexpr std::array<std::string_view, 3> provider_names = {"null", "no-reason-given",
                                                                     "no-common-acse-version"};
  if (const auto* user = std::get_if<AcseServiceUser>(&diagnostic)) {
    const auto value = static_cast<std::size_t>(*user);
    if (value < user_names.size()) return fmt::format("acse-service-user {}", user_names[value]);
    return fmt::format("acse-service-user unknown ({})", value);
  }
  const auto value = static_cast<std::size_t>(std::get<AcseServiceProvider>(diagnostic));
  if (value < provider_names.size()) {
    return fmt::format("acse-service-provider {}", provider_names[value]);
  }
  return fmt::format("acse-service-provider unknown ({})", value);
}

// ---- AARQ ----

Result<std::vector<std::uint8_t>> Aarq::encode() const {
  constexpr std::string_view apdu = "AARQ";
  Octets body;
  Status s = append_protocol_version(body, protocol_version);
  if (s) {
    s = append_oid(body, context_constructed(field_context_name), application_context_name, true,
                   "application-context-name");
  }
  if (s) s = append_entity(body, aarq_called_entity, called);
  if (s) s = append_entity(body, aarq_calling_entity, calling);
  if (s && authentication) {
    s = ber::append(body, context_primitive(aarq_sender_acse_requirements), authentication_bits);
  }
  if (s && mechanism_name) {
    s = append_oid(body, context_primitive(aarq_mechanism_name), *mechanism_name, false,
                   "mechanism-name");
  }
  if (s && calling_authentication_value) {
    s = ber::append_wrapped(body, context_constructed(aarq_calling_authentication_value),
                            context_primitive(0), *calling_authentication_value);
  }
  if (s) s = append_user_information(body, user_information);
  if (!s) return encode_error(apdu, s);
  return close_apdu(aarq_tag, body, apdu);
}

Result<Aarq> Aarq::decode(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view apdu = "AARQ";
  auto sequence = open_apdu(bytes, aarq_tag, apdu);
  if (!sequence) return sequence.error();
  Aarq aarq;
  bool has_context_name = false;
  Fields fields(apdu, *sequence);
  for (;;) {
    auto next = fields.next();
    if (!next) return next.error();
    if (!*next) break;
    const ber::Element& element = **next;
    bool handled = false;
    if (auto s = read_entity(apdu, "called", aarq_called_entity, element, aarq.called, handled);
        !s) {
      return s.error();
    }
    if (auto s = read_entity(apdu, "calling", aarq_calling_entity, element, aarq.calling, handled);
        !s) {
      return s.error();
    }
    if (handled) continue;
    switch (element.tag_number) {
      case field_protocol_version: {
        auto version = read_protocol_version(FieldReader(apdu, "protocol-version", element));
        if (!version) return version.error();
        aarq.protocol_version = *version;
        break;
      }
      case field_context_name: {
        auto oid = FieldReader(apdu, "application-context-name", element).explicit_oid();
        if (!oid) return oid.error();
        aarq.application_context_name = *oid;
        has_context_name = true;
        break;
      }
      case aarq_sender_acse_requirements: {
        auto bit = FieldReader(apdu, "sender-acse-requirements", element).implicit_first_bit();
        if (!bit) return bit.error();
        aarq.authentication = *bit;
        break;
      }
      case aarq_mechanism_name: {
        auto oid = FieldReader(apdu, "mechanism-name", element).implicit_oid();
        if (!oid) return oid.error();
        aarq.mechanism_name = *oid;
        break;
      }
      case aarq_calling_authentication_value: {
        auto value =
            FieldReader(apdu, "calling-authentication-value", element).authentication_value();
        if (!value) return value.error();
        aarq.calling_authentication_value = std::move(*value);
        break;
      }
      case field_user_information: {
        auto octets = FieldReader(apdu, "user-information", element).explicit_octet_string();
        if (!octets) return octets.error();
        aarq.user_information = std::move(*octets);
        break;
      }
      default:
        break;  // implementation-information [29] and unknown extensions: skipped
    }
  }
  if (!has_context_name) return make_error("AARQ: application-context-name [1] is missing");
  return aarq;
}

// ---- AARE ----

Result<std::vector<std::uint8_t>> Aare::encode() const {
  constexpr std::string_view apdu = "AARE";
  Octets body;
  Status s = append_protocol_version(body, protocol_version);
  if (s) {
    s = append_oid(body, context_constructed(field_context_name), application_context_name, true,
                   "application-context-name");
  }
  if (s) {
    s = ber::append_wrapped(body, context_constructed(aare_result), ber::tag_integer,
                            ber::encode_integer(static_cast<std::int64_t>(result)));
  }
  if (s) {
    const bool user = std::holds_alternative<AcseServiceUser>(diagnostic);
    const auto value = user ? static_cast<std::int64_t>(std::get<AcseServiceUser>(diagnostic))
                            : static_cast<std::int64_t>(std::get<AcseServiceProvider>(diagnostic));
    Octets choice;
    s = ber::append_wrapped(choice, context_constructed(user ? 1 : 2), ber::tag_integer,
                            ber::encode_integer(value));
    if (s) s = ber::append(body, context_constructed(aare_result_source_diagnostic), choice);
  }
  if (s) s = append_entity(body, aare_responding_entity, responding);
  if (s && authentication) {
    s = ber::append(body, context_primitive(aare_responder_acse_requirements), authentication_bits);
  }
  if (s && mechanism_name) {
    s = append_oid(body, context_primitive(aare_mechanism_name), *mechanism_name, false,
                   "mechanism-name");
  }
  if (s && responding_authentication_value) {
    s = ber::append_wrapped(body, context_constructed(aare_responding_authentication_value),
                            context_primitive(0), *responding_authentication_value);
  }
  if (s) s = append_user_information(body, user_information);
  if (!s) return encode_error(apdu, s);
  return close_apdu(aare_tag, body, apdu);
}

Result<Aare> Aare::decode(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view apdu = "AARE";
  auto sequence = open_apdu(bytes, aare_tag, apdu);
  if (!sequence) return sequence.error();
  Aare aare;
  bool has_context_name = false;
  bool has_result = false;
  bool has_diagnostic = false;
  Fields fields(apdu, *sequence);
  for (;;) {
    auto next = fields.next();
    if (!next) return next.error();
    if (!*next) break;
    const ber::Element& element = **next;
    bool handled = false;
    if (auto s = read_entity(apdu, "responding", aare_responding_entity, element, aare.responding,
                             handled);
        !s) {
      return s.error();
    }
    if (handled) continue;
    switch (element.tag_number) {
      case field_protocol_version: {
        auto version = read_protocol_version(FieldReader(apdu, "protocol-version", element));
        if (!version) return version.error();
        aare.protocol_version = *version;
        break;
      }
      case field_context_name: {
        auto oid = FieldReader(apdu, "application-context-name", element).explicit_oid();
        if (!oid) return oid.error();
        aare.application_context_name = *oid;
        has_context_name = true;
        break;
      }
      case aare_result: {
        const FieldReader field(apdu, "result", element);
        auto number = field.explicit_integer();
        if (!number) return number.error();
        if (*number < 0 || *number > 2) {
          return field.error(
              fmt::format("{} is not accepted (0), rejected-permanent (1) or "
                          "rejected-transient (2)",
                          *number));
        }
        aare.result = static_cast<AssociationResult>(*number);
        has_result = true;
        break;
      }
      case aare_result_source_diagnostic: {
        auto diagnostic =
            FieldReader(apdu, "result-source-diagnostic", element).source_diagnostic();
        if (!diagnostic) return diagnostic.error();
        aare.diagnostic = *diagnostic;
        has_diagnostic = true;
        break;
      }
      case aare_responder_acse_requirements: {
        auto bit = FieldReader(apdu, "responder-acse-requirements", element).implicit_first_bit();
        if (!bit) return bit.error();
        aare.authentication = *bit;
        break;
      }
      case aare_mechanism_name: {
        auto oid = FieldReader(apdu, "mechanism-name", element).implicit_oid();
        if (!oid) return oid.error();
        aare.mechanism_name = *oid;
        break;
      }
      case aare_responding_authentication_value: {
        auto value =
            FieldReader(apdu, "responding-authentication-value", element).authentication_value();
        if (!value) return value.error();
        aare.responding_authentication_value = std::move(*value);
        break;
      }
      case field_user_information: {
        auto octets = FieldReader(apdu, "user-information", element).explicit_octet_string();
        if (!octets) return octets.error();
        aare.user_information = std::move(*octets);
        break;
      }
      default:
        break;  // implementation-information [29] and unknown extensions: skipped
    }
  }
  if (!has_context_name) return make_error("AARE: application-context-name [1] is missing");
  if (!has_result) return make_error("AARE: result [2] is missing");
  if (!has_diagnostic) return make_error("AARE: result-source-diagnostic [3] is missing");
  return aare;
}

// ---- RLRQ, RLRE ----

Result<std::vector<std::uint8_t>> Rlrq::encode() const {
  return encode_release(rlrq_tag, "RLRQ", reason, user_information);
}

Result<Rlrq> Rlrq::decode(std::span<const std::uint8_t> bytes) {
  auto sequence = open_apdu(bytes, rlrq_tag, "RLRQ");
  if (!sequence) return sequence.error();
  Rlrq rlrq;
  if (auto s =
          read_release(std::string_view("RLRQ"), *sequence, rlrq.reason, rlrq.user_information);
      !s) {
    return s.error();
  }
  return rlrq;
}

Result<std::vector<std::uint8_t>> Rlre::encode() const {
  return encode_release(rlre_tag, "RLRE", reason, user_information);
}

Result<Rlre> Rlre::decode(std::span<const std::uint8_t> bytes) {
  auto sequence = open_apdu(bytes, rlre_tag, "RLRE");
  if (!sequence) return sequence.error();
  Rlre rlre;
  if (auto s =
          read_release(std::string_view("RLRE"), *sequence, rlre.reason, rlre.user_information);
      !s) {
    return s.error();
  }
  return rlre;
}

}  // namespace gridmeter::dlms
