// libFuzzer target: the ciphered-APDU path with fixed keys (the Green Book's EK and AK), so the
// fuzzer reaches the inner decoder. Any input either frames as a ciphered APDU or is refused
// with a message; a framed one either deciphers (tag checked) or is refused with the output
// untouched; a plain APDU that comes out goes through decode_xdlms_apdu. And any input, taken
// as a plain APDU, protected under a security control made from its first octet, must come
// back exactly.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "dlms/security_suite0.hpp"
#include "dlms/xdlms.hpp"

namespace {

namespace dlms = gridmeter::dlms;

void require(bool condition) {
  if (!condition) std::abort();
}

constexpr dlms::AesKey ek{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                          0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
constexpr dlms::AesKey ak{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                          0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
constexpr dlms::SystemTitle title{0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E};

void check_round_trip(dlms::Suite0& suite, std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  // Suite 0, no compression, the key set and the two protection bits from the first octet.
  const dlms::SecurityControl control{static_cast<std::uint8_t>(input[0] & 0x70U)};
  const std::span<const std::uint8_t> plain = input.subspan(1);
  std::vector<std::uint8_t> content;
  require(suite.protect(control, title, 0x01234567, plain, content).ok());
  std::vector<std::uint8_t> apdu;
  dlms::encode_general_ciphering(false, title, content, apdu);
  auto decoded = dlms::CipheredApdu::decode(apdu);
  require(decoded.has_value());
  std::vector<std::uint8_t> back;
  require(suite.unprotect(*decoded, title, back).ok());
  require(std::equal(back.begin(), back.end(), plain.begin(), plain.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  static dlms::Suite0 suite(ek, ak);
  auto apdu = dlms::CipheredApdu::decode(input);
  if (!apdu) {
    require(!apdu.error().message.empty());
  } else {
    std::vector<std::uint8_t> plain{0xEE};
    const gridmeter::Status s = suite.unprotect(*apdu, title, plain);
    if (!s) {
      require(plain.size() == 1 && plain[0] == 0xEE);
    } else {
      const std::span<const std::uint8_t> inner(plain.data() + 1, plain.size() - 1);
      auto decoded = dlms::decode_xdlms_apdu(inner);
      if (!decoded) require(!decoded.error().message.empty());
    }
  }
  check_round_trip(suite, input);
  return 0;
}
