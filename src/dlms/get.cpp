#include "dlms/get.hpp"

#include <fmt/format.h>

#include <utility>  // std::move

namespace gridmeter::dlms {
std::vector<std::uint8_t> GetRequestNormal::encode() const {
  auto out = start_encoding(*this);
  append(out, attribute);
  append(out, access);
  return out;
}

Result<GetRequestNormal> GetRequestNormal::decode(std::span<const std::uint8_t> bytes,
                                                  const DecodeLimits& limits) {
  GetRequestNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.attribute = read_attribute_descriptor(in);
  apdu.access = read_access_selection(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> GetRequestNext::encode() const {
  auto out = start_encoding(*this);
  append_unsigned32(out, block_number);
  return out;
}

Result<GetRequestNext> GetRequestNext::decode(std::span<const std::uint8_t> bytes,
                                              const DecodeLimits& limits) {
  GetRequestNext apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block_number = in.unsigned32("block-number");
  return in.finish(apdu);
}

std::vector<std::uint8_t> GetRequestWithList::encode() const {
  auto out = start_encoding(*this);
  append(out, attributes);
  return out;
}

Result<GetRequestWithList> GetRequestWithList::decode(std::span<const std::uint8_t> bytes,
                                                      const DecodeLimits& limits) {
  GetRequestWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.attributes = read_attribute_list(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> GetResponseNormal::encode() const {
  auto out = start_encoding(*this);
  append(out, result);
  return out;
}

Result<GetResponseNormal> GetResponseNormal::decode(std::span<const std::uint8_t> bytes,
                                                    const DecodeLimits& limits) {
  GetResponseNormal apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.result = read_get_data_result(in);
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> GetResponseWithDatablock::encode() const {
  auto out = start_encoding(*this);
  out.push_back(block.last_block ? 0x01 : 0x00);
  append_unsigned32(out, block.block_number);
  if (const auto* raw = std::get_if<std::vector<std::uint8_t>>(&block.result)) {
    out.push_back(DataBlockG::raw_data_choice);
    append_octet_string(out, *raw);
  } else {
    out.push_back(DataBlockG::data_access_result_choice);
    out.push_back(static_cast<std::uint8_t>(std::get<DataAccessResult>(block.result)));
  }
  return out;
}

Result<GetResponseWithDatablock> GetResponseWithDatablock::decode(
    std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  GetResponseWithDatablock apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  apdu.block.last_block = in.boolean("last-block");
  apdu.block.block_number = in.unsigned32("block-number");
  const std::size_t at = in.offset();
  const std::uint8_t result_choice = in.octet("DataBlock-G result choice");
  if (result_choice == DataBlockG::raw_data_choice) {
    apdu.block.result = in.octet_string("raw-data");
  } else if (result_choice == DataBlockG::data_access_result_choice) {
    apdu.block.result = static_cast<DataAccessResult>(in.octet("data-access-result"));
  } else {
    in.fail(at, fmt::format("DataBlock-G result choice {} is neither raw-data (0) nor "
                            "data-access-result (1)",
                            result_choice));
  }
  return in.finish(std::move(apdu));
}

std::vector<std::uint8_t> GetResponseWithList::encode() const {
  auto out = start_encoding(*this);
  encode_length(results.size(), out);
  for (const GetDataResult& result : results)
    append(out, result);
  return out;
}

Result<GetResponseWithList> GetResponseWithList::decode(std::span<const std::uint8_t> bytes,
                                                        const DecodeLimits& limits) {
  GetResponseWithList apdu;
  ApduReader in(bytes, name, limits);
  read_header(in, apdu);
  // A choice octet and at least one more: a Data tag or a result code.
  const std::size_t elements = in.count("result list", 2);
  apdu.results.reserve(elements);
  for (std::size_t i = 0; i < elements && in.ok(); ++i)
    apdu.results.push_back(read_get_data_result(in));
  return in.finish(std::move(apdu));
}

}  // namespace gridmeter::dlms
