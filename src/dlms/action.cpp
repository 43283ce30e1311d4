#include "dlms/action.hpp"

#include <fmt/format.h>

#include <utility>  // std::move

namespace gridmeter::dlms {
namespace {

ActionOutcome read_outcome(ApduReader& in) {
  ActionOutcome outcome;
  outcome.result = static_cast<ActionResult>(in.octet("action-result"));
  if (in.present("return-parameters")) outcome.return_parameters = read_get_data_result(in);
  return outcome;
}

void append_outcome(std::vector<std::uint8_t>& out, const ActionOutcome& outcome) {
  out.push_back(static_cast<std::uint8_t>(outcome.result));
  if (!outcome.return_parameters) {
    out.push_back(0x00);
    return;
  }
  out.push_back(0x01);
  append(out, *outcome.return_parameters);
}

std::vector<CosemMethodDescriptor> read_method_list(ApduReader& in) {
  const std::size_t elements =
      in.count("cosem-method-descriptor-list", CosemMethodDescriptor::encoded_size);
  std::vector<CosemMethodDescriptor> methods;
  methods.reserve(elements);
  for (std::size_t i = 0; i < elements && in.ok(); ++i)
    methods.push_back(read_method_descriptor(in));
  return methods;
}

}  // namespace

std::vector<std::uint8_t> ActionRequestNormal::encode() const {
  auto out = start_encoding(*this);
  append(out, method);
  if (!parameters) {
    out.push_back(0x00);
    return out;
  }
  out.push_back(0x01);
  dlms::encode(*parameters, out);
  return out;
}

Result<ActionRequestNormal> ActionRequestNormal::decode(std::span<const std::uint8_t> bytes,
                                                        const DecodeLimits& limits) {
  ActionRequestNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.method = read_method_descriptor(in);
  if (in.present("method-invocation-parameters")) {
    apdu.parameters = in.data("method-invocation-parameters");
  }
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionRequestNextPblock::encode() const {
  auto out = start_encoding(*this);
  append_unsigned32(out, block_number);
  return out;
}

Result<ActionRequestNextPblock> ActionRequestNextPblock::decode(std::span<const std::uint8_t> bytes,
                                                                const DecodeLimits& limits) {
  ActionRequestNextPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(apdu);
}

std::vector<std::uint8_t> ActionRequestWithList::encode() const {
  auto out = start_encoding(*this);
  encode_length(items.size(), out);
  for (const ActionListItem& item : items)
    append(out, item.method);
  encode_length(items.size(), out);
  for (const ActionListItem& item : items)
    dlms::encode(item.parameters, out);
  return out;
}

Result<ActionRequestWithList> ActionRequestWithList::decode(std::span<const std::uint8_t> bytes,
                                                            const DecodeLimits& limits) {
  ActionRequestWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  const std::vector<CosemMethodDescriptor> methods = read_method_list(in);
  const std::size_t at = in.offset();
  const std::size_t parameters = in.count("method-invocation-parameters", 1);
  if (in.ok() && parameters != methods.size()) {
    in.fail(at, fmt::format("method-invocation-parameters has {} values for {} methods", parameters,
                            methods.size()));
  }
  apdu.items.reserve(methods.size());
  for (std::size_t i = 0; i < methods.size() && in.ok(); ++i)
    apdu.items.push_back(ActionListItem{methods[i], in.data("method-invocation-parameters")});
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionRequestWithFirstPblock::encode() const {
  auto out = start_encoding(*this);
  append(out, method);
  append(out, block);
  return out;
}

Result<ActionRequestWithFirstPblock> ActionRequestWithFirstPblock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  ActionRequestWithFirstPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.method = read_method_descriptor(in);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionRequestWithListAndFirstPblock::encode() const {
  auto out = start_encoding(*this);
  encode_length(methods.size(), out);
  for (const CosemMethodDescriptor& method : methods)
    append(out, method);
  append(out, block);
  return out;
}

Result<ActionRequestWithListAndFirstPblock> ActionRequestWithListAndFirstPblock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  ActionRequestWithListAndFirstPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.methods = read_method_list(in);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionRequestWithPblock::encode() const {
  auto out = start_encoding(*this);
  append(out, block);
  return out;
}

Result<ActionRequestWithPblock> ActionRequestWithPblock::decode(std::span<const std::uint8_t> bytes,
                                                                const DecodeLimits& limits) {
  ActionRequestWithPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionResponseNormal::encode() const {
  auto out = start_encoding(*this);
  append_outcome(out, response);
  return out;
}

Result<ActionResponseNormal> ActionResponseNormal::decode(std::span<const std::uint8_t> bytes,
                                                          const DecodeLimits& limits) {
  ActionResponseNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.response = read_outcome(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionResponseWithPblock::encode() const {
  auto out = start_encoding(*this);
  append(out, block);
  return out;
}

Result<ActionResponseWithPblock> ActionResponseWithPblock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  ActionResponseWithPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionResponseWithList::encode() const {
  auto out = start_encoding(*this);
  encode_length(responses.size(), out);
  for (const ActionOutcome& outcome : responses)
    append_outcome(out, outcome);
  return out;
}

Result<ActionResponseWithList> ActionResponseWithList::decode(std::span<const std::uint8_t> bytes,
                                                              const DecodeLimits& limits) {
  ActionResponseWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  // The result and the return-parameters flag: 2 octets at least.
  const std::size_t elements = in.count("list-of-responses", 2);
  apdu.responses.reserve(elements);
  for (std::size_t i = 0; i < elements && in.ok(); ++i)
    apdu.responses.push_back(read_outcome(in));
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> ActionResponseNextPblock::encode() const {
  auto out = start_encoding(*this);
  append_unsigned32(out, block_number);
  return out;
}

Result<ActionResponseNextPblock> ActionResponseNextPblock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  ActionResponseNextPblock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(apdu);
}

}  // namespace gridmeter::dlms
