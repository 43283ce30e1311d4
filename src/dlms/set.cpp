#include "dlms/set.hpp"

#include <fmt/format.h>

#include <utility>  // std::move

namespace gridmeter::dlms {
namespace {

std::vector<DataAccessResult> read_result_list(ApduReader& in) {
  const std::size_t elements = in.count("result list", 1);
  std::vector<DataAccessResult> results;
  results.reserve(elements);
  for (std::size_t i = 0; i < elements && in.ok(); ++i)
    results.push_back(static_cast<DataAccessResult>(in.octet("data-access-result")));
  return results;
}

void append(std::vector<std::uint8_t>& out, const std::vector<DataAccessResult>& results) {
  encode_length(results.size(), out);
  for (DataAccessResult result : results)
    out.push_back(static_cast<std::uint8_t>(result));
}

}  // namespace

std::vector<std::uint8_t> SetRequestNormal::encode() const {
  auto out = start_encoding(*this);
  dlms::append(out, attribute);
  dlms::append(out, access);
  dlms::encode(value, out);
  return out;
}

Result<SetRequestNormal> SetRequestNormal::decode(std::span<const std::uint8_t> bytes,
                                                  const DecodeLimits& limits) {
  SetRequestNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.attribute = read_attribute_descriptor(in);
  apdu.access = read_access_selection(in);
  apdu.value = in.data("value");
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetRequestWithFirstDatablock::encode() const {
  auto out = start_encoding(*this);
  dlms::append(out, attribute);
  dlms::append(out, access);
  dlms::append(out, block);
  return out;
}

Result<SetRequestWithFirstDatablock> SetRequestWithFirstDatablock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  SetRequestWithFirstDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.attribute = read_attribute_descriptor(in);
  apdu.access = read_access_selection(in);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetRequestWithDatablock::encode() const {
  auto out = start_encoding(*this);
  dlms::append(out, block);
  return out;
}

Result<SetRequestWithDatablock> SetRequestWithDatablock::decode(std::span<const std::uint8_t> bytes,
                                                                const DecodeLimits& limits) {
  SetRequestWithDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetRequestWithList::encode() const {
  auto out = start_encoding(*this);
  encode_length(items.size(), out);
  for (const SetListItem& item : items) {
    dlms::append(out, item.attribute);
    dlms::append(out, item.access);
  }
  encode_length(items.size(), out);
  for (const SetListItem& item : items)
    dlms::encode(item.value, out);
  return out;
}

Result<SetRequestWithList> SetRequestWithList::decode(std::span<const std::uint8_t> bytes,
                                                      const DecodeLimits& limits) {
  SetRequestWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  std::vector<AttributeWithSelection> attributes = read_attribute_list(in);
  const std::size_t at = in.offset();
  const std::size_t values = in.count("value-list", 1);
  if (in.ok() && values != attributes.size()) {
    in.fail(at,
            fmt::format("value-list has {} values for {} attributes", values, attributes.size()));
  }
  apdu.items.reserve(attributes.size());
  for (std::size_t i = 0; i < attributes.size() && in.ok(); ++i) {
    apdu.items.push_back(
        SetListItem{attributes[i].attribute, std::move(attributes[i].access), in.data("value")});
  }
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetRequestWithListAndFirstDatablock::encode() const {
  auto out = start_encoding(*this);
  dlms::append(out, attributes);
  dlms::append(out, block);
  return out;
}

Result<SetRequestWithListAndFirstDatablock> SetRequestWithListAndFirstDatablock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  SetRequestWithListAndFirstDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.attributes = read_attribute_list(in);
  apdu.block = read_data_block_sa(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetResponseNormal::encode() const {
  auto out = start_encoding(*this);
  out.push_back(static_cast<std::uint8_t>(result));
  return out;
}

Result<SetResponseNormal> SetResponseNormal::decode(std::span<const std::uint8_t> bytes,
                                                    const DecodeLimits& limits) {
  SetResponseNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.result = static_cast<DataAccessResult>(in.octet("result"));
  return in.finish(apdu);
}

std::vector<std::uint8_t> SetResponseDatablock::encode() const {
  auto out = start_encoding(*this);
  append_unsigned32(out, block_number);
  return out;
}

Result<SetResponseDatablock> SetResponseDatablock::decode(std::span<const std::uint8_t> bytes,
                                                          const DecodeLimits& limits) {
  SetResponseDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(apdu);
}

std::vector<std::uint8_t> SetResponseLastDatablock::encode() const {
  auto out = start_encoding(*this);
  out.push_back(static_cast<std::uint8_t>(result));
  append_unsigned32(out, block_number);
  return out;
}

Result<SetResponseLastDatablock> SetResponseLastDatablock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  SetResponseLastDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.result = static_cast<DataAccessResult>(in.octet("result"));
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(apdu);
}

std::vector<std::uint8_t> SetResponseLastDatablockWithList::encode() const {
  auto out = start_encoding(*this);
  append(out, results);
  append_unsigned32(out, block_number);
  return out;
}

Result<SetResponseLastDatablockWithList> SetResponseLastDatablockWithList::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  SetResponseLastDatablockWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.results = read_result_list(in);
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> SetResponseWithList::encode() const {
  auto out = start_encoding(*this);
  append(out, results);
  return out;
}

Result<SetResponseWithList> SetResponseWithList::decode(std::span<const std::uint8_t> bytes,
                                                        const DecodeLimits& limits) {
  SetResponseWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.results = read_result_list(in);
  return in.finish(std::move(apdu));
}

}  // namespace gridmeter::dlms
