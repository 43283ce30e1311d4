// The security of an association (IEC 62056-5-3 clause 5.5.7 and 6.2; Green Book 9.2.7.2.4
// "cryptographic protection of xDLMS APDUs", 9.2.7.4 "HLS authentication mechanism 5"):
// deciphering requests, protecting answers, and the passes 3 and 4 of HLS-GMAC.
#include <algorithm>  // std::copy, std::equal
#include <variant>    // std::get_if

#include "dlms/association.hpp"
#include "dlms/axdr.hpp"

namespace gridmeter::dlms {
namespace {

// The Association LN every client reaches as its current association (IEC 62056-6-2 clause
// 4.4.3: 0-0:40.0.0.255).
constexpr Obis current_association{0, 0, 40, 0, 0, 255};
constexpr std::uint16_t association_ln_class = 15;
constexpr std::uint8_t reply_to_hls_authentication = 1;

constexpr std::uint8_t glo_initiate_request_tag = 0x21;
constexpr std::uint8_t initiate_request_tag = 0x01;

// The requests a client may send ciphered (glo- or ded-): get, set and action.
constexpr bool is_service_request(std::uint8_t plain_tag) {
  return plain_tag == 0xC0 || plain_tag == 0xC1 || plain_tag == 0xC3;
}

// The longest a protected answer gets beyond its plain APDU: general-ded-ciphering's tag, the
// system title with its length, a content length of up to 3 octets, the security header (5)
// and the authentication tag (12).
constexpr std::size_t protection_overhead_octets = 1 + 9 + 3 + 5 + 12;

ExceptionResponse deciphering_error() {
  return {ExceptionStateError::service_not_allowed, ExceptionServiceError::deciphering_error};
}

}  // namespace

bool Association::ciphered() const { return is_ciphered(context_.application_context); }

Suite0* Association::suite_for(Protection::Form form) {
  if (form == Protection::Form::ded || form == Protection::Form::general_ded) {
    return dedicated_ ? &*dedicated_ : nullptr;
  }
  return security_ != nullptr ? security_->global_suite() : nullptr;
}

std::size_t Association::ciphering_overhead_octets() const {
  return ciphered() ? protection_overhead_octets : 0;
}

std::size_t Association::answer_octets_max() const {
  return context_.client_max_receive_pdu_size - ciphering_overhead_octets();
}

bool Association::meets_policy(const Protection& protection) const {
  if (policy_.has(SecurityPolicy::authenticated_request) && !protection.control.authenticated()) {
    return false;
  }
  return !policy_.has(SecurityPolicy::encrypted_request) || protection.control.encrypted();
}

bool Association::decipher_initiate(std::span<const std::uint8_t> user_information) {
  const std::uint16_t client = context_.client_sap;
  auto apdu = CipheredApdu::decode(user_information);
  if (!apdu || (apdu->tag != glo_initiate_request_tag && apdu->tag != general_glo_ciphering_tag)) {
    return false;
  }
  const SystemTitle& title = *context_.client_system_title;
  if (apdu->system_title && !std::equal(apdu->system_title->begin(), apdu->system_title->end(),
                                        title.begin(), title.end())) {
    security_->report(SecurityEvent::deciphering_failure, client);
    return false;
  }
  plain_.clear();
  if (apdu->security_control.broadcast_key() ||
      !security_->global_suite()->unprotect(*apdu, title, plain_)) {
    security_->report(SecurityEvent::deciphering_failure, client);
    return false;
  }
  if (!security_->accept_client_counter(client, apdu->invocation_counter)) {
    security_->report(SecurityEvent::replay_attack, client);
    return false;
  }
  request_protection_.form =
      apdu->system_title ? Protection::Form::general_glo : Protection::Form::glo;
  request_protection_.control = apdu->security_control;
  return !plain_.empty() && plain_[0] == initiate_request_tag && meets_policy(request_protection_);
}

bool Association::decipher(std::span<const std::uint8_t> request,
                           std::vector<std::uint8_t>& response) {
  auto refuse = [&](const ExceptionResponse& why) {
    response = why.encode();
    return false;
  };
  if (!context_.associated && !context_.authentication_pending) {
    return refuse(
        {ExceptionStateError::service_not_allowed, ExceptionServiceError::operation_not_possible});
  }
  auto apdu = CipheredApdu::decode(request);
  // Ciphering outside a ciphered context, or an APDU that is no ciphered request.
  if (!apdu || !ciphered()) return refuse(deciphering_error());
  Protection protection;
  std::uint8_t expected_plain = 0;  // 0: any request (general ciphering)
  if (apdu->tag == general_glo_ciphering_tag) {
    protection.form = Protection::Form::general_glo;
  } else if (apdu->tag == general_ded_ciphering_tag) {
    protection.form = Protection::Form::general_ded;
  } else {
    const std::optional<UncipheredTag> inside = unciphered_tag(apdu->tag);
    if (!inside || !is_service_request(inside->plain)) {
      return refuse(
          {ExceptionStateError::service_not_allowed, ExceptionServiceError::service_not_supported});
    }
    protection.form = inside->dedicated ? Protection::Form::ded : Protection::Form::glo;
    expected_plain = inside->plain;
  }
  const std::uint16_t client = context_.client_sap;
  const SystemTitle& title = *context_.client_system_title;
  Suite0* suite = suite_for(protection.form);
  // A dedicated form without a dedicated key, the broadcast key set, another sender's title:
  // nothing this association can decipher.
  const bool foreign_title =
      apdu->system_title && !std::equal(apdu->system_title->begin(), apdu->system_title->end(),
                                        title.begin(), title.end());
  plain_.clear();
  if (suite == nullptr || apdu->security_control.broadcast_key() || foreign_title ||
      !suite->unprotect(*apdu, title, plain_)) {
    security_->report(SecurityEvent::deciphering_failure, client);
    return refuse(deciphering_error());
  }
  const bool dedicated =
      protection.form == Protection::Form::ded || protection.form == Protection::Form::general_ded;
  const std::uint32_t counter = apdu->invocation_counter;
  const bool fresh = dedicated ? (!dedicated_counter_ || counter > *dedicated_counter_)
                               : security_->accept_client_counter(client, counter);
  if (!fresh) {
    security_->report(SecurityEvent::replay_attack, client);
    ExceptionResponse replay{ExceptionStateError::service_not_allowed,
                             ExceptionServiceError::invocation_counter_error};
    const std::uint32_t last =
        dedicated ? *dedicated_counter_ : security_->last_client_counter(client);
    replay.invocation_counter = last + 1;  // the lowest counter the server would accept
    return refuse(replay);
  }
  if (dedicated) dedicated_counter_ = counter;
  if (plain_.empty() || (expected_plain != 0 && plain_[0] != expected_plain)) {
    return refuse(deciphering_error());
  }
  protection.control = apdu->security_control;
  request_protection_ = protection;
  return true;
}

void Association::protect_answer(std::span<const std::uint8_t> plain,
                                 std::vector<std::uint8_t>& response) {
  response.clear();
  if (plain.empty()) return;
  const Protection& request = request_protection_;
  const bool authenticated =
      request.control.authenticated() || policy_.has(SecurityPolicy::authenticated_response);
  const bool encrypted =
      request.control.encrypted() || policy_.has(SecurityPolicy::encrypted_response);
  const Protection::Form form =
      request.form == Protection::Form::plain ? Protection::Form::glo : request.form;
  const bool general =
      form == Protection::Form::general_glo || form == Protection::Form::general_ded;
  std::optional<std::uint8_t> tag;
  if (form == Protection::Form::glo) tag = glo_tag(plain[0]);
  if (form == Protection::Form::ded) tag = ded_tag(plain[0]);
  Suite0* suite = suite_for(form);
  // Nothing asks for protection, or the answer has no ciphered form (an Exception-Response).
  if ((!authenticated && !encrypted) || (!general && !tag) || suite == nullptr) {
    response.assign(plain.begin(), plain.end());
    return;
  }
  auto counter = security_->next_server_counter();
  if (!counter) {
    // Nothing can be protected any more: the client learns that much, in clear.
    response = ExceptionResponse{ExceptionStateError::service_not_allowed,
                                 ExceptionServiceError::other_reason}
                   .encode();
    return;
  }
  const SecurityControl control{
      static_cast<std::uint8_t>((authenticated ? 0x10U : 0U) | (encrypted ? 0x20U : 0U))};
  const std::size_t content_size =
      5 + plain.size() + (authenticated ? authentication_tag_size : std::size_t{0});
  const SystemTitle& title = security_->server_system_title();
  if (general) {
    response.push_back(form == Protection::Form::general_ded ? general_ded_ciphering_tag
                                                             : general_glo_ciphering_tag);
    encode_length(title.size(), response);
    response.insert(response.end(), title.begin(), title.end());
  } else {
    response.push_back(*tag);
  }
  encode_length(content_size, response);
  if (!suite->protect(control, title, *counter, plain, response)) {
    response = ExceptionResponse{ExceptionStateError::service_not_allowed,
                                 ExceptionServiceError::other_reason}
                   .encode();
  }
}

bool Association::protect_initiate(std::span<const std::uint8_t> plain,
                                   std::vector<std::uint8_t>& out) {
  protect_answer(plain, out);
  // An InitiateResponse that could not be protected is no answer to a ciphered AARQ.
  return !out.empty() && out[0] != plain[0] && out[0] != ExceptionResponse::tag;
}

bool Association::is_hls_reply(const CosemMethodDescriptor& method) const {
  if (method.class_id != association_ln_class || method.method_id != reply_to_hls_authentication) {
    return false;
  }
  return method.instance_id == current_association ||
         (client_policy_ != nullptr && client_policy_->association_name &&
          method.instance_id == *client_policy_->association_name);
}

void Association::serve_pending(const XdlmsApdu& apdu, std::vector<std::uint8_t>& response) {
  const auto* action = std::get_if<ActionRequestNormal>(&apdu);
  if (action == nullptr || !is_hls_reply(action->method) || !hls_) {
    // Until the client has proved itself, only its proof is served.
    response = ExceptionResponse{ExceptionStateError::service_not_allowed,
                                 ExceptionServiceError::operation_not_possible}
                   .encode();
    return;
  }
  context_.authentication_pending = false;
  const std::uint16_t client = context_.client_sap;
  // Pass 3: f(StoC) = SC 0x10 ‖ IC ‖ GMAC tag, the GMAC over SC ‖ AK ‖ StoC with the IV of the
  // client's system title and IC.
  bool proven = false;
  const auto proof = action->parameters ? action->parameters->as_octets()
                                        : std::optional<std::span<const std::uint8_t>>{};
  if (proof && proof->size() == 5 + authentication_tag_size && (*proof)[0] == 0x10) {
    const std::span<const std::uint8_t> f = *proof;
    const std::uint32_t counter = (std::uint32_t{f[1]} << 24U) | (std::uint32_t{f[2]} << 16U) |
                                  (std::uint32_t{f[3]} << 8U) | std::uint32_t{f[4]};
    std::vector<std::uint8_t> expected;
    proven = static_cast<bool>(security_->global_suite()->hls_gmac(
                 *context_.client_system_title, counter, hls_->server_to_client, expected)) &&
             constant_time_equal(expected, f);
  }
  ActionOutcome outcome;
  if (!proven) {
    ++failed_authentications_;
    security_->report(SecurityEvent::authentication_failure, client);
    hls_.reset();
    dedicated_.reset();
    outcome.result = ActionResult::other_reason;
    send_action_answer(action->invoke, outcome, response);
    return;
  }
  // Pass 4: the server's proof, f(CtoS), under its own title and counter.
  std::vector<std::uint8_t> answer;
  auto counter = security_->next_server_counter();
  if (!counter || !security_->global_suite()->hls_gmac(security_->server_system_title(), *counter,
                                                       hls_->client_to_server, answer)) {
    hls_.reset();
    outcome.result = ActionResult::temporary_failure;
    send_action_answer(action->invoke, outcome, response);
    return;
  }
  hls_.reset();
  context_.associated = true;
  established();
  outcome.result = ActionResult::success;
  outcome.return_parameters = Data::octets(answer);
  send_action_answer(action->invoke, outcome, response);
}

}  // namespace gridmeter::dlms
