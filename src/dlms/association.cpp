// The association's life: AARQ → AARE (IEC 62056-5-3 clause 6, COSEM-OPEN), the dispatch of
// service APDUs, RLRQ → RLRE (COSEM-RELEASE). The services themselves are in
// association_services.cpp.
#include "dlms/association.hpp"

#include <algorithm>  // std::equal
#include <utility>    // std::move
#include <variant>    // std::visit

#include "dlms/acse.hpp"
#include "dlms/initiate.hpp"

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t aarq_tag = 0x60;
constexpr std::uint8_t rlrq_tag = 0x62;

// HLS challenges (Green Book 9.2.7.4): 8 to 64 octets; the server sends 16 random ones.
constexpr std::size_t hls_challenge_octets_min = 8;
constexpr std::size_t hls_challenge_octets_max = 64;
constexpr std::size_t hls_challenge_octets = 16;

template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

void put(const ExceptionResponse& exception, std::vector<std::uint8_t>& response) {
  response = exception.encode();
}

// Compares the whole of both, in time that does not depend on where they differ, so a wrong
// password's answer does not tell how much of it was right.
bool same_secret(std::span<const std::uint8_t> given, std::span<const std::uint8_t> expected) {
  std::uint8_t difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const std::uint8_t other = expected.empty() ? 0 : expected[i % expected.size()];
    difference = static_cast<std::uint8_t>(difference | (given[i] ^ other));
  }
  return difference == 0 && !expected.empty();
}

// Why an AARQ is refused, as the AARE says it.
struct Refusal {
  AssociationResult result = AssociationResult::rejected_permanent;
  SourceDiagnostic diagnostic = AcseServiceUser::no_reason_given;
  std::optional<ConfirmedServiceError> initiate_error;
};

Refusal acse_refusal(SourceDiagnostic diagnostic) {
  Refusal refusal;
  refusal.diagnostic = diagnostic;
  return refusal;
}

Refusal initiate_refusal(InitiateError error) {
  Refusal refusal;
  refusal.initiate_error = ConfirmedServiceError::initiate(error);
  return refusal;
}

// The authentication the client's policy requires (Green Book, "the AARQ authentication
// fields"): a public client names no mechanism (or lowest); an LLS client names mechanism 1 and
// sends its password as the calling authentication value; an HLS-GMAC client names mechanism 5
// and sends its challenge CtoS (checked here for its length; the proof comes in pass 3).
std::optional<Refusal> check_authentication(const Aarq& aarq, const ClientPolicy& policy) {
  const std::optional<Mechanism> named =
      aarq.mechanism_name ? mechanism_of(*aarq.mechanism_name) : std::optional(Mechanism::lowest);
  if (!named) return acse_refusal(AcseServiceUser::authentication_mechanism_name_not_recognised);
  if (policy.mechanism == Mechanism::lowest) {
    if (*named != Mechanism::lowest) {
      return acse_refusal(AcseServiceUser::authentication_mechanism_name_not_recognised);
    }
    return std::nullopt;
  }
  if (!aarq.mechanism_name) {
    return acse_refusal(AcseServiceUser::authentication_mechanism_name_required);
  }
  if (*named != policy.mechanism) {
    return acse_refusal(AcseServiceUser::authentication_mechanism_name_not_recognised);
  }
  if (!aarq.calling_authentication_value) {
    return acse_refusal(AcseServiceUser::authentication_required);
  }
  if (policy.mechanism == Mechanism::high_gmac) {
    // Green Book 9.2.7.4: a challenge of 8 to 64 octets.
    const std::size_t size = aarq.calling_authentication_value->size();
    if (size < hls_challenge_octets_min || size > hls_challenge_octets_max) {
      return acse_refusal(AcseServiceUser::authentication_failure);
    }
    return std::nullopt;
  }
  if (!same_secret(*aarq.calling_authentication_value, policy.password)) {
    return acse_refusal(AcseServiceUser::authentication_failure);
  }
  return std::nullopt;
}

}  // namespace

Association::Association(const ServerSettings& settings, ObjectServer& objects,
                         std::uint16_t client_sap, std::uint16_t server_sap,
                         ServerSecurity* security)
    : settings_(settings), objects_(objects), security_(security) {
  context_.client_sap = client_sap;
  context_.server_sap = server_sap;
  context_.server_max_receive_pdu_size = settings.max_receive_pdu_size;
}

Association::~Association() { end(); }

void Association::handle(std::span<const std::uint8_t> request,
                         std::vector<std::uint8_t>& response) {
  response.clear();
  if (request.size() > settings_.max_receive_pdu_size) {
    put({ExceptionStateError::service_not_allowed, ExceptionServiceError::pdu_too_long}, response);
    return;
  }
  if (!request.empty() && request[0] == aarq_tag) {
    open(request, response);
    return;
  }
  if (!request.empty() && request[0] == rlrq_tag) {
    release(request, response);
    return;
  }
  request_protection_ = Protection{};
  std::span<const std::uint8_t> plain = request;
  if (!request.empty() && is_ciphered_tag(request[0])) {
    if (!decipher(request, response)) return;
    plain = plain_;
  }
  auto apdu = decode_xdlms_apdu(plain);
  if (!apdu) {
    put(exception_response_for(plain), response);
    return;
  }
  if (const auto* short_name = std::get_if<ShortNameRequest>(&*apdu)) {
    // A logical name server refuses short name services whatever the state.
    if (auto refusal = short_name->refusal()) response = refusal->encode();
    return;
  }
  if (!context_.associated && !context_.authentication_pending) {
    put({ExceptionStateError::service_not_allowed, ExceptionServiceError::operation_not_possible},
        response);
    return;
  }
  if (!meets_policy(request_protection_)) {
    // The request is not protected as the client's security policy demands: it is not served.
    put({ExceptionStateError::service_not_allowed, ExceptionServiceError::operation_not_possible},
        response);
    return;
  }
  answer_.clear();
  const bool staged_before = security_ != nullptr && security_->keys_staged();
  if (context_.authentication_pending) {
    serve_pending(*apdu, answer_);
  } else {
    serve(*apdu, answer_);
  }
  if (!staged_before && security_ != nullptr && security_->keys_staged()) {
    transferred_keys_ = true;
  }
  protect_answer(answer_, response);
  // Keys a key_transfer staged take effect once its answer went out under the old ones.
  if (security_ != nullptr && security_->keys_staged() &&
      security_->activation() == KeyActivation::next_apdu) {
    security_->apply_staged_keys();
  }
}

void Association::open(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response) {
  // A new AARQ replaces whatever association there was: a client that lost track (a timeout,
  // a restart) starts over on the same connection.
  end();
  const std::uint16_t client_sap = context_.client_sap;
  const std::uint16_t server_sap = context_.server_sap;
  context_ = AssociationContext{};
  context_.client_sap = client_sap;
  context_.server_sap = server_sap;
  context_.server_max_receive_pdu_size = settings_.max_receive_pdu_size;
  request_protection_ = Protection{};
  client_policy_ = nullptr;

  Aare aare;
  auto answer = [&](const std::optional<Refusal>& refusal) {
    if (refusal) {
      aare.result = refusal->result;
      aare.diagnostic = refusal->diagnostic;
      aare.user_information.reset();
      if (refusal->initiate_error) aare.user_information = refusal->initiate_error->encode();
      dedicated_.reset();
      hls_.reset();
    }
    auto encoded = aare.encode();
    // Encoding fails only for fields over 65535 octets, which this AARE never has.
    if (encoded) response = std::move(*encoded);
  };

  auto aarq = Aarq::decode(request);
  if (!aarq) {
    answer(acse_refusal(AcseServiceProvider::no_reason_given));
    return;
  }
  if (aarq->protocol_version == ProtocolVersion::without_version1) {
    answer(acse_refusal(AcseServiceProvider::no_common_acse_version));
    return;
  }
  // Logical name referencing is served; with ciphering only when the server has the global
  // keys. The AARE names the context asked for.
  const auto context = application_context_of(aarq->application_context_name);
  const bool can_cipher = security_ != nullptr && security_->global_suite() != nullptr;
  if (!context || !is_logical_name(*context) || (is_ciphered(*context) && !can_cipher)) {
    answer(acse_refusal(AcseServiceUser::application_context_name_not_supported));
    return;
  }
  context_.application_context = *context;
  aare.application_context_name = aarq->application_context_name;
  const ClientPolicy* policy = settings_.policy_for(client_sap);
  if (policy == nullptr) {
    answer(acse_refusal(AcseServiceUser::no_reason_given));
    return;
  }
  if (security_ != nullptr && security_->locked_out(client_sap)) {
    // Too many failures lately: refused until the lock-out ends, whatever this AARQ proves.
    Refusal refusal = acse_refusal(AcseServiceUser::no_reason_given);
    refusal.result = AssociationResult::rejected_transient;
    answer(refusal);
    return;
  }
  policy_ = security_ != nullptr ? security_->policy(client_sap) : policy->security_policy;
  // A client whose policy asks for protection must use the ciphered context.
  if ((policy_.any() || policy->needs_ciphering()) && !is_ciphered(*context)) {
    answer(acse_refusal(AcseServiceUser::application_context_name_not_supported));
    return;
  }
  const bool hls = policy->mechanism == Mechanism::high_gmac;
  if (hls && !can_cipher) {
    answer(acse_refusal(AcseServiceUser::authentication_mechanism_name_not_recognised));
    return;
  }
  // Ciphering and HLS-GMAC need the client's system title: the IV of what it protects.
  if (is_ciphered(*context) || hls) {
    if (!aarq->calling.ap_title || aarq->calling.ap_title->size() != system_title_size) {
      answer(acse_refusal(AcseServiceUser::calling_ap_title_not_recognized));
      return;
    }
    SystemTitle title{};
    std::copy(aarq->calling.ap_title->begin(), aarq->calling.ap_title->end(), title.begin());
    context_.client_system_title = title;
    aare.responding.ap_title.emplace(security_->server_system_title().begin(),
                                     security_->server_system_title().end());
  }
  if (auto refusal = check_authentication(*aarq, *policy)) {
    if (refusal->diagnostic == SourceDiagnostic{AcseServiceUser::authentication_failure}) {
      ++failed_authentications_;
      if (security_ != nullptr) {
        security_->report(SecurityEvent::authentication_failure, client_sap);
      }
    }
    answer(refusal);
    return;
  }
  if (!aarq->user_information) {
    answer(initiate_refusal(InitiateError::other));
    return;
  }
  std::span<const std::uint8_t> initiate_octets = *aarq->user_information;
  if (is_ciphered(*context)) {
    if (!decipher_initiate(initiate_octets)) {
      answer(acse_refusal(AcseServiceUser::no_reason_given));
      return;
    }
    initiate_octets = plain_;
  }
  auto initiate = InitiateRequest::decode(initiate_octets);
  if (!initiate) {
    answer(initiate_refusal(InitiateError::other));
    return;
  }
  // A dedicated key belongs to a ciphered context only, and is an AES-128 key.
  if (initiate->dedicated_key) {
    if (!is_ciphered(*context) || initiate->dedicated_key->size() != aes_key_size) {
      answer(initiate_refusal(InitiateError::other));
      return;
    }
    AesKey key{};
    std::copy(initiate->dedicated_key->begin(), initiate->dedicated_key->end(), key.begin());
    dedicated_.emplace(key, *security_->authentication_key());
  }
  if (initiate->proposed_dlms_version_number < dlms_version) {
    answer(initiate_refusal(InitiateError::dlms_version_too_low));
    return;
  }
  if (initiate->client_max_receive_pdu_size < client_max_receive_pdu_size_min) {
    answer(initiate_refusal(InitiateError::pdu_size_too_short));
    return;
  }
  const Conformance negotiated =
      negotiate(initiate->proposed_conformance, policy->conformance & server_conformance);
  if (negotiated.value() == 0) {
    answer(initiate_refusal(InitiateError::incompatible_conformance));
    return;
  }

  context_.mechanism = policy->mechanism;
  context_.conformance = negotiated;
  context_.client_max_receive_pdu_size = initiate->client_max_receive_pdu_size;
  context_.quality_of_service = initiate->proposed_quality_of_service;
  client_policy_ = policy;
  if (policy->mechanism != Mechanism::lowest) {
    // The AARE names the mechanism used, as the AARQ did.
    aare.authentication = true;
    aare.mechanism_name = to_oid(policy->mechanism);
  }
  if (hls) {
    // Pass 2: the server's challenge; the association waits for the client's proof.
    auto challenge = security_->random_octets(hls_challenge_octets);
    if (!challenge) {
      answer(acse_refusal(AcseServiceUser::no_reason_given));
      return;
    }
    hls_ = HlsChallenge{*aarq->calling_authentication_value, *challenge};
    aare.diagnostic = AcseServiceUser::authentication_required;
    aare.responding_authentication_value = std::move(*challenge);
    context_.authentication_pending = true;
  } else {
    context_.associated = true;
  }
  InitiateResponse initiate_response;
  initiate_response.negotiated_conformance = negotiated;
  initiate_response.server_max_receive_pdu_size = settings_.max_receive_pdu_size;
  const std::vector<std::uint8_t> plain_response = initiate_response.encode();
  if (is_ciphered(*context)) {
    std::vector<std::uint8_t> protected_response;
    if (!protect_initiate(plain_response, protected_response)) {
      context_.associated = false;
      context_.authentication_pending = false;
      answer(acse_refusal(AcseServiceUser::no_reason_given));
      return;
    }
    aare.user_information = std::move(protected_response);
    if (context_.associated) established();
  } else {
    aare.user_information = plain_response;
  }
  answer(std::nullopt);
}

void Association::release(std::span<const std::uint8_t> request,
                          std::vector<std::uint8_t>& response) {
  auto rlrq = Rlrq::decode(request);
  if (!rlrq) {
    put(exception_response_for(request), response);
    return;
  }
  end();
  Rlre rlre;
  rlre.reason = ReleaseResponseReason::normal;
  if (auto encoded = rlre.encode()) response = std::move(*encoded);
}

void Association::established() {
  if (security_ == nullptr || !context_.client_system_title) return;
  // Only a client that proved itself leaves its title in the Security setup; its counter is
  // now its floor, also after a restart.
  security_->note_client_title(context_.client_sap, *context_.client_system_title);
  (void)security_->save();
}

void Association::end() {
  abort_transfers();
  context_.associated = false;
  context_.authentication_pending = false;
  dedicated_.reset();
  dedicated_counter_.reset();
  hls_.reset();
  if (transferred_keys_ && security_ != nullptr && security_->keys_staged()) {
    security_->apply_staged_keys();
  }
  transferred_keys_ = false;
}

void Association::refuse_service(std::vector<std::uint8_t>& response) {
  put({ExceptionStateError::service_not_allowed, ExceptionServiceError::service_not_supported},
      response);
}

void Association::abort_transfers() {
  outgoing_ = OutgoingBlocks{};
  incoming_ = IncomingBlocks{};
}

void Association::serve(const XdlmsApdu& apdu, std::vector<std::uint8_t>& response) {
  std::visit(
      Overloaded{
          [&](const GetRequestNormal& request) { serve_get(request, response); },
          [&](const GetRequestNext& request) { serve_get(request, response); },
          [&](const GetRequestWithList& request) { serve_get(request, response); },
          [&](const SetRequestNormal& request) { serve_set(request, response); },
          [&](const SetRequestWithList& request) { serve_set(request, response); },
          [&](const SetRequestWithFirstDatablock& request) { serve_set(request, response); },
          [&](const SetRequestWithListAndFirstDatablock& request) { serve_set(request, response); },
          [&](const SetRequestWithDatablock& request) { serve_set(request, response); },
          [&](const ActionRequestNormal& request) { serve_action(request, response); },
          [&](const ActionRequestWithList& request) { serve_action(request, response); },
          [&](const ActionRequestWithFirstPblock& request) { serve_action(request, response); },
          [&](const ActionRequestWithListAndFirstPblock& request) {
            serve_action(request, response);
          },
          [&](const ActionRequestWithPblock& request) { serve_action(request, response); },
          [&](const ActionRequestNextPblock& request) { serve_action(request, response); },
          // Responses, notifications and exceptions are the server's to send, not to
          // receive.
          [&](const auto&) { refuse_service(response); },
      },
      apdu);
}

}  // namespace gridmeter::dlms
