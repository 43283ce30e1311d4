// libFuzzer target: A-XDR decoding of DLMS Data. Any input either decodes or is refused with an
// error naming its offset. A decoded value must encode to octets that decode_all reads back as
// the same value (lengths come back in their shortest form, so that encoding is canonical: it
// must encode to itself again), and must render as text in both layouts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "dlms/axdr.hpp"
#include "dlms/data.hpp"

namespace {

namespace dlms = gridmeter::dlms;

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  auto decoded = dlms::decode(bytes);
  if (!decoded) {
    require(decoded.error().message.rfind("A-XDR at offset ", 0) == 0);
    require(!dlms::decode_all(bytes));
    return 0;
  }
  require(decoded->used > 0 && decoded->used <= size);
  require(static_cast<bool>(dlms::decode_all(bytes.first(decoded->used))));

  const std::vector<std::uint8_t> encoded = dlms::encode(decoded->value);
  auto again = dlms::decode_all(encoded);
  require(static_cast<bool>(again));
  require(*again == decoded->value);
  require(dlms::encode(*again) == encoded);
  require(encoded.size() <= decoded->used);  // shortest lengths never make it longer

  const std::string line = dlms::to_text(decoded->value);
  require(!line.empty() && line.find('\n') == std::string::npos);
  require(!dlms::to_text(decoded->value, dlms::TextLayout::indented).empty());
  return 0;
}
