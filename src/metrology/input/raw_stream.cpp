#include "metrology/input/raw_stream.hpp"

#include <fmt/format.h>

#include <cmath>  // std::isfinite

#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::ByteInput;
using input_detail::SampleEncoding;

SampleEncoding encoding_of(RawSampleFormat format) {
  switch (format) {
    case RawSampleFormat::int16:
      return SampleEncoding::int16;
    case RawSampleFormat::int32:
      return SampleEncoding::int32;
    case RawSampleFormat::float32:
      return SampleEncoding::float32;
  }
  return SampleEncoding::int16;
}

class RawSource final : public SampleSource {
 public:
  explicit RawSource(std::unique_ptr<ByteInput> input) : input_(std::move(input)) {}

  Status setup(const RawStreamOptions& options) {
    const std::string& name = input_->name();
    if (options.channel_count == 0 || options.channel_count > raw_max_channels) {
      return make_error(fmt::format("{}: channel count {} is not 1..{}", name,
                                    options.channel_count, raw_max_channels));
    }
    if (!std::isfinite(options.sample_rate_hz) || options.sample_rate_hz < raw_min_sample_rate_hz ||
        options.sample_rate_hz > raw_max_sample_rate_hz) {
      return make_error(fmt::format("{}: sample rate {} Hz is outside {} Hz .. {} Hz", name,
                                    options.sample_rate_hz, raw_min_sample_rate_hz,
                                    raw_max_sample_rate_hz));
    }
    if (options.read_chunk_bytes == 0) {
      return make_error(fmt::format("{}: read chunk size must be at least 1 byte", name));
    }
    auto resolved =
        resolve_channels(options.channel_map, options.connection, options.channel_count, name);
    if (!resolved) return resolved.error();
    map_ = resolved->map;
    const Connection connection = resolved->connection;
    const SampleEncoding encoding = encoding_of(options.format);
    auto routes = input_detail::interleaved_routes(map_, encoding, options.scale_factors,
                                                   options.channel_count, name);
    if (!routes) return routes.error();
    stream_ = std::make_unique<input_detail::FrameStream>(*input_, encoding, options.channel_count,
                                                          std::move(*routes), std::nullopt,
                                                          options.read_chunk_bytes);
    info_.sample_rate_hz = options.sample_rate_hz;
    info_.nominal_frequency_hz = options.nominal_frequency_hz;
    info_.connection = connection;
    info_.has_neutral_current = map_.contains(Channel::i_neutral);
    info_.start_utc_us = options.start_utc_us;
    info_.description = name;
    return {};
  }

  [[nodiscard]] const StreamInfo& info() const override { return info_; }
  Result<std::size_t> read(SampleBuffer& buffer) override {
    auto got = stream_->read(buffer);
    if (!got) buffer.set_count(0);
    return got;
  }

 private:
  std::unique_ptr<ByteInput> input_;
  std::unique_ptr<input_detail::FrameStream> stream_;
  StreamInfo info_;
  ChannelMap map_;
};

Result<std::unique_ptr<SampleSource>> make_source(std::unique_ptr<ByteInput> input,
                                                  const RawStreamOptions& options) {
  auto source = std::make_unique<RawSource>(std::move(input));
  if (Status ok = source->setup(options); !ok) return ok.error();
  return std::unique_ptr<SampleSource>(std::move(source));
}

}  // namespace

Result<RawSampleFormat> parse_raw_sample_format(std::string_view text) {
  const std::string upper = input_detail::to_upper(input_detail::trim(text));
  if (upper == "INT16" || upper == "S16" || upper == "S16LE") return RawSampleFormat::int16;
  if (upper == "INT32" || upper == "S32" || upper == "S32LE") return RawSampleFormat::int32;
  if (upper == "FLOAT32" || upper == "F32" || upper == "F32LE") return RawSampleFormat::float32;
  return make_error(fmt::format("raw sample format {} is not int16, int32 or float32",
                                input_detail::quote(text)));
}

std::string_view to_string(RawSampleFormat format) {
  switch (format) {
    case RawSampleFormat::int16:
      return "int16";
    case RawSampleFormat::int32:
      return "int32";
    case RawSampleFormat::float32:
      return "float32";
  }
  return "?";
}

Result<std::unique_ptr<SampleSource>> open_raw_fd(int fd, std::string name,
                                                  const RawStreamOptions& options) {
  return make_source(input_detail::fd_input(fd, std::move(name)), options);
}

Result<std::unique_ptr<SampleSource>> open_raw_file(std::FILE* file, std::string name,
                                                    const RawStreamOptions& options) {
  return make_source(input_detail::stdio_input(file, std::move(name)), options);
}

Result<std::unique_ptr<SampleSource>> open_raw_path(const std::string& path,
                                                    const RawStreamOptions& options) {
  auto input = input_detail::open_file_input(path, true);
  if (!input) return input.error();
  return make_source(std::move(*input), options);
}

Result<std::unique_ptr<SampleSource>> open_raw_memory(std::vector<std::uint8_t> bytes,
                                                      std::string name,
                                                      const RawStreamOptions& options) {
  return make_source(input_detail::memory_input(std::move(bytes), std::move(name)), options);
}

}  // namespace gridmeter::metrology
