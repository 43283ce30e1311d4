// The association (ACSE) APDUs of DLMS/COSEM: AARQ, AARE, RLRQ and RLRE (IEC 62056-5-3, the
// DLMS Green Book's ACSE clause), BER encoded per ISO/IEC 8650-1 as DLMS profiles it.
//
//   Aarq request;                                          // LN referencing, no ciphering
//   request.authentication = true;                         // low level security (LLS)
//   request.mechanism_name = to_oid(Mechanism::low);
//   const std::string_view password = "12345678";
//   request.calling_authentication_value.emplace(password.begin(), password.end());
//   request.user_information = *initiate_request.encode();  // the xDLMS APDU, opaque here
//   Result<std::vector<std::uint8_t>> wire = request.encode();
//
//   Result<Aarq> got = Aarq::decode(wire_from_client);
//   if (application_context_of(got->application_context_name) !=
//       ApplicationContext::ln_no_ciphering) { ... answer with an AARE rejected-permanent ... }
//
// The model keeps what a server needs to decide, including what it must refuse (an unknown
// application context or mechanism is kept, so the answer can be an AARE naming the reason
// rather than silence). Decoding refuses structural errors: wrong APDU tag, lengths beyond the
// end, indefinite lengths, fields out of order or repeated, a known field with the wrong form.
// Context-specific fields this model does not know (implementation-information [29], say) are
// skipped, as ACSE's extensibility allows. The user-information is the xDLMS APDU as octets:
// it may be ciphered (glo-initiate-request), which is the security layer's business, and
// initiate.hpp decodes it when it is plain.
#pragma once

#include <cstdint>   // std::uint8_t, std::int64_t
#include <optional>  // std::optional
#include <span>      // std::span
#include <string>    // std::string
#include <variant>   // std::variant
#include <vector>    // std::vector

#include "core/result.hpp"
#include "dlms/ber.hpp"

namespace gridmeter::dlms {

// Application context names 2.16.756.5.8.1.x (Green Book, "COSEM application context names").
enum class ApplicationContext : std::uint8_t {
  ln_no_ciphering = 1,  // Logical_Name_Referencing_No_Ciphering
  sn_no_ciphering = 2,  // Short_Name_Referencing_No_Ciphering
  ln_ciphering = 3,     // Logical_Name_Referencing_With_Ciphering
  sn_ciphering = 4,     // Short_Name_Referencing_With_Ciphering
};

// Authentication mechanism names 2.16.756.5.8.2.x.
enum class Mechanism : std::uint8_t {
  lowest = 0,       // no authentication
  low = 1,          // LLS: a password
  high = 2,         // HLS, manufacturer specific
  high_md5 = 3,     // HLS MD5 (deprecated by the Green Book)
  high_sha1 = 4,    // HLS SHA-1 (deprecated by the Green Book)
  high_gmac = 5,    // HLS GMAC (security suite 0)
  high_sha256 = 6,  // HLS SHA-256
  high_ecdsa = 7,   // HLS ECDSA
};

ObjectIdentifier to_oid(ApplicationContext context);
ObjectIdentifier to_oid(Mechanism mechanism);
// The named context or mechanism, or nullopt for any other identifier.
std::optional<ApplicationContext> application_context_of(const ObjectIdentifier& oid);
std::optional<Mechanism> mechanism_of(const ObjectIdentifier& oid);

// Only logical name referencing is served; the short name contexts are only recognised.
constexpr bool is_logical_name(ApplicationContext context) {
  return context == ApplicationContext::ln_no_ciphering ||
         context == ApplicationContext::ln_ciphering;
}
constexpr bool is_ciphered(ApplicationContext context) {
  return context == ApplicationContext::ln_ciphering || context == ApplicationContext::sn_ciphering;
}

// protocol-version [0] IMPLICIT BIT STRING {version1(0)} DEFAULT {version1}. DLMS clients
// normally leave it out. A server that receives bits without version1 answers
// rejected-permanent with acse-service-provider no-common-acse-version.
enum class ProtocolVersion : std::uint8_t {
  omitted,          // absent: the default, version1
  version1,         // present, bit 0 set: 80 02 07 80
  without_version1  // present, bit 0 clear (encoded as 80 01 00)
};

// One side's addressing fields, four consecutive context tags in every ACSE APDU (called [2..5]
// and calling [6..9] in the AARQ, responding [4..7] in the AARE).
struct ApplicationEntity {
  // The AP title holds the system title (8 octets) when ciphering or HLS-GMAC is used. Other
  // lengths are kept so the association can refuse them with calling-AP-title-not-recognized.
  std::optional<std::vector<std::uint8_t>> ap_title;
  // The AE qualifier carries a public key certificate for ECDSA (suites 1 and 2); DLMS encodes
  // it as an OCTET STRING, as it does the AP title.
  std::optional<std::vector<std::uint8_t>> ae_qualifier;
  std::optional<std::int64_t> ap_invocation_id;
  std::optional<std::int64_t> ae_invocation_id;

  friend bool operator==(const ApplicationEntity&, const ApplicationEntity&) = default;
};

// AARQ ::= [APPLICATION 0] IMPLICIT SEQUENCE (tag 0x60).
struct Aarq {
  ProtocolVersion protocol_version = ProtocolVersion::omitted;
  ObjectIdentifier application_context_name = to_oid(ApplicationContext::ln_no_ciphering);
  ApplicationEntity called;
  ApplicationEntity calling;
  // sender-acse-requirements [10]: the authentication functional unit (8A 02 07 80).
  bool authentication = false;
  std::optional<ObjectIdentifier> mechanism_name;  // [11]
  // calling-authentication-value [12], the charstring [0] choice: the LLS password, or the
  // client's challenge CtoS for HLS. The other choices (bitstring, external, other) are refused.
  std::optional<std::vector<std::uint8_t>> calling_authentication_value;
  std::optional<std::vector<std::uint8_t>> user_information;  // [30], the xDLMS APDU

  // Fails only when a field is longer than 65535 octets, or the whole APDU is.
  [[nodiscard]] Result<std::vector<std::uint8_t>> encode() const;
  // Exactly one AARQ, nothing after it.
  static Result<Aarq> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const Aarq&, const Aarq&) = default;
};

// Association-result.
enum class AssociationResult : std::uint8_t {
  accepted = 0,
  rejected_permanent = 1,
  rejected_transient = 2,
};

// result-source-diagnostic, acse-service-user [1]. Values outside the list are kept as sent.
enum class AcseServiceUser : std::uint8_t {
  null = 0,
  no_reason_given = 1,
  application_context_name_not_supported = 2,
  calling_ap_title_not_recognized = 3,
  calling_ap_invocation_identifier_not_recognized = 4,
  calling_ae_qualifier_not_recognized = 5,
  calling_ae_invocation_identifier_not_recognized = 6,
  called_ap_title_not_recognized = 7,
  called_ap_invocation_identifier_not_recognized = 8,
  called_ae_qualifier_not_recognized = 9,
  called_ae_invocation_identifier_not_recognized = 10,
  authentication_mechanism_name_not_recognised = 11,
  authentication_mechanism_name_required = 12,
  authentication_failure = 13,
  authentication_required = 14,
};

// result-source-diagnostic, acse-service-provider [2]. Values outside the list are kept.
enum class AcseServiceProvider : std::uint8_t {
  null = 0,
  no_reason_given = 1,
  no_common_acse_version = 2,
};

using SourceDiagnostic = std::variant<AcseServiceUser, AcseServiceProvider>;

// Green Book names: "authentication-failure", "no-common-acse-version"; "unknown (n)" else.
std::string to_string(AssociationResult result);
std::string to_string(const SourceDiagnostic& diagnostic);

// AARE ::= [APPLICATION 1] IMPLICIT SEQUENCE (tag 0x61).
struct Aare {
  ProtocolVersion protocol_version = ProtocolVersion::omitted;
  ObjectIdentifier application_context_name = to_oid(ApplicationContext::ln_no_ciphering);
  AssociationResult result = AssociationResult::accepted;  // an unknown value is refused
  SourceDiagnostic diagnostic = AcseServiceUser::null;
  ApplicationEntity responding;  // the AP title is the server's system title
  // responder-acse-requirements [8]: the authentication functional unit (88 02 07 80).
  bool authentication = false;
  std::optional<ObjectIdentifier> mechanism_name;  // [9]
  // responding-authentication-value [10], charstring: the server's challenge StoC for HLS.
  std::optional<std::vector<std::uint8_t>> responding_authentication_value;
  // [30]: an InitiateResponse, or a ConfirmedServiceError when the initiate failed.
  std::optional<std::vector<std::uint8_t>> user_information;

  [[nodiscard]] Result<std::vector<std::uint8_t>> encode() const;
  static Result<Aare> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const Aare&, const Aare&) = default;
};

// Release-request-reason. Values outside the list are kept as sent.
enum class ReleaseRequestReason : std::uint8_t { normal = 0, urgent = 1, user_defined = 30 };
// Release-response-reason: 1 is "not-finished" here, not "urgent".
enum class ReleaseResponseReason : std::uint8_t { normal = 0, not_finished = 1, user_defined = 30 };

// RLRQ ::= [APPLICATION 2] IMPLICIT SEQUENCE (tag 0x62); the shortest is 62 00.
struct Rlrq {
  std::optional<ReleaseRequestReason> reason;                 // [0] IMPLICIT INTEGER
  std::optional<std::vector<std::uint8_t>> user_information;  // [30], when ciphered

  [[nodiscard]] Result<std::vector<std::uint8_t>> encode() const;
  static Result<Rlrq> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const Rlrq&, const Rlrq&) = default;
};

// RLRE ::= [APPLICATION 3] IMPLICIT SEQUENCE (tag 0x63), e.g. 63 03 80 01 00.
struct Rlre {
  std::optional<ReleaseResponseReason> reason;
  std::optional<std::vector<std::uint8_t>> user_information;

  [[nodiscard]] Result<std::vector<std::uint8_t>> encode() const;
  static Result<Rlre> decode(std::span<const std::uint8_t> bytes);

  friend bool operator==(const Rlre&, const Rlre&) = default;
};

}  // namespace gridmeter::dlms
