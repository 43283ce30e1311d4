// libFuzzer target: RIFF WAVE parsing and sample decoding from memory. A file that opens must
// deliver at most its data chunk's frame count, every sample finite for PCM.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "metrology/input/wav.hpp"

namespace {

using gridmeter::metrology::Channel;
using gridmeter::metrology::SampleBuffer;
using gridmeter::metrology::WavOptions;
using gridmeter::metrology::WavSampleType;

void drain(gridmeter::metrology::WavReader& wav) {
  SampleBuffer buffer(37);
  std::uint64_t total = 0;
  const bool pcm = wav.format().sample_type != WavSampleType::float32 &&
                   wav.format().sample_type != WavSampleType::float64;
  for (;;) {
    auto got = wav.read(buffer);
    if (!got || *got == 0) break;
    total += *got;
    if (total > wav.format().frame_count) std::abort();
    for (std::size_t slot = 0; pcm && slot < gridmeter::metrology::channel_count; ++slot) {
      const float* values = buffer.channel(static_cast<Channel>(slot));
      for (std::size_t k = 0; k < *got; ++k) {
        if (!std::isfinite(values[k]) || std::fabs(values[k]) > 400.0F) std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  WavOptions options;
  options.scale_factors = {400.0, 100.0};
  auto wav = gridmeter::metrology::open_wav_memory(bytes, "fuzz.wav", options);
  if (!wav) {
    // Channel counts without a default map: retry with an explicit one.
    options.channel_map = *gridmeter::metrology::parse_channel_map("u1=0,i1=0*0.5");
    wav = gridmeter::metrology::open_wav_memory(bytes, "fuzz.wav", options);
    if (!wav) return 0;
  }
  drain(**wav);
  return 0;
}
