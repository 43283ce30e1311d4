// COMTRADE .dat reading (IEEE Std C37.111-1999 clause 7, -2013 clause 8) and .cff splitting
// (-2013 clause 9).
#include "metrology/input/comtrade.hpp"

#include <fmt/format.h>

#include <algorithm>   // std::min
#include <cmath>       // std::isfinite, std::fabs
#include <filesystem>  // std::filesystem::path
#include <limits>      // std::numeric_limits

#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::ByteInput;
using input_detail::LineReader;
using input_detail::parse_integer;
using input_detail::parse_real;
using input_detail::quote;
using input_detail::SlotRoute;
using input_detail::trim;

constexpr std::size_t max_dat_line_bytes = 1024 * 1024;
constexpr std::size_t binary_chunk_bytes = 1024 * 1024;
constexpr std::uint32_t missing_timestamp = 0xFFFFFFFFU;

struct UnitInfo {
  Quantity quantity = Quantity::other;
  double factor = 1.0;
};

// "V", "kV", "mV", "A", "kA", "mA" (k or K, m milli, M mega); anything else is "other".
UnitInfo classify_unit(std::string_view unit) {
  unit = trim(unit);
  if (unit.empty() || unit.size() > 2) return {};
  const char base = unit.back();
  Quantity quantity = Quantity::other;
  if (base == 'V' || base == 'v') quantity = Quantity::voltage;
  if (base == 'A' || base == 'a') quantity = Quantity::current;
  if (quantity == Quantity::other) return {};
  if (unit.size() == 1) return {quantity, 1.0};
  switch (unit.front()) {
    case 'k':
    case 'K':
      return {quantity, 1e3};
    case 'm':
      return {quantity, 1e-3};
    case 'M':
      return {quantity, 1e6};
    default:
      return {};
  }
}

class Reader final : public ComtradeReader {
 public:
  Reader(ComtradeConfig config, std::unique_ptr<ByteInput> dat, std::string cfg_name)
      : config_(std::move(config)), dat_(std::move(dat)), cfg_name_(std::move(cfg_name)) {}

  Status setup(const ComtradeOptions& options);

  [[nodiscard]] const StreamInfo& info() const override { return info_; }
  Result<std::size_t> read(SampleBuffer& buffer) override {
    if (failed_) return make_error(fmt::format("{}: reading stopped after an error", dat_->name()));
    auto got = config_.format == ComtradeFormat::ascii ? read_ascii(buffer) : read_binary(buffer);
    if (!got) {
      failed_ = true;
      buffer.set_count(0);
    }
    return got;
  }
  [[nodiscard]] const ComtradeConfig& config() const override { return config_; }
  [[nodiscard]] const ChannelMap& channel_map() const override { return map_; }
  [[nodiscard]] std::int64_t missing_value_count() const override { return missing_; }

 private:
  Status choose_channels(const ComtradeOptions& options);
  Status check_binary_size();
  Status derive_rate();
  Result<std::pair<std::int64_t, double>> ascii_stamp(std::string_view line,
                                                      std::string_view where) const;
  Status check_stamp(double stamp, std::int64_t index, const std::string& where);
  Result<std::size_t> read_binary(SampleBuffer& buffer);
  Result<std::size_t> read_ascii(SampleBuffer& buffer);
  [[nodiscard]] std::string record_place(std::int64_t index) const {
    return fmt::format("{} record {} at byte offset {}", dat_->name(), index + 1,
                       static_cast<std::uint64_t>(index) * config_.record_size_bytes());
  }

  ComtradeConfig config_;
  std::unique_ptr<ByteInput> dat_;
  std::string cfg_name_;
  StreamInfo info_;
  ChannelMap map_;
  std::vector<SlotRoute> routes_;
  std::int64_t next_ = 0;  // 0-based index of the next record
  std::int64_t missing_ = 0;
  bool failed_ = false;
  // nrates = 0: time stamps define the rate and must stay on its grid.
  bool check_stamps_ = false;
  double first_stamp_us_ = 0.0;
  double period_us_ = 0.0;
  std::unique_ptr<LineReader> lines_;
  std::vector<std::string_view> fields_;
  std::vector<std::uint8_t> chunk_;
};

Status Reader::choose_channels(const ComtradeOptions& options) {
  const std::size_t analog_count = config_.analog.size();
  if (options.scale_factors.size() > analog_count) {
    return make_error(fmt::format("{}: {} scale factors for {} analog channels", cfg_name_,
                                  options.scale_factors.size(), analog_count));
  }
  Connection connection = Connection::single_phase_2w;
  if (options.channel_map) {
    map_ = *options.channel_map;
    if (options.connection) {
      connection = *options.connection;
    } else {
      auto inferred = infer_connection(map_);
      if (!inferred) return make_error(cfg_name_ + ": " + inferred.error().message);
      connection = *inferred;
    }
    if (Status ok = check_channel_map(map_, connection, analog_count, cfg_name_); !ok) return ok;
  } else {
    std::vector<ChannelDescriptor> descriptors;
    for (const ComtradeAnalogChannel& channel : config_.analog)
      descriptors.push_back({channel.id, channel.phase, classify_unit(channel.unit).quantity});
    auto inferred = infer_channel_map(descriptors, options.connection, cfg_name_);
    if (!inferred) return inferred.error();
    map_ = std::move(inferred->map);
    connection = inferred->connection;
  }
  for (const ChannelMapEntry& entry : map_.entries) {
    const ComtradeAnalogChannel& channel = config_.analog[entry.source_index];
    double factor = classify_unit(channel.unit).factor * entry.scale;
    if (channel.secondary_values) factor *= channel.primary / channel.secondary;
    if (entry.source_index < options.scale_factors.size())
      factor *= options.scale_factors[entry.source_index];
    const double gain = channel.a * factor;
    const double offset = channel.b * factor;
    if (!std::isfinite(gain) || !std::isfinite(offset)) {
      return make_error(fmt::format("{}: analog channel {} {}: scaling overflows", cfg_name_,
                                    entry.source_index + 1, quote(channel.id)));
    }
    routes_.push_back({entry.slot, entry.source_index, gain, offset});
  }
  info_.connection = connection;
  info_.has_neutral_current = map_.contains(Channel::i_neutral);
  return {};
}

Status Reader::check_binary_size() {
  const auto size = dat_->size();
  if (!size) return {};
  const std::uint64_t record = config_.record_size_bytes();
  const auto count = static_cast<std::uint64_t>(config_.sample_count);
  const std::uint64_t expected = count * record;
  if (*size == expected) return {};
  const std::uint64_t whole = *size / record;
  const std::uint64_t rest = *size % record;
  if (*size < expected) {
    if (rest != 0) {
      return make_error(fmt::format(
          "{}: truncated: record {} at byte offset {} has only {} of its {} bytes; the cfg's "
          "endsamp says {} records ({} bytes)",
          dat_->name(), whole + 1, whole * record, rest, record, count, expected));
    }
    return make_error(fmt::format(
        "{}: wrong sample count: the file ends at byte offset {} after {} records of {} bytes; "
        "the cfg's endsamp says {}",
        dat_->name(), *size, whole, record, count));
  }
  return make_error(fmt::format(
      "{}: wrong sample count: {} bytes hold {} records of {} bytes{}; the cfg's endsamp says {} "
      "(data after byte offset {})",
      dat_->name(), *size, whole, record, rest == 0 ? "" : fmt::format(" and {} bytes", rest),
      count, expected));
}

// n and time stamp of an ASCII record line.
Result<std::pair<std::int64_t, double>> Reader::ascii_stamp(std::string_view line,
                                                            std::string_view where) const {
  const std::size_t first = line.find(',');
  const std::size_t second = first == std::string_view::npos ? first : line.find(',', first + 1);
  if (second == std::string_view::npos) {
    return make_error(fmt::format("{}: expected n,timestamp,values", where));
  }
  const auto number = parse_integer(line.substr(0, first));
  const auto stamp = parse_real(line.substr(first + 1, second - first - 1));
  if (!number || !stamp) {
    return make_error(
        fmt::format("{}: sample number and time stamp must be numbers when nrates is 0 ({})", where,
                    quote(line.substr(0, second))));
  }
  return std::pair<std::int64_t, double>(*number, *stamp);
}

Status Reader::derive_rate() {
  std::int64_t first_n = 1;
  std::int64_t last_n = config_.sample_count;
  double first = 0.0;
  double last = 0.0;
  if (config_.sample_count < 2) {
    return make_error(fmt::format(
        "{}: nrates is 0 and the recording has {} sample: no rate can be derived from time "
        "stamps",
        cfg_name_, config_.sample_count));
  }
  if (config_.format != ComtradeFormat::ascii) {
    std::uint8_t stamp[4];
    const std::uint64_t record = config_.record_size_bytes();
    for (const std::uint64_t index : {std::uint64_t{0}, static_cast<std::uint64_t>(last_n - 1)}) {
      if (Status moved = dat_->seek(index * record + 4); !moved) return moved;
      auto got = input_detail::read_fully(*dat_, stamp);
      if (!got) return got.error();
      if (*got != 4) {
        return make_error(fmt::format("{}: truncated at byte offset {}", dat_->name(),
                                      index * record + 4 + *got));
      }
      const std::uint32_t value = input_detail::load_u32(stamp);
      if (value == missing_timestamp) {
        return make_error(
            fmt::format("{}: record {} has no time stamp (0xFFFFFFFF), but nrates is 0",
                        dat_->name(), index + 1));
      }
      (index == 0 ? first : last) = value;
    }
  } else {
    LineReader head(*dat_, max_dat_line_bytes);
    std::optional<std::string_view> line;
    do {
      auto next = head.next();
      if (!next) return next.error();
      line = *next;
    } while (line && trim(*line).empty());
    if (!line) return make_error(fmt::format("{}: no data lines", dat_->name()));
    auto first_stamp =
        ascii_stamp(*line, fmt::format("{} line {}", dat_->name(), head.line_number()));
    if (!first_stamp) return first_stamp.error();
    first_n = first_stamp->first;
    first = first_stamp->second;
    // The last line from the end of the file.
    const std::uint64_t size = dat_->size().value_or(0);
    const std::uint64_t tail = std::min<std::uint64_t>(size, max_dat_line_bytes);
    if (Status moved = dat_->seek(size - tail); !moved) return moved;
    std::string text(static_cast<std::size_t>(tail), '\0');
    auto got = input_detail::read_fully(
        *dat_, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));
    if (!got) return got.error();
    std::string_view view = trim(std::string_view(text).substr(0, *got));
    while (!view.empty() && (view.back() == '\x1A' || view.back() == '\r' || view.back() == '\n'))
      view.remove_suffix(1);
    const std::size_t start = view.rfind('\n');
    const std::string_view last_line =
        start == std::string_view::npos ? view : view.substr(start + 1);
    auto last_stamp = ascii_stamp(trim(last_line), fmt::format("{} last line", dat_->name()));
    if (!last_stamp) return last_stamp.error();
    last_n = last_stamp->first;
    last = last_stamp->second;
  }
  if (Status moved = dat_->seek(0); !moved) return moved;
  const double span_us = (last - first) * config_.time_multiplier;
  const double steps = static_cast<double>(last_n) - static_cast<double>(first_n);
  if (!(span_us > 0.0) || !(steps > 0.0)) {
    return make_error(fmt::format(
        "{}: nrates is 0, but the time stamps (first {}, last {}) and sample numbers ({} .. {}) "
        "do not increase: no sample rate can be derived",
        dat_->name(), first, last, first_n, last_n));
  }
  const double rate = steps * 1e6 / span_us;
  if (rate < comtrade_min_sample_rate_hz || rate > comtrade_max_sample_rate_hz) {
    return make_error(
        fmt::format("{}: the time stamps give a sample rate of {} Hz, outside {} Hz .. {} Hz",
                    dat_->name(), rate, comtrade_min_sample_rate_hz, comtrade_max_sample_rate_hz));
  }
  info_.sample_rate_hz = rate;
  check_stamps_ = true;
  first_stamp_us_ = first * config_.time_multiplier;
  period_us_ = 1e6 / rate;
  return {};
}

Status Reader::check_stamp(double stamp, std::int64_t index, const std::string& where) {
  const double actual_us = stamp * config_.time_multiplier - first_stamp_us_;
  const double expected_us = static_cast<double>(index) * period_us_;
  if (std::fabs(actual_us - expected_us) <= 0.5 * period_us_ + config_.time_multiplier) return {};
  return make_error(fmt::format(
      "{}: time stamp {} ({} µs after the first) is off the uniform {} Hz grid the first and last "
      "time stamps give (expected {} µs); nrates is 0 and non-uniform sampling is not supported",
      where, stamp, actual_us, info_.sample_rate_hz, expected_us));
}

Status Reader::setup(const ComtradeOptions& options) {
  info_.description = cfg_name_;
  if (Status ok = choose_channels(options); !ok) return ok;
  if (config_.format != ComtradeFormat::ascii) {
    if (Status ok = check_binary_size(); !ok) return ok;
  }
  if (config_.rates.empty()) {
    if (Status ok = derive_rate(); !ok) return ok;
  } else {
    const double rate = config_.rates.front().rate_hz;
    for (const ComtradeRate& other : config_.rates) {
      if (other.rate_hz != rate) {
        std::string list;
        for (const ComtradeRate& r : config_.rates)
          list += fmt::format("{}{} Hz to sample {}", list.empty() ? "" : ", ", r.rate_hz,
                              r.end_sample);
        return make_error(fmt::format(
            "{}: {} different sample rates ({}); only recordings with one sample rate are "
            "supported",
            cfg_name_, config_.rates.size(), list));
      }
    }
    info_.sample_rate_hz = rate;
  }
  if (options.nominal_frequency_hz) {
    info_.nominal_frequency_hz = *options.nominal_frequency_hz;
  } else if (config_.line_frequency_hz > 0.0) {
    info_.nominal_frequency_hz = config_.line_frequency_hz;
  }
  info_.start_utc_us = options.start_utc_us.value_or(config_.start_utc_us().value_or(0));
  if (config_.format == ComtradeFormat::ascii) {
    lines_ = std::make_unique<LineReader>(*dat_, max_dat_line_bytes);
  }
  return {};
}

Result<std::size_t> Reader::read_binary(SampleBuffer& buffer) {
  const std::size_t record = config_.record_size_bytes();
  const auto remaining = static_cast<std::uint64_t>(config_.sample_count - next_);
  const std::size_t total =
      static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer.capacity()));
  const std::size_t per_chunk = std::max<std::size_t>(1, binary_chunk_bytes / record);
  const bool int16 = config_.format == ComtradeFormat::binary;
  const std::size_t value_bytes = int16 ? 2 : 4;
  std::size_t done = 0;
  while (done < total) {
    const std::size_t count = std::min(per_chunk, total - done);
    chunk_.resize(count * record);
    auto got = input_detail::read_fully(*dat_, chunk_);
    if (!got) return got.error();
    if (*got != chunk_.size()) {
      const std::size_t whole = *got / record;
      return make_error(fmt::format(
          "{}: truncated: the file ends at byte offset {}, inside record {} of the {} the cfg's "
          "endsamp announces",
          dat_->name(), dat_->position(), next_ + static_cast<std::int64_t>(whole) + 1,
          config_.sample_count));
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint8_t* rec = chunk_.data() + k * record;
      if (check_stamps_) {
        const std::uint32_t stamp = input_detail::load_u32(rec + 4);
        if (stamp != missing_timestamp) {
          if (Status ok = check_stamp(stamp, next_, record_place(next_)); !ok) return ok.error();
        }
      }
      for (const SlotRoute& route : routes_) {
        const std::uint8_t* at = rec + 8 + route.source * value_bytes;
        double value = 0.0;
        bool missing = false;
        switch (config_.format) {
          case ComtradeFormat::binary: {
            const std::int16_t x = input_detail::load_i16(at);
            missing = x == std::numeric_limits<std::int16_t>::min();
            value = x;
            break;
          }
          case ComtradeFormat::binary32: {
            const std::int32_t x = input_detail::load_i32(at);
            missing = x == std::numeric_limits<std::int32_t>::min();
            value = x;
            break;
          }
          default: {
            const float x = input_detail::load_f32(at);
            missing = !std::isfinite(x);
            value = x;
            break;
          }
        }
        float* out = buffer.channel(route.slot) + done + k;
        if (missing) {
          ++missing_;
          *out = 0.0F;
        } else {
          *out = static_cast<float>(route.gain * value + route.offset);
        }
      }
      ++next_;
    }
    done += count;
  }
  input_detail::zero_unrouted(buffer, routes_, total);
  buffer.set_count(total);
  return total;
}

Result<std::size_t> Reader::read_ascii(SampleBuffer& buffer) {
  const std::size_t analog = config_.analog.size();
  const std::size_t expected_fields = 2 + analog + config_.digital.size();
  std::size_t done = 0;
  while (done < buffer.capacity()) {
    auto next = lines_->next();
    if (!next) return next.error();
    const auto place = [&] {
      return fmt::format("{} line {}", dat_->name(), lines_->line_number());
    };
    if (!*next) {
      if (next_ < config_.sample_count) {
        return make_error(fmt::format(
            "{}: wrong sample count: the data ends after {} samples (line {}); the cfg's "
            "endsamp says {}",
            dat_->name(), next_, lines_->line_number(), config_.sample_count));
      }
      break;
    }
    const std::string_view line = trim(**next);
    if (line.empty() || line == "\x1A") continue;
    if (next_ >= config_.sample_count) {
      return make_error(fmt::format(
          "{}: wrong sample count: more samples than the {} the cfg's endsamp announces", place(),
          config_.sample_count));
    }
    input_detail::split(line, ',', fields_);
    if (fields_.size() == expected_fields + 1 && trim(fields_.back()).empty()) fields_.pop_back();
    if (fields_.size() != expected_fields) {
      return make_error(
          fmt::format("{}: {} fields, expected n, timestamp, {} analog and {} "
                      "digital values ({})",
                      place(), fields_.size(), analog, config_.digital.size(), expected_fields));
    }
    if (!parse_integer(fields_[0])) {
      return make_error(
          fmt::format("{}: sample number {} is not an integer", place(), quote(fields_[0])));
    }
    if (check_stamps_ && !trim(fields_[1]).empty()) {
      const auto stamp = parse_real(fields_[1]);
      if (!stamp) {
        return make_error(
            fmt::format("{}: time stamp {} is not a number", place(), quote(fields_[1])));
      }
      if (Status ok = check_stamp(*stamp, next_, place()); !ok) return ok.error();
    }
    for (const SlotRoute& route : routes_) {
      const std::string_view text = trim(fields_[2 + route.source]);
      float* out = buffer.channel(route.slot) + done;
      if (text.empty()) {
        ++missing_;
        *out = 0.0F;
        continue;
      }
      const auto value = parse_real(text);
      if (!value) {
        return make_error(fmt::format("{}: analog channel {} {} value {} is not a number", place(),
                                      route.source + 1, quote(config_.analog[route.source].id),
                                      quote(text)));
      }
      if (config_.rev_year == 1991 && *value == 99999.0) {
        ++missing_;
        *out = 0.0F;
        continue;
      }
      *out = static_cast<float>(route.gain * *value + route.offset);
    }
    ++next_;
    ++done;
  }
  input_detail::zero_unrouted(buffer, routes_, done);
  buffer.set_count(done);
  return done;
}

Result<std::unique_ptr<ComtradeReader>> make_reader(ComtradeConfig config,
                                                    std::unique_ptr<ByteInput> dat,
                                                    std::string cfg_name,
                                                    const ComtradeOptions& options) {
  auto reader = std::make_unique<Reader>(std::move(config), std::move(dat), std::move(cfg_name));
  if (Status ok = reader->setup(options); !ok) return ok.error();
  return std::unique_ptr<ComtradeReader>(std::move(reader));
}

bool has_extension(const std::string& path, std::string_view extension) {
  const std::string actual = std::filesystem::path(path).extension().string();
  return input_detail::iequals(actual, extension);
}

// The .cff sections: the CFG text and where the DAT section lies.
struct CffLayout {
  std::string cfg_text;
  std::uint64_t dat_offset = 0;
  std::uint64_t dat_length = 0;
  bool dat_ascii = true;
};

Result<CffLayout> split_cff(ByteInput& input) {
  const std::string& name = input.name();
  LineReader lines(input, max_dat_line_bytes);
  CffLayout layout;
  enum class Section { none, cfg, other } section = Section::none;
  bool have_cfg = false;
  for (;;) {
    auto next = lines.next();
    if (!next) return next.error();
    if (!*next) {
      return make_error(fmt::format("{}: no \"--- file type: DAT ... ---\" section", name));
    }
    const std::string_view line = trim(**next);
    const bool header =
        line.size() >= 6 && line.substr(0, 3) == "---" && line.substr(line.size() - 3) == "---";
    if (!header) {
      if (section == Section::cfg) {
        if (layout.cfg_text.size() + line.size() > comtrade_max_config_bytes) {
          return make_error(
              fmt::format("{}: CFG section larger than {} bytes", name, comtrade_max_config_bytes));
        }
        layout.cfg_text.append(**next);
        layout.cfg_text += '\n';
      } else if (section == Section::none && !line.empty()) {
        return make_error(fmt::format("{} line {}: expected \"--- file type: CFG ---\", found {}",
                                      name, lines.line_number(), quote(line)));
      }
      continue;
    }
    const std::string inner = input_detail::to_upper(trim(line.substr(3, line.size() - 6)));
    constexpr std::string_view prefix = "FILE TYPE:";
    if (inner.rfind(prefix, 0) != 0) {
      return make_error(fmt::format("{} line {}: section header {} lacks \"file type:\"", name,
                                    lines.line_number(), quote(line)));
    }
    const std::string_view type = trim(std::string_view(inner).substr(prefix.size()));
    if (type == "CFG") {
      section = Section::cfg;
      have_cfg = true;
    } else if (type.rfind("DAT", 0) == 0) {
      if (!have_cfg) {
        return make_error(fmt::format("{} line {}: DAT section before the CFG section", name,
                                      lines.line_number()));
      }
      const std::string_view kind = trim(type.substr(3));
      const std::size_t colon = kind.find(':');
      const std::string_view format = trim(kind.substr(0, colon));
      layout.dat_offset = lines.next_offset();
      const std::uint64_t size = input.size().value_or(0);
      const std::uint64_t rest = size > layout.dat_offset ? size - layout.dat_offset : 0;
      layout.dat_length = rest;
      layout.dat_ascii = format == "ASCII";
      if (!layout.dat_ascii && format != "BINARY" && format != "BINARY32" && format != "FLOAT32") {
        return make_error(fmt::format("{} line {}: unknown DAT section type {}", name,
                                      lines.line_number(), quote(format)));
      }
      if (colon != std::string_view::npos) {
        const auto length = parse_integer(kind.substr(colon + 1));
        if (!length || *length < 0 || static_cast<std::uint64_t>(*length) > rest) {
          return make_error(fmt::format(
              "{} line {}: DAT section length {} is not a byte count up to the {} bytes left", name,
              lines.line_number(), quote(kind.substr(colon + 1)), rest));
        }
        layout.dat_length = static_cast<std::uint64_t>(*length);
      }
      return layout;
    } else {
      section = Section::other;
    }
  }
}

Result<std::unique_ptr<ComtradeReader>> open_cff(std::unique_ptr<ByteInput> input,
                                                 const ComtradeOptions& options) {
  const std::string name = input->name();
  auto layout = split_cff(*input);
  if (!layout) return layout.error();
  auto config = parse_comtrade_config(layout->cfg_text, name + " (CFG section)");
  if (!config) return config.error();
  if (layout->dat_ascii != (config->format == ComtradeFormat::ascii)) {
    return make_error(fmt::format("{}: the DAT section's type differs from the CFG file type {}",
                                  name, to_string(config->format)));
  }
  auto dat = input_detail::slice_input(
      std::move(input), layout->dat_offset, layout->dat_length,
      fmt::format("{} (DAT section at byte offset {})", name, layout->dat_offset));
  return make_reader(std::move(*config), std::move(dat), name, options);
}

}  // namespace

Result<std::unique_ptr<ComtradeReader>> open_comtrade(const std::string& path,
                                                      const ComtradeOptions& options) {
  if (has_extension(path, ".cff")) {
    auto input = input_detail::open_file_input(path);
    if (!input) return input.error();
    return open_cff(std::move(*input), options);
  }
  if (!has_extension(path, ".cfg")) {
    return make_error(fmt::format("{}: a COMTRADE recording ends in .cfg or .cff", path));
  }
  auto text = input_detail::read_text_file(path, comtrade_max_config_bytes);
  if (!text) return text.error();
  auto config = parse_comtrade_config(*text, path);
  if (!config) return config.error();
  std::filesystem::path dat_path(path);
  const std::string stem_path = dat_path.replace_extension().string();
  std::error_code ignored;
  std::string dat_name = stem_path + ".dat";
  if (!std::filesystem::exists(dat_name, ignored) &&
      std::filesystem::exists(stem_path + ".DAT", ignored))
    dat_name = stem_path + ".DAT";
  if (!std::filesystem::exists(dat_name, ignored)) {
    return make_error(
        fmt::format("{}: missing data file {} (expected beside the .cfg)", path, dat_name));
  }
  auto dat = input_detail::open_file_input(dat_name);
  if (!dat) return dat.error();
  return make_reader(std::move(*config), std::move(*dat), path, options);
}

Result<std::unique_ptr<ComtradeReader>> open_comtrade_memory(std::string_view cfg_text,
                                                             std::vector<std::uint8_t> dat_bytes,
                                                             std::string name,
                                                             const ComtradeOptions& options) {
  auto config = parse_comtrade_config(cfg_text, name + ".cfg");
  if (!config) return config.error();
  auto dat = input_detail::memory_input(std::move(dat_bytes), name + ".dat");
  return make_reader(std::move(*config), std::move(dat), name + ".cfg", options);
}

Result<std::unique_ptr<ComtradeReader>> open_comtrade_cff_memory(std::vector<std::uint8_t> bytes,
                                                                 std::string name,
                                                                 const ComtradeOptions& options) {
  return open_cff(input_detail::memory_input(std::move(bytes), std::move(name)), options);
}

}  // namespace gridmeter::metrology
