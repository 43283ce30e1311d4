#include "dlms/xdlms_common.hpp"

#include <fmt/format.h>

#include <array>  // std::array

namespace gridmeter::dlms {

std::string_view to_string(DataAccessResult result) {
  switch (result) {
    case DataAccessResult::success:
      return "success";
    case DataAccessResult::hardware_fault:
      return "hardware-fault";
    case DataAccessResult::temporary_failure:
      return "temporary-failure";
    case DataAccessResult::read_write_denied:
      return "read-write-denied";
    case DataAccessResult::object_undefined:
      return "object-undefined";
    case DataAccessResult::object_class_inconsistent:
      return "object-class-inconsistent";
    case DataAccessResult::object_unavailable:
      return "object-unavailable";
    case DataAccessResult::type_unmatched:
      return "type-unmatched";
    case DataAccessResult::scope_of_access_violated:
      return "scope-of-access-violated";
    case DataAccessResult::data_block_unavailable:
      return "data-block-unavailable";
    case DataAccessResult::long_get_aborted:
      return "long-get-aborted";
    case DataAccessResult::no_long_get_in_progress:
      return "no-long-get-in-progress";
    case DataAccessResult::long_set_aborted:
      return "long-set-aborted";
    case DataAccessResult::no_long_set_in_progress:
      return "no-long-set-in-progress";
    case DataAccessResult::data_block_number_invalid:
      return "data-block-number-invalid";
    case DataAccessResult::other_reason:
      return "other-reason";
  }
  return "unknown";
}

std::string_view to_string(ActionResult result) {
  switch (result) {
    case ActionResult::success:
      return "success";
    case ActionResult::hardware_fault:
      return "hardware-fault";
    case ActionResult::temporary_failure:
      return "temporary-failure";
    case ActionResult::read_write_denied:
      return "read-write-denied";
    case ActionResult::object_undefined:
      return "object-undefined";
    case ActionResult::object_class_inconsistent:
      return "object-class-inconsistent";
    case ActionResult::object_unavailable:
      return "object-unavailable";
    case ActionResult::type_unmatched:
      return "type-unmatched";
    case ActionResult::scope_of_access_violated:
      return "scope-of-access-violated";
    case ActionResult::data_block_unavailable:
      return "data-block-unavailable";
    case ActionResult::long_action_aborted:
      return "long-action-aborted";
    case ActionResult::no_long_action_in_progress:
      return "no-long-action-in-progress";
    case ActionResult::other_reason:
      return "other-reason";
  }
  return "unknown";
}

// ---- ApduReader ----

void ApduReader::fail(std::size_t offset, std::string_view message) {
  if (error_) return;
  error_ = make_error(fmt::format("{} at offset {}: {}", apdu_, offset, message));
  // Nothing is read after the first error: later reads see no octets and return defaults.
  position_ = bytes_.size();
}

bool ApduReader::need(std::size_t octets, std::string_view field) {
  if (error_) return false;
  if (left() >= octets) return true;
  fail(position_,
       fmt::format("{} needs {} octet{}, {} left", field, octets, octets == 1 ? "" : "s", left()));
  return false;
}

void ApduReader::expect_tag(std::uint8_t tag) {
  const std::size_t at = position_;
  const std::uint8_t found = octet("the APDU tag");
  if (ok() && found != tag) fail(at, fmt::format("tag 0x{:02X}, expected 0x{:02X}", found, tag));
}

void ApduReader::expect_choice(std::uint8_t choice) {
  const std::size_t at = position_;
  const std::uint8_t found = octet("the CHOICE octet");
  if (ok() && found != choice) fail(at, fmt::format("choice {}, expected {}", found, choice));
}

std::uint8_t ApduReader::octet(std::string_view field) {
  if (!need(1, field)) return 0;
  return bytes_[position_++];
}

std::uint16_t ApduReader::unsigned16(std::string_view field) {
  if (!need(2, field)) return 0;
  const auto value = static_cast<std::uint16_t>(bytes_[position_] << 8 | bytes_[position_ + 1]);
  position_ += 2;
  return value;
}

std::uint32_t ApduReader::unsigned32(std::string_view field) {
  if (!need(4, field)) return 0;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = value << 8 | bytes_[position_ + i];
  position_ += 4;
  return value;
}

bool ApduReader::boolean(std::string_view field) { return octet(field) != 0; }

bool ApduReader::present(std::string_view field) {
  const std::size_t at = position_;
  const std::uint8_t flag = octet(field);
  if (flag > 1) {
    fail(at, fmt::format("{}: presence flag 0x{:02X} is neither 00 nor 01", field, flag));
  }
  return flag == 1;
}

std::size_t ApduReader::count(std::string_view field, std::size_t element_octets_min) {
  if (error_) return 0;
  const std::size_t at = position_;
  auto length = decode_length(bytes_.subspan(position_));
  if (!length) {
    fail(at, fmt::format("{}: {}", field, length.error().message));
    return 0;
  }
  position_ += length->used;
  const std::size_t elements = length->value;
  if (elements > limits_.container_elements_max) {
    fail(at, fmt::format("{} claims {} elements, beyond the limit of {}", field, elements,
                         limits_.container_elements_max));
    return 0;
  }
  // Checked before anything is reserved: a count of 2^32-1 with three octets behind it fails
  // here, not in the allocator.
  if (element_octets_min != 0 && elements > left() / element_octets_min) {
    fail(at, fmt::format("{} claims {} elements of at least {} octets, {} octets left", field,
                         elements, element_octets_min, left()));
    return 0;
  }
  return elements;
}

std::vector<std::uint8_t> ApduReader::octet_string(std::string_view field) {
  if (error_) return {};
  const std::size_t at = position_;
  auto length = decode_length(bytes_.subspan(position_));
  if (!length) {
    fail(at, fmt::format("{}: {}", field, length.error().message));
    return {};
  }
  if (length->value > left() - length->used) {
    fail(at, fmt::format("{}: length {} runs past the end ({} octets left)", field, length->value,
                         left() - length->used));
    return {};
  }
  position_ += length->used;
  const auto first = bytes_.begin() + static_cast<std::ptrdiff_t>(position_);
  std::vector<std::uint8_t> octets(first, first + static_cast<std::ptrdiff_t>(length->value));
  position_ += length->value;
  return octets;
}

Data ApduReader::data(std::string_view field) {
  if (error_) return {};
  const std::size_t at = position_;
  auto decoded = decode(bytes_.subspan(position_), limits_);
  if (!decoded) {
    // The A-XDR offset counts from the start of this value, which is at `at`.
    fail(at, fmt::format("{}: {}", field, decoded.error().message));
    return {};
  }
  position_ += decoded->used;
  return std::move(decoded->value);
}

Obis ApduReader::obis(std::string_view field) {
  if (!need(6, field)) return {};
  std::array<std::uint8_t, 6> raw{};
  for (std::size_t i = 0; i < raw.size(); ++i)
    raw[i] = bytes_[position_ + i];
  position_ += raw.size();
  return Obis::from_bytes(raw);
}

void ApduReader::expect_end() {
  if (error_ || left() == 0) return;
  fail(position_,
       fmt::format("{} octet{} after the end of the APDU", left(), left() == 1 ? "" : "s"));
}

// ---- Composite readers ----

InvokeIdAndPriority read_invoke_id_and_priority(ApduReader& in) {
  return InvokeIdAndPriority{in.octet("invoke-id-and-priority")};
}

CosemAttributeDescriptor read_attribute_descriptor(ApduReader& in) {
  CosemAttributeDescriptor descriptor;
  descriptor.class_id = in.unsigned16("class-id");
  descriptor.instance_id = in.obis("instance-id");
  descriptor.attribute_id = static_cast<std::int8_t>(in.octet("attribute-id"));
  return descriptor;
}

CosemMethodDescriptor read_method_descriptor(ApduReader& in) {
  CosemMethodDescriptor descriptor;
  descriptor.class_id = in.unsigned16("class-id");
  descriptor.instance_id = in.obis("instance-id");
  descriptor.method_id = static_cast<std::int8_t>(in.octet("method-id"));
  return descriptor;
}

std::optional<AccessSelection> read_access_selection(ApduReader& in) {
  if (!in.present("access-selection")) return std::nullopt;
  AccessSelection access;
  access.selector = in.octet("access-selector");
  access.parameters = in.data("access-parameters");
  return access;
}

AttributeWithSelection read_attribute_with_selection(ApduReader& in) {
  AttributeWithSelection item;
  item.attribute = read_attribute_descriptor(in);
  item.access = read_access_selection(in);
  return item;
}

std::vector<AttributeWithSelection> read_attribute_list(ApduReader& in) {
  // A descriptor and the selection flag: 10 octets at least.
  const std::size_t elements =
      in.count("attribute-descriptor-list", CosemAttributeDescriptor::encoded_size + 1);
  std::vector<AttributeWithSelection> items;
  items.reserve(elements);
  for (std::size_t i = 0; i < elements && in.ok(); ++i)
    items.push_back(read_attribute_with_selection(in));
  return items;
}

GetDataResult read_get_data_result(ApduReader& in) {
  const std::size_t at = in.offset();
  const std::uint8_t choice = in.octet("Get-Data-Result choice");
  if (!in.ok()) return Data{};
  if (choice == get_data_result_data) return in.data("data");
  if (choice == get_data_result_data_access_result) {
    return static_cast<DataAccessResult>(in.octet("data-access-result"));
  }
  in.fail(at, fmt::format("Get-Data-Result choice {} is neither data (0) nor "
                          "data-access-result (1)",
                          choice));
  return Data{};
}

DataBlockSA read_data_block_sa(ApduReader& in) {
  DataBlockSA block;
  block.last_block = in.boolean("last-block");
  block.block_number = in.unsigned32("block-number");
  block.raw_data = in.octet_string("raw-data");
  return block;
}

// ---- Writers ----

void append_unsigned16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
}

void append_unsigned32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFFU));
}

void append_octet_string(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> octets) {
  encode_length(octets.size(), out);
  out.insert(out.end(), octets.begin(), octets.end());
}

namespace {

void append_descriptor(std::vector<std::uint8_t>& out, std::uint16_t class_id, const Obis& instance,
                       std::int8_t member_id) {
  append_unsigned16(out, class_id);
  const auto name = instance.bytes();
  out.insert(out.end(), name.begin(), name.end());
  out.push_back(static_cast<std::uint8_t>(member_id));
}

}  // namespace

void append(std::vector<std::uint8_t>& out, const CosemAttributeDescriptor& descriptor) {
  append_descriptor(out, descriptor.class_id, descriptor.instance_id, descriptor.attribute_id);
}

void append(std::vector<std::uint8_t>& out, const CosemMethodDescriptor& descriptor) {
  append_descriptor(out, descriptor.class_id, descriptor.instance_id, descriptor.method_id);
}

void append(std::vector<std::uint8_t>& out, const std::optional<AccessSelection>& access) {
  if (!access) {
    out.push_back(0x00);
    return;
  }
  out.push_back(0x01);
  out.push_back(access->selector);
  encode(access->parameters, out);
}

void append(std::vector<std::uint8_t>& out, const AttributeWithSelection& item) {
  append(out, item.attribute);
  append(out, item.access);
}

void append(std::vector<std::uint8_t>& out, const std::vector<AttributeWithSelection>& items) {
  encode_length(items.size(), out);
  for (const AttributeWithSelection& item : items)
    append(out, item);
}

void append(std::vector<std::uint8_t>& out, const GetDataResult& result) {
  if (const Data* value = std::get_if<Data>(&result)) {
    out.push_back(get_data_result_data);
    encode(*value, out);
    return;
  }
  out.push_back(get_data_result_data_access_result);
  out.push_back(static_cast<std::uint8_t>(std::get<DataAccessResult>(result)));
}

void append(std::vector<std::uint8_t>& out, const DataBlockSA& block) {
  out.push_back(block.last_block ? 0x01 : 0x00);
  append_unsigned32(out, block.block_number);
  append_octet_string(out, block.raw_data);
}

}  // namespace gridmeter::dlms
