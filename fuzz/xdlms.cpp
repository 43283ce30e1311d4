// libFuzzer target: the xDLMS service APDUs (GET, SET, ACTION, Exception-Response,
// Data-Notification, short name requests) through decode_xdlms_apdu. Any input either decodes
// or is refused with a message, and then has an Exception-Response to answer it with. A decoded
// APDU must re-encode to octets no longer than the input (lengths and booleans come back in
// their shortest form) that decode to the same model and encode to themselves. Selective access
// parameters found inside are parsed as Profile generic's; whatever parses must rebuild into
// parameters that parse to the same selection.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "dlms/selective_access.hpp"
#include "dlms/xdlms.hpp"

namespace {

namespace dlms = gridmeter::dlms;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_selection(const std::optional<dlms::AccessSelection>& access) {
  if (!access) return;
  auto selection = dlms::parse_profile_selection(*access);
  if (!selection) {
    require(!selection.error().message.empty());
    return;
  }
  auto again = dlms::parse_profile_selection(dlms::to_access_selection(*selection));
  require(again.has_value());
  require(*again == *selection);
}

void check_selections(const dlms::XdlmsApdu& apdu) {
  if (const auto* get = std::get_if<dlms::GetRequestNormal>(&apdu)) check_selection(get->access);
  if (const auto* list = std::get_if<dlms::GetRequestWithList>(&apdu)) {
    for (const dlms::AttributeWithSelection& item : list->attributes)
      check_selection(item.access);
  }
  if (const auto* set = std::get_if<dlms::SetRequestNormal>(&apdu)) check_selection(set->access);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (size > 0) require(!dlms::apdu_name(bytes[0]).empty());
  auto apdu = dlms::decode_xdlms_apdu(bytes);
  if (!apdu) {
    require(!apdu.error().message.empty());
    const std::vector<std::uint8_t> answer = dlms::exception_response_for(bytes).encode();
    require(dlms::ExceptionResponse::decode(answer).has_value());
    return 0;
  }
  require(!dlms::apdu_name(*apdu).empty());
  const std::vector<std::uint8_t> wire = dlms::encode_xdlms_apdu(*apdu);
  require(wire.size() <= bytes.size());
  auto again = dlms::decode_xdlms_apdu(wire);
  require(again.has_value());
  require(*again == *apdu);
  require(dlms::encode_xdlms_apdu(*again) == wire);
  check_selections(*apdu);
  return 0;
}
