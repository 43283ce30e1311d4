// libFuzzer target: COMTRADE .dat decoding. The first byte picks one of a few fixed .cfg files
// (ASCII, BINARY, BINARY32, FLOAT32, with and without nrates = 0) or the .cff single-file form;
// the second byte nudges endsamp around the count the data size implies; the rest is the data.
// Every sample read must be finite and every count within endsamp.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "metrology/input/comtrade.hpp"

namespace {

using gridmeter::metrology::Channel;
using gridmeter::metrology::ComtradeReader;
using gridmeter::metrology::SampleBuffer;

struct Layout {
  const char* file_type;
  std::size_t record_bytes;  // 0 for ASCII
  bool nrates_zero;
};

constexpr Layout layouts[] = {
    {"ASCII", 0, false},
    {"ASCII", 0, true},
    {"BINARY", 8 + 3 * 2 + 2, false},
    {"BINARY", 8 + 3 * 2 + 2, true},
    {"BINARY32", 8 + 3 * 4 + 2, false},
    {"FLOAT32", 8 + 3 * 4 + 2, false},
    {"FLOAT32", 8 + 3 * 4 + 2, true},
};

std::string make_cfg(const Layout& layout, long long end_sample) {
  std::string cfg =
      "Fuzz,Dat,2013\n4,3A,1D\n"
      "1,VA,A,,kV,0.5,1,0,-32767,32767,200,1,S\n"
      "2,IA,A,,A,0.01,-0.5,0,-32767,32767,1,1,P\n"
      "3,IN,N,,A,0.002,0,0,-32767,32767,1,1,P\n"
      "1,TRIP,,,0\n50\n";
  cfg += layout.nrates_zero ? "0\n0," : "1\n4000,";
  cfg += std::to_string(end_sample);
  cfg += "\n01/01/2024,00:00:00.000000\n01/01/2024,00:00:00.000000\n";
  cfg += layout.file_type;
  cfg += "\n1\n0,0\n0,0\n";
  return cfg;
}

void drain(ComtradeReader& reader, long long end_sample) {
  SampleBuffer buffer(5);
  long long total = 0;
  for (;;) {
    auto got = reader.read(buffer);
    if (!got || *got == 0) break;
    total += static_cast<long long>(*got);
    if (*got > buffer.capacity() || total > end_sample) std::abort();
    for (std::size_t slot = 0; slot < gridmeter::metrology::channel_count; ++slot) {
      const float* values = buffer.channel(static_cast<Channel>(slot));
      for (std::size_t k = 0; k < *got; ++k) {
        if (std::isnan(values[k])) std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const int nudge = static_cast<int>(data[1] % 5) - 2;
  std::vector<std::uint8_t> bytes(data + 2, data + size);
  constexpr std::size_t layout_count = sizeof(layouts) / sizeof(layouts[0]);
  if (mode % (layout_count + 1) == layout_count) {
    auto reader = gridmeter::metrology::open_comtrade_cff_memory(std::move(bytes), "fuzz.cff");
    if (reader) drain(**reader, (*reader)->config().sample_count);
    return 0;
  }
  const Layout& layout = layouts[mode % (layout_count + 1)];
  long long records = 0;
  if (layout.record_bytes == 0) {
    for (std::uint8_t byte : bytes)
      records += byte == '\n' ? 1 : 0;
  } else {
    records = static_cast<long long>(bytes.size() / layout.record_bytes);
  }
  const long long end_sample = records + nudge < 1 ? 1 : records + nudge;
  auto reader = gridmeter::metrology::open_comtrade_memory(make_cfg(layout, end_sample),
                                                           std::move(bytes), "fuzz");
  if (reader) drain(**reader, end_sample);
  return 0;
}
