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
// sends its password as the calling authentication value.
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
  if (!same_secret(*aarq.calling_authentication_value, policy.password)) {
    return acse_refusal(AcseServiceUser::authentication_failure);
  }
  return std::nullopt;
}

}  // namespace

Association::Association(const ServerSettings& settings, ObjectServer& objects,
                         std::uint16_t client_sap, std::uint16_t server_sap)
    : settings_(settings), objects_(objects) {
  context_.client_sap = client_sap;
  context_.server_sap = server_sap;
  context_.server_max_receive_pdu_size = settings.max_receive_pdu_size;
}

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
  auto apdu = decode_xdlms_apdu(request);
  if (!apdu) {
    put(exception_response_for(request), response);
    return;
  }
  if (const auto* short_name = std::get_if<ShortNameRequest>(&*apdu)) {
    // A logical name server refuses short name services whatever the state.
    if (auto refusal = short_name->refusal()) response = refusal->encode();
    return;
  }
  if (!context_.associated) {
    put({ExceptionStateError::service_not_allowed, ExceptionServiceError::operation_not_possible},
        response);
    return;
  }
  serve(*apdu, response);
}

void Association::open(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response) {
  // A new AARQ replaces whatever association there was: a client that lost track (a timeout,
  // a restart) starts over on the same connection.
  abort_transfers();
  const std::uint16_t client_sap = context_.client_sap;
  const std::uint16_t server_sap = context_.server_sap;
  context_ = AssociationContext{};
  context_.client_sap = client_sap;
  context_.server_sap = server_sap;
  context_.server_max_receive_pdu_size = settings_.max_receive_pdu_size;

  Aare aare;
  auto answer = [&](const std::optional<Refusal>& refusal) {
    if (refusal) {
      aare.result = refusal->result;
      aare.diagnostic = refusal->diagnostic;
      if (refusal->initiate_error) aare.user_information = refusal->initiate_error->encode();
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
  // Only logical name referencing without ciphering is served (ciphering is the security
  // layer's); the AARE then names the context the server does support.
  const auto context = application_context_of(aarq->application_context_name);
  if (!context || *context != ApplicationContext::ln_no_ciphering) {
    answer(acse_refusal(AcseServiceUser::application_context_name_not_supported));
    return;
  }
  aare.application_context_name = aarq->application_context_name;
  const ClientPolicy* policy = settings_.policy_for(client_sap);
  if (policy == nullptr) {
    answer(acse_refusal(AcseServiceUser::no_reason_given));
    return;
  }
  if (auto refusal = check_authentication(*aarq, *policy)) {
    if (refusal->diagnostic == SourceDiagnostic{AcseServiceUser::authentication_failure}) {
      ++failed_authentications_;
    }
    answer(refusal);
    return;
  }
  if (!aarq->user_information) {
    answer(initiate_refusal(InitiateError::other));
    return;
  }
  auto initiate = InitiateRequest::decode(*aarq->user_information);
  // A dedicated key belongs to a ciphered context only.
  if (!initiate || initiate->dedicated_key) {
    answer(initiate_refusal(InitiateError::other));
    return;
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
  context_.associated = true;
  if (policy->mechanism != Mechanism::lowest) {
    // The AARE names the mechanism used, as the AARQ did.
    aare.authentication = true;
    aare.mechanism_name = to_oid(policy->mechanism);
  }
  InitiateResponse initiate_response;
  initiate_response.negotiated_conformance = negotiated;
  initiate_response.server_max_receive_pdu_size = settings_.max_receive_pdu_size;
  aare.user_information = initiate_response.encode();
  answer(std::nullopt);
}

void Association::release(std::span<const std::uint8_t> request,
                          std::vector<std::uint8_t>& response) {
  auto rlrq = Rlrq::decode(request);
  if (!rlrq) {
    put(exception_response_for(request), response);
    return;
  }
  abort_transfers();
  context_.associated = false;
  Rlre rlre;
  rlre.reason = ReleaseResponseReason::normal;
  if (auto encoded = rlre.encode()) response = std::move(*encoded);
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
