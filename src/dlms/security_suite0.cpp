#include "dlms/security_suite0.hpp"

#include <fmt/format.h>

#include "dlms/axdr.hpp"

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t suite_0 = 0;
constexpr std::uint8_t hls_gmac_control = 0x10;  // authentication only, suite 0

void put_u32(std::uint32_t value, std::vector<std::uint8_t>& out) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> static_cast<unsigned>(shift)));
}

Status check_suite(SecurityControl control) {
  if (control.suite() != suite_0) {
    return make_error(fmt::format("security suite {} is not supported (only suite 0, AES-GCM-128)",
                                  control.suite()));
  }
  if (control.compressed()) return make_error("compressed APDUs are not supported");
  return {};
}

// Plain tag → (glo, ded) (Green Book, table of xDLMS APDU tags).
struct CipheredTags {
  std::uint8_t plain;
  std::uint8_t glo;
  std::uint8_t ded;
};
constexpr std::array<CipheredTags, 10> ciphered_tags{{
    {0x01, 0x21, 0x41},  // initiate-request
    {0x08, 0x28, 0x48},  // initiate-response
    {0x0E, 0x2E, 0x4E},  // confirmed-service-error
    {0xC0, 0xC8, 0xD0},  // get-request
    {0xC1, 0xC9, 0xD1},  // set-request
    {0xC2, 0xCA, 0xD2},  // event-notification-request
    {0xC3, 0xCB, 0xD3},  // action-request
    {0xC4, 0xCC, 0xD4},  // get-response
    {0xC5, 0xCD, 0xD5},  // set-response
    {0xC7, 0xCF, 0xD7},  // action-response
}};

}  // namespace

GcmIv suite0_iv(const SystemTitle& title, std::uint32_t invocation_counter) {
  GcmIv iv{};
  std::copy(title.begin(), title.end(), iv.begin());
  for (std::size_t i = 0; i < 4; ++i)
    iv[system_title_size + i] = static_cast<std::uint8_t>(invocation_counter >> (24 - 8 * i));
  return iv;
}

Suite0::Suite0(const AesKey& ek, const AesKey& ak) : gcm_(ek), ak_(ak) {}

void Suite0::build_aad(SecurityControl control, std::span<const std::uint8_t> plain) {
  aad_.clear();
  if (!control.authenticated()) return;
  aad_.push_back(control.value);
  aad_.insert(aad_.end(), ak_.begin(), ak_.end());
  if (!control.encrypted()) aad_.insert(aad_.end(), plain.begin(), plain.end());
}

Status Suite0::protect(SecurityControl control, const SystemTitle& sender,
                       std::uint32_t invocation_counter, std::span<const std::uint8_t> plain,
                       std::vector<std::uint8_t>& out) {
  if (Status s = check_suite(control); !s) return s;
  const std::size_t start = out.size();
  out.push_back(control.value);
  put_u32(invocation_counter, out);
  const GcmIv iv = suite0_iv(sender, invocation_counter);
  build_aad(control, plain);
  Status sealed;
  if (control.encrypted()) {
    sealed = gcm_.seal(iv, aad_, plain, control.authenticated() ? authentication_tag_size : 0, out);
  } else {
    out.insert(out.end(), plain.begin(), plain.end());
    // Authentication only: a GMAC over the AAD, which holds the plain APDU.
    if (control.authenticated()) sealed = gcm_.seal(iv, aad_, {}, authentication_tag_size, out);
  }
  if (!sealed) out.resize(start);
  return sealed;
}

Status Suite0::unprotect(const CipheredApdu& apdu, const SystemTitle& sender,
                         std::vector<std::uint8_t>& out) {
  const SecurityControl control = apdu.security_control;
  if (Status s = check_suite(control); !s) return s;
  const GcmIv iv = suite0_iv(sender, apdu.invocation_counter);
  if (control.encrypted()) {
    build_aad(control, {});
    return gcm_.open(iv, aad_, apdu.text, apdu.authentication_tag, out);
  }
  if (control.authenticated()) {
    build_aad(control, apdu.text);
    std::vector<std::uint8_t> none;
    if (Status s = gcm_.open(iv, aad_, {}, apdu.authentication_tag, none); !s) return s;
  }
  out.insert(out.end(), apdu.text.begin(), apdu.text.end());
  return {};
}

Status Suite0::hls_gmac(const SystemTitle& title, std::uint32_t invocation_counter,
                        std::span<const std::uint8_t> challenge, std::vector<std::uint8_t>& out) {
  const SecurityControl control{hls_gmac_control};
  const std::size_t start = out.size();
  out.push_back(control.value);
  put_u32(invocation_counter, out);
  build_aad(control, challenge);
  Status sealed =
      gcm_.seal(suite0_iv(title, invocation_counter), aad_, {}, authentication_tag_size, out);
  if (!sealed) out.resize(start);
  return sealed;
}

std::optional<std::uint8_t> glo_tag(std::uint8_t plain_tag) {
  for (const CipheredTags& tags : ciphered_tags) {
    if (tags.plain == plain_tag) return tags.glo;
  }
  return std::nullopt;
}

std::optional<std::uint8_t> ded_tag(std::uint8_t plain_tag) {
  for (const CipheredTags& tags : ciphered_tags) {
    if (tags.plain == plain_tag) return tags.ded;
  }
  return std::nullopt;
}

std::optional<UncipheredTag> unciphered_tag(std::uint8_t ciphered_tag) {
  for (const CipheredTags& tags : ciphered_tags) {
    if (tags.glo == ciphered_tag) return UncipheredTag{tags.plain, false};
    if (tags.ded == ciphered_tag) return UncipheredTag{tags.plain, true};
  }
  return std::nullopt;
}

void encode_service_ciphered(std::uint8_t tag, std::span<const std::uint8_t> content,
                             std::vector<std::uint8_t>& out) {
  out.push_back(tag);
  encode_length(content.size(), out);
  out.insert(out.end(), content.begin(), content.end());
}

void encode_general_ciphering(bool dedicated, const SystemTitle& sender,
                              std::span<const std::uint8_t> content,
                              std::vector<std::uint8_t>& out) {
  out.push_back(dedicated ? general_ded_ciphering_tag : general_glo_ciphering_tag);
  encode_length(sender.size(), out);
  out.insert(out.end(), sender.begin(), sender.end());
  encode_length(content.size(), out);
  out.insert(out.end(), content.begin(), content.end());
}

}  // namespace gridmeter::dlms
