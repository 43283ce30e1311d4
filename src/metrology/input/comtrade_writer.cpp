// write_comtrade: a SampleSource to a .cfg and .dat pair (IEEE Std C37.111-1999 / -2013).
#include <fmt/format.h>

#include <algorithm>   // std::clamp, std::min
#include <cerrno>      // errno
#include <cmath>       // std::isfinite, std::llround, std::ceil
#include <cstdio>      // std::FILE
#include <cstring>     // std::strerror
#include <filesystem>  // std::filesystem
#include <limits>      // std::numeric_limits

#include "metrology/input/comtrade.hpp"
#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::load_f32;
using input_detail::store_f32;
using input_detail::store_u16;
using input_detail::store_u32;

struct OutChannel {
  Channel slot;
  const char* id;
  const char* phase;
  const char* unit;
};

std::vector<OutChannel> channels_for(const StreamInfo& info) {
  std::vector<OutChannel> out;
  switch (info.connection) {
    case Connection::single_phase_2w:
      out = {{Channel::u1, "UL1", "L1", "V"}, {Channel::i1, "IL1", "L1", "A"}};
      break;
    case Connection::three_phase_4w:
      out = {{Channel::u1, "UL1", "L1", "V"}, {Channel::u2, "UL2", "L2", "V"},
             {Channel::u3, "UL3", "L3", "V"}, {Channel::i1, "IL1", "L1", "A"},
             {Channel::i2, "IL2", "L2", "A"}, {Channel::i3, "IL3", "L3", "A"}};
      break;
    case Connection::three_phase_3w:
      out = {{Channel::u1, "U12", "L1-L2", "V"},
             {Channel::u3, "U32", "L3-L2", "V"},
             {Channel::i1, "IL1", "L1", "A"},
             {Channel::i2, "IL2", "L2", "A"},
             {Channel::i3, "IL3", "L3", "A"}};
      break;
  }
  if (info.has_neutral_current && info.connection != Connection::three_phase_3w)
    out.push_back({Channel::i_neutral, "IN", "N", "A"});
  return out;
}

// Closes on scope exit; removes the file too unless kept.
class OutputFile {
 public:
  OutputFile(std::string path, bool temporary) : path_(std::move(path)), temporary_(temporary) {}
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
    if (temporary_ || !kept_) std::remove(path_.c_str());
  }
  Status open(const char* mode) {
    file_ = std::fopen(path_.c_str(), mode);
    if (file_ == nullptr) return failure("cannot open");
    return {};
  }
  Status write(const void* data, std::size_t size) {
    if (size > 0 && std::fwrite(data, 1, size, file_) != size) return failure("write failed");
    return {};
  }
  Status close() {
    std::FILE* file = file_;
    file_ = nullptr;
    if (std::fclose(file) != 0) return failure("write failed");
    kept_ = true;
    return {};
  }
  [[nodiscard]] std::FILE* get() const { return file_; }
  [[nodiscard]] Error failure(const char* what) const {
    return make_error(fmt::format("{}: {}: {}", path_, what, std::strerror(errno)));
  }

 private:
  std::string path_;
  bool temporary_;
  bool kept_ = false;
  std::FILE* file_ = nullptr;
};

struct Scaling {
  double a = 1.0;
  double b = 0.0;
  double min_field = 0.0;
  double max_field = 0.0;
};

double full_scale(ComtradeFormat format) {
  switch (format) {
    case ComtradeFormat::ascii:
      return 99999.0;
    case ComtradeFormat::binary:
      return 32767.0;
    case ComtradeFormat::binary32:
      return 2147483647.0;
    case ComtradeFormat::float32:
      return 0.0;
  }
  return 0.0;
}

Scaling choose_scaling(ComtradeFormat format, double low, double high) {
  if (format == ComtradeFormat::float32) return {1.0, 0.0, low, high};
  const double full = full_scale(format);
  Scaling s;
  s.b = low / 2.0 + high / 2.0;
  const double half = high / 2.0 - low / 2.0;
  s.a = half > 0.0 ? half / full : 1.0;
  s.min_field = -full;
  s.max_field = full;
  return s;
}

std::int64_t quantise(double value, const Scaling& s, double full) {
  const double x = std::clamp((value - s.b) / s.a, -full, full);
  return std::llround(x);
}

std::string station_name(const std::string& description) {
  std::string name;
  for (char c : description) {
    if (name.size() >= 64) break;
    name += (c == ',' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return name.empty() ? "gridmeter" : name;
}

}  // namespace

Status write_comtrade(const std::string& cfg_path, SampleSource& source, ComtradeFormat format,
                      int rev_year) {
  if (rev_year != 1999 && rev_year != 2013) {
    return make_error(fmt::format("{}: rev_year {} is not 1999 or 2013", cfg_path, rev_year));
  }
  if (rev_year == 1999 && format != ComtradeFormat::ascii && format != ComtradeFormat::binary) {
    return make_error(fmt::format("{}: {} needs rev_year 2013 (1999 has ASCII and BINARY only)",
                                  cfg_path, to_string(format)));
  }
  const std::filesystem::path path(cfg_path);
  const std::string extension = path.extension().string();
  if (!input_detail::iequals(extension, ".cfg")) {
    return make_error(fmt::format("{}: a COMTRADE configuration file name ends in .cfg", cfg_path));
  }
  const StreamInfo info = source.info();
  if (!(info.sample_rate_hz > 0.0) || !std::isfinite(info.sample_rate_hz)) {
    return make_error(fmt::format("{}: the source's sample rate {} Hz is not positive", cfg_path,
                                  info.sample_rate_hz));
  }
  const CivilTime start = civil_from_utc(info.start_utc_us);
  if (start.year < 0 || start.year > 9999) {
    return make_error(fmt::format("{}: start year {} is outside 0..9999", cfg_path, start.year));
  }
  const std::vector<OutChannel> channels = channels_for(info);
  const std::size_t n = channels.size();
  const std::string dat_path =
      std::filesystem::path(cfg_path).replace_extension(extension == ".CFG" ? ".DAT" : ".dat");

  // Pass one: the samples as float32 frames in a temporary file, and each channel's range.
  OutputFile temp(dat_path + ".part", true);
  if (Status ok = temp.open("w+b"); !ok) return ok;
  std::vector<double> low(n, std::numeric_limits<double>::infinity());
  std::vector<double> high(n, -std::numeric_limits<double>::infinity());
  std::uint64_t frames = 0;
  SampleBuffer buffer(4096);
  std::vector<std::uint8_t> bytes;
  for (;;) {
    auto got = source.read(buffer);
    if (!got) return got.error();
    if (*got == 0) break;
    bytes.clear();
    for (std::size_t k = 0; k < *got; ++k) {
      for (std::size_t c = 0; c < n; ++c) {
        const float value = buffer.channel(channels[c].slot)[k];
        if (!std::isfinite(value)) {
          return make_error(fmt::format("{}: sample {} of {} is not finite", cfg_path,
                                        frames + k + 1, slot_name(channels[c].slot)));
        }
        low[c] = std::min<double>(low[c], value);
        high[c] = std::max<double>(high[c], value);
        store_f32(bytes, value);
      }
    }
    if (Status ok = temp.write(bytes.data(), bytes.size()); !ok) return ok;
    frames += *got;
  }
  if (frames == 0) return make_error(fmt::format("{}: the source gave no samples", cfg_path));
  if (frames > 0xFFFFFFFFULL) {
    return make_error(fmt::format("{}: {} samples, more than COMTRADE's 32-bit sample numbers",
                                  cfg_path, frames));
  }
  std::vector<Scaling> scaling;
  for (std::size_t c = 0; c < n; ++c)
    scaling.push_back(choose_scaling(format, low[c], high[c]));
  const double span_us = static_cast<double>(frames - 1) * 1e6 / info.sample_rate_hz;
  constexpr double max_stamp = 4294967294.0;  // 0xFFFFFFFF means "no time stamp"
  const double time_multiplier = span_us > max_stamp ? std::ceil(span_us / max_stamp) : 1.0;

  // Pass two: the .dat in the requested format.
  OutputFile dat(dat_path, false);
  if (Status ok = dat.open("wb"); !ok) return ok;
  if (std::fseek(temp.get(), 0, SEEK_SET) != 0) return temp.failure("cannot rewind");
  const double full = full_scale(format);
  constexpr std::size_t frames_per_chunk = 4096;
  std::vector<std::uint8_t> in(frames_per_chunk * n * 4);
  std::string text;
  for (std::uint64_t done = 0; done < frames;) {
    const auto count =
        static_cast<std::size_t>(std::min<std::uint64_t>(frames_per_chunk, frames - done));
    if (std::fread(in.data(), 1, count * n * 4, temp.get()) != count * n * 4)
      return temp.failure("read back failed");
    bytes.clear();
    text.clear();
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint64_t index = done + k;
      const auto stamp = static_cast<std::uint32_t>(
          std::llround(static_cast<double>(index) * 1e6 / info.sample_rate_hz / time_multiplier));
      const auto number = static_cast<std::uint32_t>(index + 1);
      if (format == ComtradeFormat::ascii) {
        fmt::format_to(std::back_inserter(text), "{},{}", number, stamp);
      } else {
        store_u32(bytes, number);
        store_u32(bytes, stamp);
      }
      for (std::size_t c = 0; c < n; ++c) {
        const float value = load_f32(in.data() + (k * n + c) * 4);
        switch (format) {
          case ComtradeFormat::ascii:
            fmt::format_to(std::back_inserter(text), ",{}", quantise(value, scaling[c], full));
            break;
          case ComtradeFormat::binary:
            store_u16(bytes, static_cast<std::uint16_t>(
                                 static_cast<std::int16_t>(quantise(value, scaling[c], full))));
            break;
          case ComtradeFormat::binary32:
            store_u32(bytes, static_cast<std::uint32_t>(
                                 static_cast<std::int32_t>(quantise(value, scaling[c], full))));
            break;
          case ComtradeFormat::float32:
            store_f32(bytes, value);
            break;
        }
      }
      if (format == ComtradeFormat::ascii) text += "\r\n";
    }
    const Status ok = format == ComtradeFormat::ascii ? dat.write(text.data(), text.size())
                                                      : dat.write(bytes.data(), bytes.size());
    if (!ok) return ok;
    done += count;
  }

  ComtradeConfig config;
  config.station_name = station_name(info.description);
  config.recording_device = "gridmeter";
  config.rev_year = rev_year;
  for (std::size_t c = 0; c < n; ++c) {
    ComtradeAnalogChannel channel;
    channel.number = static_cast<std::int64_t>(c + 1);
    channel.id = channels[c].id;
    channel.phase = channels[c].phase;
    channel.unit = channels[c].unit;
    channel.a = scaling[c].a;
    channel.b = scaling[c].b;
    channel.min = scaling[c].min_field;
    channel.max = scaling[c].max_field;
    config.analog.push_back(channel);
  }
  config.line_frequency_hz = info.nominal_frequency_hz;
  config.rates.push_back({info.sample_rate_hz, static_cast<std::int64_t>(frames)});
  config.sample_count = static_cast<std::int64_t>(frames);
  config.start = start;
  config.trigger = start;
  config.format = format;
  config.time_multiplier = time_multiplier;
  config.local_code_min = 0;

  OutputFile cfg(cfg_path, false);
  if (Status ok = cfg.open("wb"); !ok) return ok;
  const std::string cfg_text = format_comtrade_config(config);
  if (Status ok = cfg.write(cfg_text.data(), cfg_text.size()); !ok) return ok;
  if (Status ok = dat.close(); !ok) return ok;
  return cfg.close();
}

}  // namespace gridmeter::metrology
