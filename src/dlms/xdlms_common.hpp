// What the xDLMS service APDUs with logical name referencing share (IEC 62056-5-3, the DLMS
// Green Book's xDLMS ASN.1): invoke-id-and-priority, the COSEM attribute and method
// descriptors, selective access, Data-Access-Result and Action-Result, the Get-Data-Result
// CHOICE and DataBlock-SA. Below them are the reader and writers that get.hpp, set.hpp,
// action.hpp and xdlms.hpp are built from.
//
//   CosemAttributeDescriptor clock_time{8, Obis{0, 0, 1, 0, 0, 255}, 2};
//   std::vector<std::uint8_t> out;
//   append(out, clock_time);                          // 00 08 00 00 01 00 00 FF 02
//   InvokeIdAndPriority invoke = InvokeIdAndPriority::make(1, true, true);
//   invoke.value == 0xC1;                             // id 1, confirmed, high priority
//   to_string(DataAccessResult::object_undefined) == "object-undefined";
//
// Everything here is A-XDR: fixed-size integers big-endian, OPTIONAL fields behind a 00/01
// flag, CHOICEs as one octet naming the alternative, SEQUENCE OF as an A-XDR length (the count)
// and the elements. Enumerated results outside the named lists are kept as sent: a newer meter
// may send codes this table lacks, and a client must still see that something failed.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint16_t, std::uint32_t, std::int8_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move
#include <variant>      // std::variant
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "core/result.hpp"
#include "dlms/axdr.hpp"
#include "dlms/data.hpp"

namespace gridmeter::dlms {

// Invoke-Id-And-Priority ::= Unsigned8. Bits 0..3 the invoke id, bits 4..5 reserved, bit 6
// the service class (1 confirmed), bit 7 the priority (1 high). The octet is kept whole, so
// reserved bits survive a round trip; the server copies it into its response.
struct InvokeIdAndPriority {
  static constexpr std::uint8_t invoke_id_mask = 0x0F;
  static constexpr std::uint8_t confirmed_bit = 0x40;
  static constexpr std::uint8_t high_priority_bit = 0x80;

  // What most clients send: invoke id 1, confirmed, high priority.
  std::uint8_t value = 0xC1;

  // `invoke_id` is 0..15 (higher bits are dropped).
  static constexpr InvokeIdAndPriority make(std::uint8_t invoke_id, bool confirmed = true,
                                            bool high_priority = false) {
    auto octet = static_cast<std::uint8_t>(invoke_id & invoke_id_mask);
    if (confirmed) octet = static_cast<std::uint8_t>(octet | confirmed_bit);
    if (high_priority) octet = static_cast<std::uint8_t>(octet | high_priority_bit);
    return InvokeIdAndPriority{octet};
  }
  [[nodiscard]] constexpr std::uint8_t invoke_id() const { return value & invoke_id_mask; }
  [[nodiscard]] constexpr bool confirmed() const { return (value & confirmed_bit) != 0; }
  [[nodiscard]] constexpr bool high_priority() const { return (value & high_priority_bit) != 0; }

  friend constexpr bool operator==(InvokeIdAndPriority, InvokeIdAndPriority) = default;
};

// Long-Invoke-Id-And-Priority ::= Unsigned32 (Data-Notification, general-block-transfer).
// Bits 0..23 the long invoke id, 24..27 reserved, 28 self-descriptive, 29 processing option
// (1 break on error), 30 service class (1 confirmed), 31 priority (1 high). Kept whole.
struct LongInvokeIdAndPriority {
  static constexpr std::uint32_t invoke_id_mask = 0x00FF'FFFF;
  static constexpr std::uint32_t self_descriptive_bit = 0x1000'0000;
  static constexpr std::uint32_t break_on_error_bit = 0x2000'0000;
  static constexpr std::uint32_t confirmed_bit = 0x4000'0000;
  static constexpr std::uint32_t high_priority_bit = 0x8000'0000;

  std::uint32_t value = 0;

  [[nodiscard]] constexpr std::uint32_t invoke_id() const { return value & invoke_id_mask; }
  [[nodiscard]] constexpr bool self_descriptive() const {
    return (value & self_descriptive_bit) != 0;
  }
  [[nodiscard]] constexpr bool break_on_error() const { return (value & break_on_error_bit) != 0; }
  [[nodiscard]] constexpr bool confirmed() const { return (value & confirmed_bit) != 0; }
  [[nodiscard]] constexpr bool high_priority() const { return (value & high_priority_bit) != 0; }

  friend constexpr bool operator==(LongInvokeIdAndPriority, LongInvokeIdAndPriority) = default;
};

// Cosem-Attribute-Descriptor: which attribute of which object. 9 octets on the wire.
struct CosemAttributeDescriptor {
  static constexpr std::size_t encoded_size = 9;

  std::uint16_t class_id = 0;
  Obis instance_id;  // the logical name, 6 octets
  std::int8_t attribute_id = 0;

  friend constexpr bool operator==(const CosemAttributeDescriptor&,
                                   const CosemAttributeDescriptor&) = default;
};

// Cosem-Method-Descriptor: which method of which object. 9 octets on the wire.
struct CosemMethodDescriptor {
  static constexpr std::size_t encoded_size = 9;

  std::uint16_t class_id = 0;
  Obis instance_id;
  std::int8_t method_id = 0;

  friend constexpr bool operator==(const CosemMethodDescriptor&,
                                   const CosemMethodDescriptor&) = default;
};

// Selective-Access-Descriptor: the access selector and its parameters, whose meaning belongs
// to the interface class (selective_access.hpp has Profile generic's two selectors).
struct AccessSelection {
  std::uint8_t selector = 0;
  Data parameters;

  friend bool operator==(const AccessSelection&, const AccessSelection&) = default;
};

// Cosem-Attribute-Descriptor-With-Selection: one element of the with-list requests.
struct AttributeWithSelection {
  CosemAttributeDescriptor attribute;
  std::optional<AccessSelection> access;

  friend bool operator==(const AttributeWithSelection&, const AttributeWithSelection&) = default;
};

// Data-Access-Result: why a GET or SET of one attribute failed (0 is success).
enum class DataAccessResult : std::uint8_t {
  success = 0,
  hardware_fault = 1,
  temporary_failure = 2,
  read_write_denied = 3,
  object_undefined = 4,
  object_class_inconsistent = 9,
  object_unavailable = 11,
  type_unmatched = 12,
  scope_of_access_violated = 13,
  data_block_unavailable = 14,
  long_get_aborted = 15,
  no_long_get_in_progress = 16,
  long_set_aborted = 17,
  no_long_set_in_progress = 18,
  data_block_number_invalid = 19,
  other_reason = 250,
};

// Action-Result: why an ACTION failed. The Green Book defines 0..16 and 250; 15 and 16 are the
// ACTION counterparts of long-get-aborted and no-long-get-in-progress.
enum class ActionResult : std::uint8_t {
  success = 0,
  hardware_fault = 1,
  temporary_failure = 2,
  read_write_denied = 3,
  object_undefined = 4,
  object_class_inconsistent = 9,
  object_unavailable = 11,
  type_unmatched = 12,
  scope_of_access_violated = 13,
  data_block_unavailable = 14,
  long_action_aborted = 15,
  no_long_action_in_progress = 16,
  other_reason = 250,
};

// "object-undefined"; "unknown" for a value outside the list.
std::string_view to_string(DataAccessResult result);
std::string_view to_string(ActionResult result);

// Get-Data-Result ::= CHOICE { data [0] Data, data-access-result [1] Data-Access-Result }:
// the value read, or why it could not be.
using GetDataResult = std::variant<Data, DataAccessResult>;

// DataBlock-SA: one block of a long SET or ACTION (and of an ACTION's long return). The raw
// data are a slice of the A-XDR encoding of the whole value, cut anywhere.
struct DataBlockSA {
  bool last_block = false;
  std::uint32_t block_number = 1;  // blocks count from 1
  std::vector<std::uint8_t> raw_data;

  friend bool operator==(const DataBlockSA&, const DataBlockSA&) = default;
};

// The CHOICE alternatives the GET, SET and ACTION APDUs share.
inline constexpr std::uint8_t get_data_result_data = 0;
inline constexpr std::uint8_t get_data_result_data_access_result = 1;

// ---- Pieces the service codecs share ----

// Reads one APDU front to back. Every read checks the octets left; the first failure is kept
// and every later read returns a default value, so a decoder reads all its fields and checks
// once at the end. Errors read "<apdu> at offset N: <field> ...", N counted from the start of
// the APDU.
class ApduReader {
 public:
  ApduReader(std::span<const std::uint8_t> bytes, std::string_view apdu, const DecodeLimits& limits)
      : bytes_(bytes), apdu_(apdu), limits_(limits) {}

  // The APDU tag and the CHOICE octet naming the alternative.
  void expect_tag(std::uint8_t tag);
  void expect_choice(std::uint8_t choice);

  std::uint8_t octet(std::string_view field);
  std::uint16_t unsigned16(std::string_view field);
  std::uint32_t unsigned32(std::string_view field);
  // A-XDR BOOLEAN: one octet, any non-zero value TRUE (as the Data codec reads it).
  bool boolean(std::string_view field);
  // The usage flag of an OPTIONAL field: 00 absent, 01 present, anything else an error.
  bool present(std::string_view field);
  // The element count of a SEQUENCE OF, refused when the elements could not fit in the octets
  // left (each takes at least `element_octets_min`) or exceed the container limit.
  std::size_t count(std::string_view field, std::size_t element_octets_min);
  // OCTET STRING: an A-XDR length and that many octets.
  std::vector<std::uint8_t> octet_string(std::string_view field);
  // One tagged Data value, within the DecodeLimits.
  Data data(std::string_view field);
  Obis obis(std::string_view field);

  // Records `message` about the field at `offset` unless an error is already kept.
  void fail(std::size_t offset, std::string_view message);

  [[nodiscard]] bool ok() const { return !error_; }
  [[nodiscard]] std::size_t offset() const { return position_; }
  [[nodiscard]] std::size_t left() const { return bytes_.size() - position_; }

  // `model`, or the first error; octets after the APDU are an error too.
  template <typename T>
  Result<T> finish(T model) {
    expect_end();
    if (error_) return *error_;
    return Result<T>(std::move(model));
  }

 private:
  bool need(std::size_t octets, std::string_view field);
  void expect_end();

  std::span<const std::uint8_t> bytes_;
  std::string_view apdu_;
  const DecodeLimits& limits_;
  std::size_t position_ = 0;
  std::optional<Error> error_;
};

InvokeIdAndPriority read_invoke_id_and_priority(ApduReader& in);
CosemAttributeDescriptor read_attribute_descriptor(ApduReader& in);
CosemMethodDescriptor read_method_descriptor(ApduReader& in);
// The OPTIONAL Selective-Access-Descriptor: its flag, then selector and parameters.
std::optional<AccessSelection> read_access_selection(ApduReader& in);
AttributeWithSelection read_attribute_with_selection(ApduReader& in);
std::vector<AttributeWithSelection> read_attribute_list(ApduReader& in);
GetDataResult read_get_data_result(ApduReader& in);
DataBlockSA read_data_block_sa(ApduReader& in);

// The tag, the CHOICE octet and invoke-id-and-priority that open every GET, SET and ACTION
// APDU; `Apdu` names its tag and choice and has an `invoke` member.
template <typename Apdu>
void read_header(ApduReader& in, Apdu& apdu) {
  in.expect_tag(Apdu::tag);
  in.expect_choice(Apdu::choice);
  apdu.invoke = read_invoke_id_and_priority(in);
}

template <typename Apdu>
std::vector<std::uint8_t> start_encoding(const Apdu& apdu) {
  return {Apdu::tag, Apdu::choice, apdu.invoke.value};
}

void append_unsigned16(std::vector<std::uint8_t>& out, std::uint16_t value);
void append_unsigned32(std::vector<std::uint8_t>& out, std::uint32_t value);
// An A-XDR length, then the octets.
void append_octet_string(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> octets);
void append(std::vector<std::uint8_t>& out, const CosemAttributeDescriptor& descriptor);
void append(std::vector<std::uint8_t>& out, const CosemMethodDescriptor& descriptor);
// The flag, then the selector and the parameters when present.
void append(std::vector<std::uint8_t>& out, const std::optional<AccessSelection>& access);
void append(std::vector<std::uint8_t>& out, const AttributeWithSelection& item);
void append(std::vector<std::uint8_t>& out, const std::vector<AttributeWithSelection>& items);
void append(std::vector<std::uint8_t>& out, const GetDataResult& result);
void append(std::vector<std::uint8_t>& out, const DataBlockSA& block);

}  // namespace gridmeter::dlms
