// libFuzzer target: any bytes, read as each ACSE APDU (AARQ, AARE, RLRQ, RLRE) and as each
// xDLMS initiate APDU, either are refused with a message or decode to a model that encodes
// and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "dlms/acse.hpp"
#include "dlms/initiate.hpp"

namespace {

// Encoders that can fail return Result; the others return the octets directly.
template <typename T>
std::vector<std::uint8_t> encoded(const T& model) {
  if constexpr (requires { model.encode().has_value(); }) {
    auto wire = model.encode();
    // A decoded model never exceeds the input it came from, so it always fits the limits.
    if (!wire) std::abort();
    return *wire;
  } else {
    return model.encode();
  }
}

template <typename T>
void check(std::span<const std::uint8_t> bytes) {
  auto decoded = T::decode(bytes);
  if (!decoded) {
    if (decoded.error().message.empty()) std::abort();
    return;
  }
  const std::vector<std::uint8_t> wire = encoded(*decoded);
  if (wire.size() > bytes.size()) std::abort();  // re-encoding is canonical: never longer
  auto again = T::decode(wire);
  if (!again || !(*again == *decoded)) std::abort();
  // The canonical form is a fixed point.
  if (encoded(*again) != wire) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  using namespace gridmeter::dlms;
  check<Aarq>(bytes);
  check<Aare>(bytes);
  check<Rlrq>(bytes);
  check<Rlre>(bytes);
  check<InitiateRequest>(bytes);
  check<InitiateResponse>(bytes);
  check<ConfirmedServiceError>(bytes);
  auto answer = decode_initiate_answer(bytes);
  if (!answer && answer.error().message.empty()) std::abort();
  return 0;
}
