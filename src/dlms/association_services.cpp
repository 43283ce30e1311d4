// The xDLMS services of an association (IEC 62056-5-3 clause 6.6 GET, 6.7 SET, 6.8 ACTION,
// with the block transfer of clause 6.x "transferring long service parameters"): each checks
// the negotiated conformance, calls the ObjectServer, and answers, in blocks when the answer
// does not fit the client's max receive PDU size.
#include <algorithm>  // std::min
#include <utility>    // std::move

#include "dlms/association.hpp"
#include "dlms/axdr.hpp"

namespace gridmeter::dlms {
namespace {

// A Get-Response-With-Datablock or Action-Response-With-Pblock around n octets of raw data is
// at most 12 octets longer: tag, choice, invoke-id, last-block, block-number (4), the choice of
// raw-data (GET only) and a length of up to 3 octets.
constexpr std::size_t block_overhead_octets = 12;

// Decodes the A-XDR SEQUENCE OF Data that list forms carry in their blocks: a count, then the
// values. Nothing when it is malformed or its count is not `expected`.
std::optional<std::vector<Data>> decode_value_list(std::span<const std::uint8_t> raw,
                                                   std::size_t expected) {
  auto count = decode_length(raw);
  if (!count || count->value != expected) return std::nullopt;
  std::vector<Data> values;
  values.reserve(expected);
  std::size_t offset = count->used;
  for (std::size_t i = 0; i < expected; ++i) {
    auto value = decode(raw.subspan(offset));
    if (!value) return std::nullopt;
    offset += value->used;
    values.push_back(std::move(value->value));
  }
  if (offset != raw.size()) return std::nullopt;
  return values;
}

}  // namespace

std::size_t Association::block_payload_octets() const {
  return answer_octets_max() - block_overhead_octets;
}

// ---- GET ----

void Association::serve_get(const GetRequestNormal& request, std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::get) ||
      (request.access && !granted(ConformanceBit::selective_access))) {
    refuse_service(response);
    return;
  }
  outgoing_ = OutgoingBlocks{};  // a new GET ends a transfer the client gave up
  const GetDataResult result = objects_.get(context_, request.attribute, request.access);
  std::vector<std::uint8_t> encoded{GetResponseNormal::tag, GetResponseNormal::choice,
                                    request.invoke.value};
  append(encoded, result);
  // The blocks carry the value itself, after the Get-Data-Result choice octet.
  send_get_answer(request.invoke, std::move(encoded), 4, 0, response);
}

void Association::serve_get(const GetRequestWithList& request,
                            std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::get) || !granted(ConformanceBit::multiple_references)) {
    refuse_service(response);
    return;
  }
  for (const AttributeWithSelection& item : request.attributes) {
    if (item.access && !granted(ConformanceBit::selective_access)) {
      refuse_service(response);
      return;
    }
  }
  outgoing_ = OutgoingBlocks{};
  GetResponseWithList answer;
  answer.invoke = request.invoke;
  answer.results.reserve(request.attributes.size());
  for (const AttributeWithSelection& item : request.attributes)
    answer.results.push_back(objects_.get(context_, item.attribute, item.access));
  // The blocks carry the SEQUENCE OF Get-Data-Result: its count, then the results.
  send_get_answer(request.invoke, answer.encode(), 3, request.attributes.size(), response);
}

void Association::serve_get(const GetRequestNext& request, std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::block_transfer_with_get_or_read)) {
    refuse_service(response);
    return;
  }
  auto refuse_block = [&](DataAccessResult why) {
    GetResponseWithDatablock answer;
    answer.invoke = request.invoke;
    answer.block.last_block = true;
    answer.block.block_number = request.block_number;
    answer.block.result = why;
    response = answer.encode();
  };
  if (!outgoing_.active || outgoing_.for_action) {
    refuse_block(DataAccessResult::no_long_get_in_progress);
    return;
  }
  if (request.block_number != outgoing_.block_number) {
    outgoing_ = OutgoingBlocks{};
    refuse_block(DataAccessResult::data_block_number_invalid);
    return;
  }
  send_next_get_block(request.invoke, response);
}

void Association::send_get_answer(InvokeIdAndPriority invoke, std::vector<std::uint8_t> encoded,
                                  std::size_t value_offset, std::size_t list_count,
                                  std::vector<std::uint8_t>& response) {
  if (encoded.size() <= answer_octets_max()) {
    response = std::move(encoded);
    return;
  }
  if (!granted(ConformanceBit::block_transfer_with_get_or_read) ||
      encoded.size() - value_offset > settings_.long_transfer_octets_max) {
    // Too long for the client, and no blocks to carry it: the value cannot be delivered.
    if (list_count == 0) {
      response = GetResponseNormal{invoke, DataAccessResult::other_reason}.encode();
    } else {
      GetResponseWithList refused;
      refused.invoke = invoke;
      refused.results.assign(list_count, DataAccessResult::other_reason);
      response = refused.encode();
    }
    return;
  }
  outgoing_ = OutgoingBlocks{};
  outgoing_.active = true;
  outgoing_.raw.assign(encoded.begin() + static_cast<std::ptrdiff_t>(value_offset), encoded.end());
  send_next_get_block(invoke, response);
}

DataBlockSA Association::next_outgoing_block() {
  const std::size_t chunk = std::min(block_payload_octets(), outgoing_.raw.size() - outgoing_.sent);
  DataBlockSA block;
  block.block_number = ++outgoing_.block_number;
  block.last_block = outgoing_.sent + chunk == outgoing_.raw.size();
  const auto from = outgoing_.raw.begin() + static_cast<std::ptrdiff_t>(outgoing_.sent);
  block.raw_data.assign(from, from + static_cast<std::ptrdiff_t>(chunk));
  outgoing_.sent += chunk;
  if (block.last_block) outgoing_ = OutgoingBlocks{};
  return block;
}

void Association::send_next_get_block(InvokeIdAndPriority invoke,
                                      std::vector<std::uint8_t>& response) {
  DataBlockSA block = next_outgoing_block();
  GetResponseWithDatablock answer;
  answer.invoke = invoke;
  answer.block.block_number = block.block_number;
  answer.block.last_block = block.last_block;
  answer.block.result = std::move(block.raw_data);
  response = answer.encode();
}

// ---- Incoming blocks (long SET, long ACTION parameters) ----

Association::BlockTaken Association::take_block(const DataBlockSA& block, bool first) {
  const std::uint32_t expected = first ? 1 : incoming_.block_number + 1;
  if (block.block_number != expected) {
    incoming_ = IncomingBlocks{};
    return BlockTaken::out_of_step;
  }
  if (incoming_.raw.size() + block.raw_data.size() > settings_.long_transfer_octets_max) {
    incoming_ = IncomingBlocks{};
    return BlockTaken::too_long;
  }
  incoming_.raw.insert(incoming_.raw.end(), block.raw_data.begin(), block.raw_data.end());
  incoming_.block_number = block.block_number;
  return BlockTaken::ok;
}

// ---- SET ----

void Association::serve_set(const SetRequestNormal& request, std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::set) ||
      (request.access && !granted(ConformanceBit::selective_access))) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  const DataAccessResult result =
      objects_.set(context_, request.attribute, request.access, request.value);
  if (request.invoke.confirmed()) response = SetResponseNormal{request.invoke, result}.encode();
}

void Association::serve_set(const SetRequestWithList& request,
                            std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::set) || !granted(ConformanceBit::multiple_references)) {
    refuse_service(response);
    return;
  }
  for (const SetListItem& item : request.items) {
    if (item.access && !granted(ConformanceBit::selective_access)) {
      refuse_service(response);
      return;
    }
  }
  incoming_ = IncomingBlocks{};
  SetResponseWithList answer;
  answer.invoke = request.invoke;
  for (const SetListItem& item : request.items)
    answer.results.push_back(objects_.set(context_, item.attribute, item.access, item.value));
  if (request.invoke.confirmed()) response = answer.encode();
}

void Association::serve_set(const SetRequestWithFirstDatablock& request,
                            std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::set) || !granted(ConformanceBit::block_transfer_with_set_or_write) ||
      (request.access && !granted(ConformanceBit::selective_access))) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  incoming_.kind = IncomingBlocks::Kind::set_one;
  incoming_.attributes.push_back({request.attribute, request.access});
  const BlockTaken taken = take_block(request.block, true);
  if (taken != BlockTaken::ok) {
    const auto why = taken == BlockTaken::out_of_step ? DataAccessResult::data_block_number_invalid
                                                      : DataAccessResult::long_set_aborted;
    response = SetResponseLastDatablock{request.invoke, why, request.block.block_number}.encode();
    return;
  }
  if (!request.block.last_block) {
    response = SetResponseDatablock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_set_blocks(request.invoke, response);
}

void Association::serve_set(const SetRequestWithListAndFirstDatablock& request,
                            std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::set) || !granted(ConformanceBit::block_transfer_with_set_or_write) ||
      !granted(ConformanceBit::multiple_references)) {
    refuse_service(response);
    return;
  }
  for (const AttributeWithSelection& item : request.attributes) {
    if (item.access && !granted(ConformanceBit::selective_access)) {
      refuse_service(response);
      return;
    }
  }
  incoming_ = IncomingBlocks{};
  incoming_.kind = IncomingBlocks::Kind::set_list;
  incoming_.attributes = request.attributes;
  const BlockTaken taken = take_block(request.block, true);
  if (taken != BlockTaken::ok) {
    SetResponseLastDatablockWithList answer;
    answer.invoke = request.invoke;
    answer.results.assign(request.attributes.size(),
                          taken == BlockTaken::out_of_step
                              ? DataAccessResult::data_block_number_invalid
                              : DataAccessResult::long_set_aborted);
    answer.block_number = request.block.block_number;
    response = answer.encode();
    return;
  }
  if (!request.block.last_block) {
    response = SetResponseDatablock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_set_blocks(request.invoke, response);
}

void Association::serve_set(const SetRequestWithDatablock& request,
                            std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::set) || !granted(ConformanceBit::block_transfer_with_set_or_write)) {
    refuse_service(response);
    return;
  }
  const bool in_progress = incoming_.kind == IncomingBlocks::Kind::set_one ||
                           incoming_.kind == IncomingBlocks::Kind::set_list;
  if (!in_progress) {
    response = SetResponseLastDatablock{request.invoke, DataAccessResult::no_long_set_in_progress,
                                        request.block.block_number}
                   .encode();
    return;
  }
  const std::size_t attribute_count = incoming_.attributes.size();
  const bool list = incoming_.kind == IncomingBlocks::Kind::set_list;
  const BlockTaken taken = take_block(request.block, false);
  if (taken != BlockTaken::ok) {
    const auto why = taken == BlockTaken::out_of_step ? DataAccessResult::data_block_number_invalid
                                                      : DataAccessResult::long_set_aborted;
    if (list) {
      SetResponseLastDatablockWithList answer;
      answer.invoke = request.invoke;
      answer.results.assign(attribute_count, why);
      answer.block_number = request.block.block_number;
      response = answer.encode();
    } else {
      response = SetResponseLastDatablock{request.invoke, why, request.block.block_number}.encode();
    }
    return;
  }
  if (!request.block.last_block) {
    response = SetResponseDatablock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_set_blocks(request.invoke, response);
}

void Association::finish_set_blocks(InvokeIdAndPriority invoke,
                                    std::vector<std::uint8_t>& response) {
  IncomingBlocks transfer = std::move(incoming_);
  incoming_ = IncomingBlocks{};
  if (transfer.kind == IncomingBlocks::Kind::set_one) {
    auto value = decode_all(transfer.raw);
    const AttributeWithSelection& target = transfer.attributes.front();
    // Octets that are no Data value cannot be written: the same answer as a value of the wrong
    // type would get.
    const DataAccessResult result =
        value ? objects_.set(context_, target.attribute, target.access, *value)
              : DataAccessResult::type_unmatched;
    response = SetResponseLastDatablock{invoke, result, transfer.block_number}.encode();
    return;
  }
  SetResponseLastDatablockWithList answer;
  answer.invoke = invoke;
  answer.block_number = transfer.block_number;
  auto values = decode_value_list(transfer.raw, transfer.attributes.size());
  for (std::size_t i = 0; i < transfer.attributes.size(); ++i) {
    const AttributeWithSelection& target = transfer.attributes[i];
    answer.results.push_back(
        values ? objects_.set(context_, target.attribute, target.access, (*values)[i])
               : DataAccessResult::type_unmatched);
  }
  response = answer.encode();
}

// ---- ACTION ----

void Association::serve_action(const ActionRequestNormal& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action)) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  outgoing_ = OutgoingBlocks{};
  const ActionOutcome outcome = objects_.action(context_, request.method, request.parameters);
  if (request.invoke.confirmed()) send_action_answer(request.invoke, outcome, response);
}

void Association::serve_action(const ActionRequestWithList& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action) || !granted(ConformanceBit::multiple_references)) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  outgoing_ = OutgoingBlocks{};
  ActionResponseWithList answer;
  answer.invoke = request.invoke;
  for (const ActionListItem& item : request.items)
    answer.responses.push_back(objects_.action(context_, item.method, item.parameters));
  if (!request.invoke.confirmed()) return;
  response = answer.encode();
  if (response.size() > answer_octets_max()) {
    // The methods ran; their return values do not fit, so they are not delivered.
    for (ActionOutcome& outcome : answer.responses) {
      if (outcome.return_parameters) outcome.return_parameters = DataAccessResult::other_reason;
    }
    response = answer.encode();
  }
}

void Association::serve_action(const ActionRequestWithFirstPblock& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action) || !granted(ConformanceBit::block_transfer_with_action)) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  outgoing_ = OutgoingBlocks{};
  incoming_.kind = IncomingBlocks::Kind::action_one;
  incoming_.methods.push_back(request.method);
  if (take_block(request.block, true) != BlockTaken::ok) {
    response =
        ActionResponseNormal{request.invoke, {ActionResult::long_action_aborted, {}}}.encode();
    return;
  }
  if (!request.block.last_block) {
    response = ActionResponseNextPblock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_action_blocks(request.invoke, response);
}

void Association::serve_action(const ActionRequestWithListAndFirstPblock& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action) || !granted(ConformanceBit::block_transfer_with_action) ||
      !granted(ConformanceBit::multiple_references)) {
    refuse_service(response);
    return;
  }
  incoming_ = IncomingBlocks{};
  outgoing_ = OutgoingBlocks{};
  incoming_.kind = IncomingBlocks::Kind::action_list;
  incoming_.methods = request.methods;
  if (take_block(request.block, true) != BlockTaken::ok) {
    ActionResponseWithList answer;
    answer.invoke = request.invoke;
    answer.responses.assign(request.methods.size(), {ActionResult::long_action_aborted, {}});
    response = answer.encode();
    return;
  }
  if (!request.block.last_block) {
    response = ActionResponseNextPblock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_action_blocks(request.invoke, response);
}

void Association::serve_action(const ActionRequestWithPblock& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action) || !granted(ConformanceBit::block_transfer_with_action)) {
    refuse_service(response);
    return;
  }
  const bool in_progress = incoming_.kind == IncomingBlocks::Kind::action_one ||
                           incoming_.kind == IncomingBlocks::Kind::action_list;
  if (!in_progress) {
    response = ActionResponseNormal{request.invoke, {ActionResult::no_long_action_in_progress, {}}}
                   .encode();
    return;
  }
  if (take_block(request.block, false) != BlockTaken::ok) {
    response =
        ActionResponseNormal{request.invoke, {ActionResult::long_action_aborted, {}}}.encode();
    return;
  }
  if (!request.block.last_block) {
    response = ActionResponseNextPblock{request.invoke, request.block.block_number}.encode();
    return;
  }
  finish_action_blocks(request.invoke, response);
}

void Association::serve_action(const ActionRequestNextPblock& request,
                               std::vector<std::uint8_t>& response) {
  if (!granted(ConformanceBit::action) || !granted(ConformanceBit::block_transfer_with_action)) {
    refuse_service(response);
    return;
  }
  if (!outgoing_.active || !outgoing_.for_action) {
    response = ActionResponseNormal{request.invoke, {ActionResult::no_long_action_in_progress, {}}}
                   .encode();
    return;
  }
  if (request.block_number != outgoing_.block_number) {
    outgoing_ = OutgoingBlocks{};
    response =
        ActionResponseNormal{request.invoke, {ActionResult::long_action_aborted, {}}}.encode();
    return;
  }
  send_next_action_block(request.invoke, response);
}

void Association::finish_action_blocks(InvokeIdAndPriority invoke,
                                       std::vector<std::uint8_t>& response) {
  IncomingBlocks transfer = std::move(incoming_);
  incoming_ = IncomingBlocks{};
  if (transfer.kind == IncomingBlocks::Kind::action_one) {
    auto parameters = decode_all(transfer.raw);
    if (!parameters) {
      response = ActionResponseNormal{invoke, {ActionResult::type_unmatched, {}}}.encode();
      return;
    }
    send_action_answer(invoke, objects_.action(context_, transfer.methods.front(), *parameters),
                       response);
    return;
  }
  ActionResponseWithList answer;
  answer.invoke = invoke;
  auto parameters = decode_value_list(transfer.raw, transfer.methods.size());
  for (std::size_t i = 0; i < transfer.methods.size(); ++i) {
    answer.responses.push_back(
        parameters ? objects_.action(context_, transfer.methods[i], (*parameters)[i])
                   : ActionOutcome{ActionResult::type_unmatched, {}});
  }
  response = answer.encode();
}

void Association::send_action_answer(InvokeIdAndPriority invoke, const ActionOutcome& outcome,
                                     std::vector<std::uint8_t>& response) {
  response = ActionResponseNormal{invoke, outcome}.encode();
  if (response.size() <= answer_octets_max()) return;
  const Data* value =
      outcome.return_parameters ? std::get_if<Data>(&*outcome.return_parameters) : nullptr;
  if (value == nullptr || !granted(ConformanceBit::block_transfer_with_action)) {
    // The method ran; what it returned does not fit and cannot travel in blocks.
    response =
        ActionResponseNormal{invoke, {outcome.result, DataAccessResult::other_reason}}.encode();
    return;
  }
  outgoing_ = OutgoingBlocks{};
  outgoing_.active = true;
  outgoing_.for_action = true;
  encode(*value, outgoing_.raw);
  send_next_action_block(invoke, response);
}

void Association::send_next_action_block(InvokeIdAndPriority invoke,
                                         std::vector<std::uint8_t>& response) {
  response = ActionResponseWithPblock{invoke, next_outgoing_block()}.encode();
}

}  // namespace gridmeter::dlms
