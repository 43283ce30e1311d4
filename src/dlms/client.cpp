#include "dlms/client.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min
#include <utility>    // std::move
#include <variant>    // std::get_if

#include "dlms/axdr.hpp"
#include "dlms/ciphered_apdu.hpp"
#include "dlms/get.hpp"
#include "dlms/set.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t aare_tag = 0x61;

// The largest header a request block needs around its raw data: Set-Request-With-First-
// Datablock is tag, choice, invoke-id, descriptor (9), access flag, last-block, block-number (4)
// and a length of up to 3 octets.
constexpr std::size_t request_block_overhead_octets = 24;

// What protecting a request adds at most: general-ded-ciphering's tag, system title with its
// length, a content length of up to 3 octets, the security header and the tag.
constexpr std::size_t protection_overhead_octets = 1 + 9 + 3 + 5 + 12;

constexpr std::size_t hls_challenge_octets = 16;
const Obis current_association{0, 0, 40, 0, 0, 255};

// What an answer that is no answer to the request says: an Exception-Response or a
// ConfirmedServiceError names the server's reason; anything else is out of place.
Error unexpected(std::span<const std::uint8_t> answer, std::string_view request) {
  if (!answer.empty() && answer[0] == ExceptionResponse::tag) {
    if (auto exception = ExceptionResponse::decode(answer)) {
      return make_error(fmt::format("the server refused the {}: Exception-Response {}, {}", request,
                                    to_string(exception->state_error),
                                    to_string(exception->service_error)));
    }
  }
  if (!answer.empty() && answer[0] == ConfirmedServiceError::tag) {
    if (auto error = ConfirmedServiceError::decode(answer)) {
      return make_error(fmt::format("the server refused the {}: ConfirmedServiceError {}", request,
                                    to_string(*error)));
    }
  }
  if (answer.empty())
    return make_error(fmt::format("the server answered the {} with nothing", request));
  return make_error(fmt::format("the server answered the {} with {} (0x{:02X})", request,
                                apdu_name(answer[0]), answer[0]));
}

template <typename Apdu>
Result<Apdu> expect(std::span<const std::uint8_t> answer, std::string_view request,
                    InvokeIdAndPriority invoke) {
  if (answer.size() < 2 || answer[0] != Apdu::tag || answer[1] != Apdu::choice) {
    return unexpected(answer, request);
  }
  auto decoded = Apdu::decode(answer);
  if (!decoded) return decoded.error();
  if (decoded->invoke.invoke_id() != invoke.invoke_id()) {
    return make_error(fmt::format("the answer to the {} carries invoke-id {}, not {}", request,
                                  decoded->invoke.invoke_id(), invoke.invoke_id()));
  }
  return decoded;
}

// The answer's APDU if it is one of `Alternatives`, tried in order by tag and choice.
template <typename... Alternatives>
Result<std::variant<Alternatives...>> expect_one_of(std::span<const std::uint8_t> answer,
                                                    std::string_view request,
                                                    InvokeIdAndPriority invoke) {
  std::optional<Result<std::variant<Alternatives...>>> found;
  auto try_one = [&](auto tag) {
    using Apdu = typename decltype(tag)::type;
    if (found || answer.size() < 2 || answer[0] != Apdu::tag || answer[1] != Apdu::choice) return;
    auto decoded = expect<Apdu>(answer, request, invoke);
    if (!decoded) {
      found.emplace(decoded.error());
    } else {
      found.emplace(std::variant<Alternatives...>(std::move(*decoded)));
    }
  };
  (try_one(std::type_identity<Alternatives>{}), ...);
  if (found) return std::move(*found);
  return unexpected(answer, request);
}

// A Get-Data-Result SEQUENCE OF as the blocks of a Get-Response-With-List carry it.
Result<std::vector<GetDataResult>> decode_result_list(std::span<const std::uint8_t> raw) {
  auto count = decode_length(raw);
  if (!count) return count.error();
  std::vector<GetDataResult> results;
  std::size_t offset = count->used;
  for (std::size_t i = 0; i < count->value; ++i) {
    if (offset >= raw.size()) return make_error("the list of results ends early");
    const std::uint8_t choice = raw[offset++];
    if (choice == get_data_result_data_access_result) {
      if (offset >= raw.size()) return make_error("the list of results ends early");
      results.emplace_back(static_cast<DataAccessResult>(raw[offset++]));
      continue;
    }
    if (choice != get_data_result_data) {
      return make_error(fmt::format("a Get-Data-Result choice {} is neither 0 nor 1", choice));
    }
    auto value = decode(raw.subspan(offset));
    if (!value) return value.error();
    offset += value->used;
    results.emplace_back(std::move(value->value));
  }
  if (offset != raw.size()) return make_error("octets after the list of results");
  return results;
}

// The association must have granted the service: asking anyway only earns an
// Exception-Response, and this error says why.
Status require(const InitiateResponse& negotiated, ConformanceBit bit) {
  if (negotiated.negotiated_conformance.has(bit)) return {};
  return make_error(fmt::format("the association does not grant {} (granted: {})", to_string(bit),
                                negotiated.negotiated_conformance.to_string()));
}

}  // namespace

Client::Client(ApduExchange exchange, ClientOptions options)
    : exchange_(std::move(exchange)), options_(std::move(options)) {
  if (options_.ciphering) {
    const ClientCiphering& ciphering = *options_.ciphering;
    invocation_counter_ = ciphering.invocation_counter;
    global_.emplace(ciphering.ek, ciphering.ak);
    if (ciphering.dedicated_key) dedicated_.emplace(*ciphering.dedicated_key, ciphering.ak);
  }
}

InvokeIdAndPriority Client::next_invoke() {
  invoke_id_ = static_cast<std::uint8_t>((invoke_id_ + 1) & InvokeIdAndPriority::invoke_id_mask);
  return InvokeIdAndPriority::make(invoke_id_, true, true);
}

std::size_t Client::server_pdu_octets() const {
  const std::size_t size = negotiated_.server_max_receive_pdu_size == 0
                               ? 0xFFFF
                               : negotiated_.server_max_receive_pdu_size;
  return ciphered() ? size - protection_overhead_octets : size;
}

bool Client::ciphered() const {
  if (!options_.ciphering) return false;
  const SecurityControl security = options_.ciphering->security;
  return security.authenticated() || security.encrypted();
}

Result<std::uint32_t> Client::next_counter() {
  if (invocation_counter_ == 0xFFFFFFFFU) {
    return make_error("the invocation counter is exhausted: the keys must be renewed");
  }
  return invocation_counter_++;
}

Result<std::vector<std::uint8_t>> Client::protect(std::span<const std::uint8_t> plain,
                                                  bool dedicated, bool general) {
  const ClientCiphering& ciphering = *options_.ciphering;
  const std::optional<std::uint8_t> tag = dedicated ? ded_tag(plain[0]) : glo_tag(plain[0]);
  if (!general && !tag) {
    return make_error(
        fmt::format("{} (0x{:02X}) has no ciphered form", apdu_name(plain[0]), plain[0]));
  }
  auto counter = next_counter();
  if (!counter) return counter.error();
  Suite0& suite = dedicated ? *dedicated_ : *global_;
  std::vector<std::uint8_t> content;
  if (Status sealed = suite.protect(ciphering.security, ciphering.client_system_title, *counter,
                                    plain, content);
      !sealed) {
    return sealed.error();
  }
  std::vector<std::uint8_t> out;
  if (general) {
    encode_general_ciphering(dedicated, ciphering.client_system_title, content, out);
  } else {
    encode_service_ciphered(*tag, content, out);
  }
  return out;
}

Result<std::vector<std::uint8_t>> Client::unprotect(std::span<const std::uint8_t> answer) {
  auto apdu = CipheredApdu::decode(answer);
  if (!apdu) return make_error(fmt::format("a ciphered answer: {}", apdu.error().message));
  if (!server_title_) return make_error("a ciphered answer, but the server named no system title");
  if (apdu->system_title && (apdu->system_title->size() != system_title_size ||
                             !std::equal(apdu->system_title->begin(), apdu->system_title->end(),
                                         server_title_->begin()))) {
    return make_error("a ciphered answer from another system title than the server's");
  }
  const std::optional<UncipheredTag> inside = unciphered_tag(apdu->tag);
  const bool dedicated = apdu->tag == general_ded_ciphering_tag || (inside && inside->dedicated);
  if (dedicated && !dedicated_) return make_error("a dedicated answer, but no dedicated key");
  Suite0& suite = dedicated ? *dedicated_ : *global_;
  std::vector<std::uint8_t> plain;
  if (Status opened = suite.unprotect(*apdu, *server_title_, plain); !opened) {
    return make_error(fmt::format("the answer does not decipher: {}", opened.error().message));
  }
  // A protected answer carries a counter the server never used before: an older one is a
  // replayed answer.
  if (!dedicated) {
    if (server_counter_ && apdu->invocation_counter <= *server_counter_) {
      return make_error(fmt::format(
          "the answer carries invocation counter {}, not above the last one seen ({}): a replay",
          apdu->invocation_counter, *server_counter_));
    }
    server_counter_ = apdu->invocation_counter;
  }
  if (plain.empty()) return make_error("a ciphered answer with nothing inside");
  return plain;
}

Result<std::vector<std::uint8_t>> Client::send(std::span<const std::uint8_t> request) {
  if (!ciphered()) return exchange_(request);
  const bool dedicated = dedicated_.has_value() && options_.ciphering->dedicated_key.has_value();
  auto ciphered = protect(request, dedicated, options_.ciphering->general_ciphering);
  if (!ciphered) return ciphered.error();
  auto answer = exchange_(*ciphered);
  if (!answer) return answer.error();
  // Exception-Responses have no ciphered form: they come in clear.
  if (answer->empty() || !is_ciphered_tag((*answer)[0])) return answer;
  return unprotect(*answer);
}

Status Client::authenticate(std::span<const std::uint8_t> server_challenge) {
  const ClientCiphering& ciphering = *options_.ciphering;
  auto counter = next_counter();
  if (!counter) return counter.error();
  std::vector<std::uint8_t> proof;
  if (Status made =
          global_->hls_gmac(ciphering.client_system_title, *counter, server_challenge, proof);
      !made) {
    return made.error();
  }
  ActionRequestNormal request;
  request.invoke = next_invoke();
  request.method = {15, current_association, 1};  // reply_to_HLS_authentication
  request.parameters = Data::octets(proof);
  auto answer = send(request.encode());
  if (!answer) return answer.error();
  auto response =
      expect<ActionResponseNormal>(*answer, "reply_to_HLS_authentication", request.invoke);
  if (!response) return response.error();
  if (response->response.result != ActionResult::success) {
    return make_error(fmt::format("HLS authentication failed: the server answered {}",
                                  to_string(response->response.result)));
  }
  // Pass 4: the server proves it holds the keys too, with f(CtoS).
  const auto* data = response->response.return_parameters
                         ? std::get_if<Data>(&*response->response.return_parameters)
                         : nullptr;
  const auto f = data != nullptr ? data->as_octets() : std::nullopt;
  if (!f || f->size() != 5 + authentication_tag_size || (*f)[0] != 0x10) {
    return make_error("HLS authentication: the server's f(CtoS) is missing or malformed");
  }
  const std::uint32_t server_counter = (std::uint32_t{(*f)[1]} << 24U) |
                                       (std::uint32_t{(*f)[2]} << 16U) |
                                       (std::uint32_t{(*f)[3]} << 8U) | std::uint32_t{(*f)[4]};
  std::vector<std::uint8_t> expected;
  if (Status made = global_->hls_gmac(*server_title_, server_counter, client_challenge_, expected);
      !made) {
    return made.error();
  }
  if (!constant_time_equal(expected, *f)) {
    return make_error("HLS authentication: the server's f(CtoS) does not verify (other keys?)");
  }
  return {};
}

Status Client::associate() {
  associated_ = false;
  server_title_.reset();
  server_counter_.reset();
  const bool hls = options_.mechanism == Mechanism::high_gmac;
  if (hls && !options_.ciphering) {
    return make_error("HLS-GMAC needs the keys and the client's system title");
  }
  InitiateRequest initiate;
  initiate.proposed_conformance = options_.proposed;
  initiate.client_max_receive_pdu_size = options_.max_receive_pdu_size;
  Aarq aarq;
  aarq.application_context_name =
      to_oid(ciphered() ? ApplicationContext::ln_ciphering : ApplicationContext::ln_no_ciphering);
  if (options_.ciphering) {
    const ClientCiphering& ciphering = *options_.ciphering;
    aarq.calling.ap_title.emplace(ciphering.client_system_title.begin(),
                                  ciphering.client_system_title.end());
    if (ciphering.dedicated_key && ciphered()) {
      initiate.dedicated_key.emplace(ciphering.dedicated_key->begin(),
                                     ciphering.dedicated_key->end());
    }
  }
  if (options_.mechanism != Mechanism::lowest) {
    aarq.authentication = true;
    aarq.mechanism_name = to_oid(options_.mechanism);
    if (hls) {
      client_challenge_ = options_.challenge;
      if (client_challenge_.empty()) {
        auto random = random_octets(hls_challenge_octets);
        if (!random) return random.error();
        client_challenge_ = std::move(*random);
      }
      aarq.calling_authentication_value = client_challenge_;
    } else {
      aarq.calling_authentication_value = options_.password;
    }
  }
  auto user_information = initiate.encode();
  if (!user_information) return user_information.error();
  if (ciphered()) {
    // The InitiateRequest always travels under the global key (the dedicated key is inside).
    auto ciphered = protect(*user_information, false, options_.ciphering->general_ciphering);
    if (!ciphered) return ciphered.error();
    user_information = std::move(*ciphered);
  }
  aarq.user_information = std::move(*user_information);
  auto request = aarq.encode();
  if (!request) return request.error();
  auto answer = exchange_(*request);
  if (!answer) return answer.error();
  if (answer->empty() || (*answer)[0] != aare_tag) return unexpected(*answer, "AARQ");
  auto aare = Aare::decode(*answer);
  if (!aare) return aare.error();
  if (aare->responding.ap_title && aare->responding.ap_title->size() == system_title_size) {
    SystemTitle title{};
    std::copy(aare->responding.ap_title->begin(), aare->responding.ap_title->end(), title.begin());
    server_title_ = title;
  }
  std::optional<InitiateAnswer> initiate_answer;
  if (aare->user_information) {
    std::vector<std::uint8_t> plain = *aare->user_information;
    if (options_.ciphering && !plain.empty() && is_ciphered_tag(plain[0])) {
      auto opened = unprotect(plain);
      if (!opened) return opened.error();
      plain = std::move(*opened);
    }
    auto decoded = decode_initiate_answer(plain);
    if (decoded) initiate_answer = std::move(*decoded);
  }
  if (aare->result != AssociationResult::accepted) {
    std::string why = fmt::format("association refused: {}, {}", to_string(aare->result),
                                  to_string(aare->diagnostic));
    if (initiate_answer) {
      if (const auto* error = std::get_if<ConfirmedServiceError>(&*initiate_answer)) {
        why += fmt::format(" ({})", to_string(*error));
      }
    }
    return make_error(why);
  }
  const auto* response =
      initiate_answer ? std::get_if<InitiateResponse>(&*initiate_answer) : nullptr;
  if (response == nullptr) {
    return make_error("the AARE accepts the association but carries no InitiateResponse");
  }
  negotiated_ = *response;
  if (hls) {
    if (!server_title_) return make_error("HLS: the AARE names no server system title");
    if (!aare->responding_authentication_value) {
      return make_error("HLS: the AARE carries no server challenge");
    }
    if (Status proven = authenticate(*aare->responding_authentication_value); !proven) {
      return proven;
    }
  } else if (ciphered() && !server_title_) {
    return make_error("a ciphered AARE that names no server system title");
  }
  associated_ = true;
  return {};
}

Status Client::release() {
  Rlrq rlrq;
  rlrq.reason = ReleaseRequestReason::normal;
  auto request = rlrq.encode();
  if (!request) return request.error();
  associated_ = false;
  // ACSE APDUs are never ciphered themselves (a ciphered context may put a ciphered
  // InitiateRequest in the RLRQ's user-information; it need not).
  auto answer = exchange_(*request);
  if (!answer) return answer.error();
  if (auto rlre = Rlre::decode(*answer); !rlre) return unexpected(*answer, "RLRQ");
  return {};
}

Result<std::vector<std::uint8_t>> Client::collect_get_blocks(std::vector<std::uint8_t> answer) {
  std::vector<std::uint8_t> raw;
  std::uint32_t expected = 1;
  for (;;) {
    // Every block answers with the invoke-id of the request that began the transfer.
    const InvokeIdAndPriority invoke{answer.size() > 2 ? answer[2] : std::uint8_t{0}};
    auto block = expect<GetResponseWithDatablock>(answer, "Get-Request-Next", invoke);
    if (!block) return block.error();
    if (const auto* refused = std::get_if<DataAccessResult>(&block->block.result)) {
      return make_error(
          fmt::format("the server stopped the block transfer: {}", to_string(*refused)));
    }
    if (block->block.block_number != expected) {
      return make_error(fmt::format("the server sent block {} where block {} was due",
                                    block->block.block_number, expected));
    }
    const auto& data = std::get<std::vector<std::uint8_t>>(block->block.result);
    if (raw.size() + data.size() > options_.long_answer_octets_max) {
      return make_error(
          fmt::format("the answer is longer than {} octets", options_.long_answer_octets_max));
    }
    raw.insert(raw.end(), data.begin(), data.end());
    if (block->block.last_block) return raw;
    GetRequestNext next;
    next.invoke = block->invoke;
    next.block_number = expected;
    auto following = send(next.encode());
    if (!following) return following.error();
    answer = std::move(*following);
    ++expected;
  }
}

Result<GetDataResult> Client::get(const CosemAttributeDescriptor& attribute,
                                  const std::optional<AccessSelection>& access) {
  if (Status granted = require(negotiated_, ConformanceBit::get); !granted) {
    return granted.error();
  }
  GetRequestNormal request;
  request.invoke = next_invoke();
  request.attribute = attribute;
  request.access = access;
  auto answer = send(request.encode());
  if (!answer) return answer.error();
  auto response = expect_one_of<GetResponseNormal, GetResponseWithDatablock>(
      *answer, "Get-Request-Normal", request.invoke);
  if (!response) return response.error();
  if (const auto* normal = std::get_if<GetResponseNormal>(&*response)) return normal->result;
  auto raw = collect_get_blocks(std::move(*answer));
  if (!raw) return raw.error();
  auto value = decode_all(*raw);
  if (!value) return value.error();
  return GetDataResult{std::move(*value)};
}

Result<std::vector<GetDataResult>> Client::get_list(
    const std::vector<AttributeWithSelection>& items) {
  if (Status granted = require(negotiated_, ConformanceBit::multiple_references); !granted) {
    return granted.error();
  }
  GetRequestWithList request;
  request.invoke = next_invoke();
  request.attributes = items;
  auto answer = send(request.encode());
  if (!answer) return answer.error();
  auto response = expect_one_of<GetResponseWithList, GetResponseWithDatablock>(
      *answer, "Get-Request-With-List", request.invoke);
  if (!response) return response.error();
  std::vector<GetDataResult> results;
  if (auto* list = std::get_if<GetResponseWithList>(&*response)) {
    results = std::move(list->results);
  } else {
    auto raw = collect_get_blocks(std::move(*answer));
    if (!raw) return raw.error();
    auto decoded = decode_result_list(*raw);
    if (!decoded) return decoded.error();
    results = std::move(*decoded);
  }
  if (results.size() != items.size()) {
    return make_error(fmt::format("the server answered {} results for {} attributes",
                                  results.size(), items.size()));
  }
  return results;
}

Result<DataAccessResult> Client::set(const CosemAttributeDescriptor& attribute, const Data& value) {
  if (Status granted = require(negotiated_, ConformanceBit::set); !granted) {
    return granted.error();
  }
  SetRequestNormal request;
  request.invoke = next_invoke();
  request.attribute = attribute;
  request.value = value;
  std::vector<std::uint8_t> encoded = request.encode();
  if (encoded.size() <= server_pdu_octets()) {
    auto answer = send(encoded);
    if (!answer) return answer.error();
    auto response = expect<SetResponseNormal>(*answer, "Set-Request-Normal", request.invoke);
    if (!response) return response.error();
    return response->result;
  }
  if (!negotiated_.negotiated_conformance.has(ConformanceBit::block_transfer_with_set_or_write)) {
    return make_error(fmt::format(
        "the value takes {} octets, more than the server receives ({}), and the server did not "
        "grant block transfer with SET",
        encoded.size(), server_pdu_octets()));
  }
  std::vector<std::uint8_t> raw;
  encode(value, raw);
  const std::size_t payload = server_pdu_octets() - request_block_overhead_octets;
  std::size_t sent = 0;
  for (std::uint32_t number = 1;; ++number) {
    DataBlockSA block;
    block.block_number = number;
    const std::size_t chunk = std::min(payload, raw.size() - sent);
    block.raw_data.assign(raw.begin() + static_cast<std::ptrdiff_t>(sent),
                          raw.begin() + static_cast<std::ptrdiff_t>(sent + chunk));
    sent += chunk;
    block.last_block = sent == raw.size();
    std::vector<std::uint8_t> block_request =
        number == 1
            ? SetRequestWithFirstDatablock{request.invoke, attribute, std::nullopt, block}.encode()
            : SetRequestWithDatablock{request.invoke, block}.encode();
    auto answer = send(block_request);
    if (!answer) return answer.error();
    auto response = expect_one_of<SetResponseDatablock, SetResponseLastDatablock>(
        *answer, "Set-Request-With-Datablock", request.invoke);
    if (!response) return response.error();
    if (const auto* last = std::get_if<SetResponseLastDatablock>(&*response)) return last->result;
    if (block.last_block) return make_error("the server acknowledged the last block as not last");
    if (std::get<SetResponseDatablock>(*response).block_number != number) {
      return make_error(fmt::format("the server acknowledged block {} for block {}",
                                    std::get<SetResponseDatablock>(*response).block_number,
                                    number));
    }
  }
}

Result<ActionOutcome> Client::action(const CosemMethodDescriptor& method,
                                     const std::optional<Data>& parameters) {
  if (Status granted = require(negotiated_, ConformanceBit::action); !granted) {
    return granted.error();
  }
  ActionRequestNormal request;
  request.invoke = next_invoke();
  request.method = method;
  request.parameters = parameters;
  std::vector<std::uint8_t> encoded = request.encode();
  std::vector<std::uint8_t> answer;
  if (encoded.size() <= server_pdu_octets()) {
    auto sent = send(encoded);
    if (!sent) return sent.error();
    answer = std::move(*sent);
  } else {
    if (!negotiated_.negotiated_conformance.has(ConformanceBit::block_transfer_with_action)) {
      return make_error(fmt::format(
          "the parameters take {} octets, more than the server receives ({}), and the server "
          "did not grant block transfer with ACTION",
          encoded.size(), server_pdu_octets()));
    }
    std::vector<std::uint8_t> raw;
    encode(parameters.value_or(Data::null()), raw);
    const std::size_t payload = server_pdu_octets() - request_block_overhead_octets;
    std::size_t offset = 0;
    for (std::uint32_t number = 1;; ++number) {
      DataBlockSA block;
      block.block_number = number;
      const std::size_t chunk = std::min(payload, raw.size() - offset);
      block.raw_data.assign(raw.begin() + static_cast<std::ptrdiff_t>(offset),
                            raw.begin() + static_cast<std::ptrdiff_t>(offset + chunk));
      offset += chunk;
      block.last_block = offset == raw.size();
      std::vector<std::uint8_t> block_request =
          number == 1 ? ActionRequestWithFirstPblock{request.invoke, method, block}.encode()
                      : ActionRequestWithPblock{request.invoke, block}.encode();
      auto sent = send(block_request);
      if (!sent) return sent.error();
      if (block.last_block) {
        answer = std::move(*sent);
        break;
      }
      auto ack = expect_one_of<ActionResponseNextPblock, ActionResponseNormal>(
          *sent, "Action-Request-With-Pblock", request.invoke);
      if (!ack) return ack.error();
      if (const auto* early = std::get_if<ActionResponseNormal>(&*ack)) return early->response;
      if (std::get<ActionResponseNextPblock>(*ack).block_number != number) {
        return make_error("the server acknowledged another parameter block than the one sent");
      }
    }
  }
  auto response = expect_one_of<ActionResponseNormal, ActionResponseWithPblock>(
      answer, "Action-Request", request.invoke);
  if (!response) return response.error();
  if (const auto* normal = std::get_if<ActionResponseNormal>(&*response)) return normal->response;
  // Long return parameters: ask for each next block until the last.
  std::vector<std::uint8_t> raw;
  for (std::uint32_t expected = 1;; ++expected) {
    auto block =
        expect<ActionResponseWithPblock>(answer, "Action-Request-Next-Pblock", request.invoke);
    if (!block) return block.error();
    if (block->block.block_number != expected) {
      return make_error(fmt::format("the server sent block {} where block {} was due",
                                    block->block.block_number, expected));
    }
    if (raw.size() + block->block.raw_data.size() > options_.long_answer_octets_max) {
      return make_error("the return parameters are too long");
    }
    raw.insert(raw.end(), block->block.raw_data.begin(), block->block.raw_data.end());
    if (block->block.last_block) break;
    auto next = send(ActionRequestNextPblock{request.invoke, expected}.encode());
    if (!next) return next.error();
    answer = std::move(*next);
  }
  auto value = decode_all(raw);
  if (!value) return value.error();
  return ActionOutcome{ActionResult::success, GetDataResult{std::move(*value)}};
}

}  // namespace gridmeter::dlms
