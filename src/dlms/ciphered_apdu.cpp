#include "dlms/ciphered_apdu.hpp"

#include <fmt/format.h>

#include <string_view>  // std::string_view

#include "dlms/axdr.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {
namespace {

constexpr std::size_t security_header_size = 5;  // security control, invocation counter

}  // namespace

bool is_ciphered_tag(std::uint8_t tag) {
  if (tag == general_glo_ciphering_tag || tag == general_ded_ciphering_tag) return true;
  const std::string_view name = apdu_name(tag);
  return name.starts_with("glo-") || name.starts_with("ded-");
}

Result<CipheredApdu> CipheredApdu::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return make_error("ciphered APDU is empty");
  CipheredApdu apdu;
  apdu.tag = bytes[0];
  const std::string_view name = apdu_name(apdu.tag);
  if (!is_ciphered_tag(apdu.tag)) {
    return make_error(
        fmt::format("ciphered APDU at offset 0: tag 0x{:02X} ({}) is not a ciphered "
                    "APDU",
                    apdu.tag, name));
  }
  const auto fail = [&](std::size_t at, std::string_view message) {
    return make_error(fmt::format("{} at offset {}: {}", name, at, message));
  };
  std::size_t position = 1;
  // An A-XDR length and that many octets, which must fit in what is left.
  const auto octet_string = [&](std::string_view field) -> Result<std::span<const std::uint8_t>> {
    const std::size_t at = position;
    auto length = decode_length(bytes.subspan(position));
    if (!length) return fail(at, fmt::format("{}: {}", field, length.error().message));
    const std::size_t left = bytes.size() - position - length->used;
    if (length->value > left) {
      return fail(at, fmt::format("{}: length {} runs past the end ({} octet{} left)", field,
                                  length->value, left, left == 1 ? "" : "s"));
    }
    position += length->used;
    const auto octets = bytes.subspan(position, length->value);
    position += length->value;
    return octets;
  };
  if (apdu.tag == general_glo_ciphering_tag || apdu.tag == general_ded_ciphering_tag) {
    auto title = octet_string("system-title");
    if (!title) return title.error();
    apdu.system_title.emplace(title->begin(), title->end());
  }
  auto content = octet_string("ciphered-content");
  if (!content) return content.error();
  if (position < bytes.size()) {
    const std::size_t extra = bytes.size() - position;
    return fail(position,
                fmt::format("{} octet{} after the end of the APDU", extra, extra == 1 ? "" : "s"));
  }
  const std::size_t content_at = position - content->size();
  if (content->size() < security_header_size) {
    return fail(content_at,
                fmt::format("security header needs {} octets (security control, invocation "
                            "counter), {} left",
                            security_header_size, content->size()));
  }
  apdu.security_control = SecurityControl{(*content)[0]};
  for (std::size_t i = 1; i < security_header_size; ++i)
    apdu.invocation_counter = apdu.invocation_counter << 8 | (*content)[i];
  auto rest = content->subspan(security_header_size);
  if (apdu.security_control.authenticated()) {
    if (rest.size() < authentication_tag_size) {
      return fail(content_at + security_header_size,
                  fmt::format("authentication tag needs {} octets, {} left",
                              authentication_tag_size, rest.size()));
    }
    const auto tag_octets = rest.last(authentication_tag_size);
    apdu.authentication_tag.assign(tag_octets.begin(), tag_octets.end());
    rest = rest.first(rest.size() - authentication_tag_size);
  }
  apdu.text.assign(rest.begin(), rest.end());
  return apdu;
}

}  // namespace gridmeter::dlms
