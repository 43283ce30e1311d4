// Security suite 0: AES-GCM-128 on xDLMS APDUs, HLS-GMAC and AES key wrap, checked against the
// DLMS Green Book examples and RFC 3394 (shared/reference/test-vectors.md, V1..V7), and the
// refusals of tampered input.
#include "dlms/security_suite0.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "apdu_test_support.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;

template <std::size_t N>
std::array<std::uint8_t, N> array_of(std::string_view text) {
  const std::vector<std::uint8_t> octets = hex(text);
  std::array<std::uint8_t, N> out{};
  EXPECT_EQ(octets.size(), N) << text;
  std::copy_n(octets.begin(), std::min(N, octets.size()), out.begin());
  return out;
}

// The Green Book's common inputs.
const AesKey ek = array_of<16>("000102030405060708090A0B0C0D0E0F");
const AesKey ak = array_of<16>("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
const SystemTitle server_title = array_of<8>("4D4D4D0000BC614E");
const SystemTitle client_title = array_of<8>("4D4D4D0000000001");
constexpr std::uint32_t server_counter = 0x01234567;
constexpr std::uint32_t client_counter = 0x00000001;
const std::vector<std::uint8_t> get_request = hex("C0010000080000010000FF0200");

// The glo-get-request of the Green Book example under `control`.
std::vector<std::uint8_t> glo_get(std::uint8_t control) {
  Suite0 suite(ek, ak);
  std::vector<std::uint8_t> content;
  EXPECT_TRUE(
      suite.protect(SecurityControl{control}, server_title, server_counter, get_request, content));
  std::vector<std::uint8_t> apdu;
  encode_service_ciphered(*glo_tag(get_request[0]), content, apdu);
  return apdu;
}

// Deciphers `apdu` from `sender`; the error message, or the plain APDU as hex.
std::vector<std::uint8_t> plain_of(const std::vector<std::uint8_t>& apdu,
                                   const SystemTitle& sender = server_title, const AesKey& key = ek,
                                   const AesKey& auth = ak) {
  const Result<CipheredApdu> decoded = CipheredApdu::decode(apdu);
  EXPECT_TRUE(decoded.has_value()) << decoded.error().message;
  if (!decoded) return {};
  Suite0 suite(key, auth);
  std::vector<std::uint8_t> plain;
  if (Status s = suite.unprotect(*decoded, sender, plain); !s) return {};
  return plain;
}

TEST(Suite0, V1GloGetRequestAuthenticatedAndEncrypted) {
  const auto apdu = glo_get(0x30);
  EXPECT_EQ(apdu, hex("C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B"));
  EXPECT_EQ(plain_of(apdu), get_request);
}

TEST(Suite0, V2GloGetRequestAuthenticatedOnly) {
  const auto apdu = glo_get(0x10);
  EXPECT_EQ(apdu, hex("C81E1001234567C0010000080000010000FF020006725D910F9221D263877516"));
  EXPECT_EQ(plain_of(apdu), get_request);
}

TEST(Suite0, V3GloGetRequestEncryptedOnly) {
  const auto apdu = glo_get(0x20);
  EXPECT_EQ(apdu, hex("C8122001234567411312FF935A47566827C467BC"));
  EXPECT_EQ(plain_of(apdu), get_request);
}

TEST(Suite0, V4GloInitiateRequest) {
  const std::vector<std::uint8_t> initiate =
      hex("01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0");
  Suite0 suite(ek, ak);
  std::vector<std::uint8_t> content;
  ASSERT_TRUE(
      suite.protect(SecurityControl{0x30}, server_title, server_counter, initiate, content));
  std::vector<std::uint8_t> apdu;
  encode_service_ciphered(*glo_tag(initiate[0]), content, apdu);
  EXPECT_EQ(apdu, hex("21303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE"
                      "6841DB204D39EE6FDB8E356855"));
  EXPECT_EQ(plain_of(apdu), initiate);
}

TEST(Suite0, V5AndV6HlsGmacPasses) {
  Suite0 suite(ek, ak);
  std::vector<std::uint8_t> f_stoc;
  ASSERT_TRUE(suite.hls_gmac(client_title, client_counter, hex("503677524A323146"), f_stoc));
  EXPECT_EQ(f_stoc, hex("10000000011A52FE7DD3E72748973C1E28"));
  std::vector<std::uint8_t> f_ctos;
  ASSERT_TRUE(suite.hls_gmac(server_title, server_counter, hex("4B35366956616759"), f_ctos));
  EXPECT_EQ(f_ctos, hex("1001234567FE1466AFB3DBCD4F9389E2B7"));
}

TEST(Suite0, V7AesKeyWrapRfc3394) {
  const AesKey kek = array_of<16>("000102030405060708090A0B0C0D0E0F");
  const AesKey key = array_of<16>("00112233445566778899AABBCCDDEEFF");
  const auto wrapped = aes_key_wrap(kek, key);
  ASSERT_TRUE(wrapped.has_value()) << wrapped.error().message;
  EXPECT_EQ(std::vector<std::uint8_t>(wrapped->begin(), wrapped->end()),
            hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"));
  const auto unwrapped = aes_key_unwrap(kek, *wrapped);
  ASSERT_TRUE(unwrapped.has_value()) << unwrapped.error().message;
  EXPECT_EQ(*unwrapped, key);
}

TEST(Suite0, KeyUnwrapRefusesAWrongKekAndDamagedOctets) {
  const AesKey kek = array_of<16>("000102030405060708090A0B0C0D0E0F");
  std::vector<std::uint8_t> wrapped = hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
  AesKey other_kek = kek;
  other_kek[15] ^= 0x01;
  EXPECT_EQ(aes_key_unwrap(other_kek, wrapped).error().message,
            "key unwrap: integrity check failed");
  wrapped[10] ^= 0x80;
  EXPECT_EQ(aes_key_unwrap(kek, wrapped).error().message, "key unwrap: integrity check failed");
  wrapped.pop_back();
  EXPECT_EQ(aes_key_unwrap(kek, wrapped).error().message,
            "key unwrap: 23 octets, a wrapped 128-bit key has 24");
}

TEST(Suite0, GeneralGloCipheringCarriesTheSystemTitle) {
  Suite0 suite(ek, ak);
  std::vector<std::uint8_t> content;
  ASSERT_TRUE(
      suite.protect(SecurityControl{0x30}, server_title, server_counter, get_request, content));
  std::vector<std::uint8_t> apdu;
  encode_general_ciphering(false, server_title, content, apdu);
  // The same content as V1 after DB, the title and the length.
  EXPECT_EQ(apdu, hex("DB 08 4D4D4D0000BC614E 1E 3001234567411312FF935A47566827C467BC7D825C3BE4"
                      "A77C3FCC056B6B"));
  const Result<CipheredApdu> decoded = CipheredApdu::decode(apdu);
  ASSERT_TRUE(decoded.has_value());
  ASSERT_TRUE(decoded->system_title.has_value());
  EXPECT_EQ(*decoded->system_title,
            std::vector<std::uint8_t>(server_title.begin(), server_title.end()));
  EXPECT_EQ(plain_of(apdu), get_request);
}

TEST(Suite0, EveryChangedOctetOrWrongInputFailsTheTag) {
  for (const std::uint8_t control : {std::uint8_t{0x30}, std::uint8_t{0x10}}) {
    const auto apdu = glo_get(control);
    // Any octet after the tag and length: the control, the counter, the text, the tag.
    for (std::size_t i = 2; i < apdu.size(); ++i) {
      auto changed = apdu;
      changed[i] ^= 0x01;
      const Result<CipheredApdu> decoded = CipheredApdu::decode(changed);
      if (!decoded) continue;  // a control that is no longer authenticated changes the framing
      Suite0 suite(ek, ak);
      std::vector<std::uint8_t> plain{0xEE};
      const Status s = suite.unprotect(*decoded, server_title, plain);
      if (decoded->security_control.value != control) {
        EXPECT_FALSE(s && decoded->security_control.authenticated()) << i;
      } else {
        ASSERT_FALSE(s) << "octet " << i << " of SC " << int{control};
        EXPECT_EQ(s.error().message, "authentication tag does not match");
      }
      EXPECT_EQ(plain, std::vector<std::uint8_t>{0xEE}) << "output changed on failure, octet " << i;
    }
    EXPECT_TRUE(plain_of(apdu, client_title).empty());          // another sender
    EXPECT_TRUE(plain_of(apdu, server_title, ak, ak).empty());  // another key
    EXPECT_TRUE(plain_of(apdu, server_title, ek, ek).empty());  // another AK
  }
}

TEST(Suite0, RefusesOtherSuitesAndCompression) {
  Suite0 suite(ek, ak);
  std::vector<std::uint8_t> out;
  EXPECT_EQ(suite.protect(SecurityControl{0x31}, server_title, 1, get_request, out).error().message,
            "security suite 1 is not supported (only suite 0, AES-GCM-128)");
  EXPECT_EQ(suite.protect(SecurityControl{0xB0}, server_title, 1, get_request, out).error().message,
            "compressed APDUs are not supported");
  EXPECT_TRUE(out.empty());
  auto apdu = glo_get(0x30);
  apdu[2] = 0x32;
  const Result<CipheredApdu> decoded = CipheredApdu::decode(apdu);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(suite.unprotect(*decoded, server_title, out).error().message,
            "security suite 2 is not supported (only suite 0, AES-GCM-128)");
  EXPECT_TRUE(out.empty());
}

TEST(Suite0, CipheredTagsNameTheirPlainApdus) {
  const std::vector<std::uint8_t> plains{0x01, 0x08, 0x0E, 0xC0, 0xC1,
                                         0xC2, 0xC3, 0xC4, 0xC5, 0xC7};
  for (const std::uint8_t plain : plains) {
    const std::string plain_name(apdu_name(plain));
    ASSERT_TRUE(glo_tag(plain).has_value()) << plain_name;
    ASSERT_TRUE(ded_tag(plain).has_value()) << plain_name;
    EXPECT_EQ(apdu_name(*glo_tag(plain)), "glo-" + plain_name) << int{plain};
    EXPECT_EQ(apdu_name(*ded_tag(plain)), "ded-" + plain_name) << int{plain};
  }
  EXPECT_FALSE(glo_tag(0x60).has_value());  // AARQ
  EXPECT_FALSE(glo_tag(0xC8).has_value());  // already ciphered
  EXPECT_FALSE(ded_tag(0x0F).has_value());  // data-notification: general ciphering only
}

TEST(Suite0, RandomOctetsAreFreshEachTime) {
  const auto first = random_octets(16);
  const auto second = random_octets(16);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->size(), 16U);
  EXPECT_NE(*first, *second);  // 2^-128 odds of a false failure
}

}  // namespace
}  // namespace gridmeter::dlms
