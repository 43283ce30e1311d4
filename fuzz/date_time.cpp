// libFuzzer target: CosemDateTime::decode must accept exactly the octet strings it can
// re-encode unchanged, and from_cosem/to_cosem must agree on every instant they accept.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "core/date_time.hpp"

namespace {

using gridmeter::CosemDateTime;
using gridmeter::DeviationSign;
using gridmeter::TimeZone;

void check_instant(const CosemDateTime& value, const TimeZone& zone, DeviationSign sign) {
  auto instant = gridmeter::from_cosem(value, zone, sign);
  if (!instant) return;
  // The instant, written in `zone`, must read back as itself (COSEM has 10 ms resolution and
  // from_cosem only produces whole hundredths).
  const CosemDateTime again = gridmeter::to_cosem(*instant, zone, sign);
  if (again.year == CosemDateTime::year_not_specified) return;  // outside 0..65534 locally
  auto back = gridmeter::from_cosem(again, zone, sign);
  if (!back || *back != *instant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  auto decoded = CosemDateTime::decode(bytes);
  if (!decoded) return 0;
  const auto encoded = decoded->encode();
  if (size != encoded.size() || std::memcmp(encoded.data(), data, size) != 0) std::abort();
  for (const TimeZone& zone : {TimeZone::central_europe(), TimeZone::utc()}) {
    check_instant(*decoded, zone, DeviationSign::utc_minus_local);
    check_instant(*decoded, zone, DeviationSign::local_minus_utc);
  }
  return 0;
}
