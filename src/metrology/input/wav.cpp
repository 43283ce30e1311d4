// RIFF WAVE reading (Microsoft "Multimedia Programming Interface and Data Specifications 1.0",
// 1991, and the WAVE_FORMAT_EXTENSIBLE addendum).
#include "metrology/input/wav.hpp"

#include <fmt/format.h>

#include <array>    // std::array
#include <cstring>  // std::memcmp

#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::ByteInput;
using input_detail::load_u16;
using input_detail::load_u32;
using input_detail::SampleEncoding;

constexpr std::uint16_t tag_pcm = 1;
constexpr std::uint16_t tag_float = 3;
constexpr std::uint16_t tag_extensible = 0xFFFE;
// Bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT; bytes 0..1 hold the format tag.
constexpr std::array<std::uint8_t, 14> guid_tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                    0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

SampleEncoding encoding_of(WavSampleType type) {
  switch (type) {
    case WavSampleType::pcm16:
      return SampleEncoding::int16;
    case WavSampleType::pcm24:
      return SampleEncoding::int24;
    case WavSampleType::pcm32:
      return SampleEncoding::int32;
    case WavSampleType::float32:
      return SampleEncoding::float32;
    case WavSampleType::float64:
      return SampleEncoding::float64;
  }
  return SampleEncoding::int16;
}

std::string chunk_name(const std::uint8_t* id) {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    const auto c = static_cast<char>(id[i]);
    name += (id[i] >= 0x20 && id[i] < 0x7F) ? c : '?';
  }
  return name;
}

class Reader final : public WavReader {
 public:
  explicit Reader(std::unique_ptr<ByteInput> input) : input_(std::move(input)) {}

  Status setup(const WavOptions& options);
  [[nodiscard]] const StreamInfo& info() const override { return info_; }
  Result<std::size_t> read(SampleBuffer& buffer) override {
    auto got = stream_->read(buffer);
    if (!got) buffer.set_count(0);
    return got;
  }
  [[nodiscard]] const WavFormat& format() const override { return format_; }
  [[nodiscard]] const ChannelMap& channel_map() const override { return map_; }

 private:
  [[nodiscard]] Error fail(std::uint64_t offset, const std::string& what) const {
    return make_error(fmt::format("{} byte offset {}: {}", input_->name(), offset, what));
  }
  Status parse_fmt(std::uint64_t offset, std::uint32_t size);
  Status parse_chunks();

  std::unique_ptr<ByteInput> input_;
  std::unique_ptr<input_detail::FrameStream> stream_;
  WavFormat format_;
  StreamInfo info_;
  ChannelMap map_;
  bool have_fmt_ = false;
};

Status Reader::parse_fmt(std::uint64_t offset, std::uint32_t size) {
  if (have_fmt_) return fail(offset, "a second fmt chunk");
  if (size < 16)
    return fail(offset, fmt::format("fmt chunk of {} bytes, at least 16 expected", size));
  std::array<std::uint8_t, 40> body{};
  const std::size_t want = std::min<std::size_t>(size, body.size());
  if (Status moved = input_->seek(offset + 8); !moved) return moved;
  auto got = input_detail::read_fully(*input_, std::span<std::uint8_t>(body).first(want));
  if (!got) return got.error();
  if (*got != want) return fail(offset + 8 + *got, "truncated fmt chunk");
  const std::uint64_t at = offset + 8;
  std::uint16_t tag = load_u16(&body[0]);
  const std::uint16_t channels = load_u16(&body[2]);
  const std::uint32_t rate = load_u32(&body[4]);
  const std::uint16_t block_align = load_u16(&body[12]);
  const std::uint16_t bits = load_u16(&body[14]);
  if (tag == tag_extensible) {
    if (size < 40 || load_u16(&body[16]) < 22) {
      return fail(at,
                  fmt::format("WAVE_FORMAT_EXTENSIBLE fmt chunk of {} bytes, 40 expected", size));
    }
    tag = load_u16(&body[24]);
    if (std::memcmp(&body[26], guid_tail.data(), guid_tail.size()) != 0 ||
        (tag != tag_pcm && tag != tag_float)) {
      return fail(at + 24, "WAVE_FORMAT_EXTENSIBLE sub-format GUID is neither PCM nor IEEE float");
    }
  }
  if (tag == tag_pcm) {
    if (bits == 16) {
      format_.sample_type = WavSampleType::pcm16;
    } else if (bits == 24) {
      format_.sample_type = WavSampleType::pcm24;
    } else if (bits == 32) {
      format_.sample_type = WavSampleType::pcm32;
    } else {
      return fail(at + 14, fmt::format("PCM with {} bits per sample is not supported (16, 24 or "
                                       "32)",
                                       bits));
    }
  } else if (tag == tag_float) {
    if (bits == 32) {
      format_.sample_type = WavSampleType::float32;
    } else if (bits == 64) {
      format_.sample_type = WavSampleType::float64;
    } else {
      return fail(
          at + 14,
          fmt::format("IEEE float with {} bits per sample is not supported (32 or 64)", bits));
    }
  } else {
    return fail(at, fmt::format("format tag 0x{:04X} is not supported (PCM 1, IEEE float 3, "
                                "extensible 0xFFFE)",
                                tag));
  }
  if (channels == 0) return fail(at + 2, "0 channels");
  if (channels > wav_max_channels) {
    return fail(at + 2,
                fmt::format("{} channels, at most {} supported", channels, wav_max_channels));
  }
  if (rate < wav_min_sample_rate_hz || rate > wav_max_sample_rate_hz) {
    return fail(at + 4, fmt::format("sample rate {} Hz is outside {} Hz .. {} Hz", rate,
                                    wav_min_sample_rate_hz, wav_max_sample_rate_hz));
  }
  const std::size_t frame_bytes =
      channels * input_detail::encoding_bytes(encoding_of(format_.sample_type));
  if (block_align != frame_bytes) {
    return fail(at + 12, fmt::format("block align {} bytes, expected {} ({} channels of {} bits)",
                                     block_align, frame_bytes, channels, bits));
  }
  format_.channel_count = channels;
  format_.sample_rate_hz = rate;
  format_.frame_bytes = frame_bytes;
  have_fmt_ = true;
  return {};
}

Status Reader::parse_chunks() {
  const std::uint64_t size = input_->size().value_or(0);
  std::array<std::uint8_t, 12> head{};
  auto got = input_detail::read_fully(*input_, head);
  if (!got) return got.error();
  if (*got < 12) return fail(0, fmt::format("{} bytes, too short for a RIFF WAVE header", *got));
  if (std::memcmp(head.data(), "RF64", 4) == 0)
    return fail(0, "RF64 (64-bit WAVE) is not supported");
  if (std::memcmp(head.data(), "RIFF", 4) != 0 || std::memcmp(head.data() + 8, "WAVE", 4) != 0) {
    return fail(0, "not a RIFF WAVE file (no \"RIFF\" ... \"WAVE\" header)");
  }
  std::uint64_t offset = 12;
  while (offset + 8 <= size) {
    std::array<std::uint8_t, 8> chunk{};
    if (Status moved = input_->seek(offset); !moved) return moved;
    got = input_detail::read_fully(*input_, chunk);
    if (!got) return got.error();
    if (*got != 8) return fail(offset, "truncated chunk header");
    const std::string id = chunk_name(chunk.data());
    const std::uint32_t length = load_u32(&chunk[4]);
    const std::uint64_t body = offset + 8;
    if (body + length > size) {
      return fail(offset, fmt::format("truncated {} chunk: it claims {} bytes but only {} follow",
                                      input_detail::quote(id), length, size - body));
    }
    if (id == "fmt ") {
      if (Status ok = parse_fmt(offset, length); !ok) return ok;
    } else if (id == "data") {
      if (!have_fmt_) return fail(offset, "data chunk before the fmt chunk");
      if (length % format_.frame_bytes != 0) {
        return fail(offset, fmt::format("data chunk of {} bytes is not a whole number of {}-byte "
                                        "frames",
                                        length, format_.frame_bytes));
      }
      format_.data_offset = body;
      format_.frame_count = length / format_.frame_bytes;
      return input_->seek(body);
    }
    offset = body + length + (length & 1U);
  }
  if (offset < size) return fail(offset, "truncated chunk header");
  return fail(offset, have_fmt_ ? "no data chunk" : "no fmt chunk");
}

Status Reader::setup(const WavOptions& options) {
  if (Status ok = parse_chunks(); !ok) return ok;
  const std::string& name = input_->name();
  auto resolved =
      resolve_channels(options.channel_map, options.connection, format_.channel_count, name);
  if (!resolved) return resolved.error();
  map_ = resolved->map;
  const Connection connection = resolved->connection;
  const SampleEncoding encoding = encoding_of(format_.sample_type);
  auto routes = input_detail::interleaved_routes(map_, encoding, options.scale_factors,
                                                 format_.channel_count, name);
  if (!routes) return routes.error();
  stream_ = std::make_unique<input_detail::FrameStream>(*input_, encoding, format_.channel_count,
                                                        std::move(*routes), format_.frame_count,
                                                        256 * 1024);
  info_.sample_rate_hz = format_.sample_rate_hz;
  info_.nominal_frequency_hz = options.nominal_frequency_hz;
  info_.connection = connection;
  info_.has_neutral_current = map_.contains(Channel::i_neutral);
  info_.start_utc_us = options.start_utc_us;
  info_.description = name;
  return {};
}

Result<std::unique_ptr<WavReader>> make_reader(std::unique_ptr<ByteInput> input,
                                               const WavOptions& options) {
  auto reader = std::make_unique<Reader>(std::move(input));
  if (Status ok = reader->setup(options); !ok) return ok.error();
  return std::unique_ptr<WavReader>(std::move(reader));
}

}  // namespace

Result<std::unique_ptr<WavReader>> open_wav(const std::string& path, const WavOptions& options) {
  auto input = input_detail::open_file_input(path);
  if (!input) return input.error();
  return make_reader(std::move(*input), options);
}

Result<std::unique_ptr<WavReader>> open_wav_memory(std::vector<std::uint8_t> bytes,
                                                   std::string name, const WavOptions& options) {
  return make_reader(input_detail::memory_input(std::move(bytes), std::move(name)), options);
}

}  // namespace gridmeter::metrology
