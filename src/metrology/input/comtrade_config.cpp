// COMTRADE .cfg parsing and formatting (IEEE Std C37.111-1999 clause 6, -2013 clause 7; the
// 1991 layout where it differs: no rev_year, no primary/secondary/PS, 3-field digital lines,
// mm/dd/yy dates, no timemult).
#include <fmt/format.h>

#include <cmath>    // std::isfinite
#include <cstdlib>  // std::abs

#include "metrology/input/comtrade.hpp"
#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::iequals;
using input_detail::parse_integer;
using input_detail::parse_real;
using input_detail::quote;
using input_detail::split;
using input_detail::trim;

constexpr std::int64_t max_end_sample = 9'999'999'999;  // 10 digits (C37.111-1999 table 6)
constexpr int max_time_code_min = 15 * 60;

class ConfigParser {
 public:
  ConfigParser(std::string_view text, std::string_view name) : name_(name) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      if (end == text.size()) break;
      start = end + 1;
    }
    // Trailing blank lines (and a DOS end-of-file mark) carry nothing.
    while (!lines_.empty() && (trim(lines_.back()).empty() || trim(lines_.back()) == "\x1A"))
      lines_.pop_back();
  }

  Result<ComtradeConfig> parse();

 private:
  // The next line, or an error naming what was expected.
  Result<std::string_view> next_line(std::string_view what) {
    if (next_ >= lines_.size()) {
      return make_error(
          fmt::format("{} line {}: missing {} (the file ends)", name_, next_ + 1, what));
    }
    return lines_[next_++];
  }
  [[nodiscard]] bool at_end() const { return next_ >= lines_.size(); }
  [[nodiscard]] Error fail(const std::string& what) const {
    return make_error(fmt::format("{} line {}: {}", name_, next_, what));
  }
  Result<std::vector<std::string_view>> fields(std::string_view what, std::size_t low,
                                               std::size_t high) {
    auto line = next_line(what);
    if (!line) return line.error();
    std::vector<std::string_view> parts;
    split(*line, ',', parts);
    for (auto& part : parts)
      part = trim(part);
    if (parts.size() < low || parts.size() > high) {
      const std::string expected =
          low == high ? fmt::format("{}", low) : fmt::format("{} to {}", low, high);
      return fail(fmt::format("{}: {} fields, expected {}", what, parts.size(), expected));
    }
    return parts;
  }
  Result<double> real(std::string_view text, std::string_view what) const {
    const auto value = parse_real(text);
    if (!value) return fail(fmt::format("{} {} is not a number", what, quote(text)));
    return *value;
  }
  Result<double> real_or_zero(std::string_view text, std::string_view what) const {
    if (trim(text).empty()) return 0.0;
    return real(text, what);
  }
  Result<std::int64_t> integer(std::string_view text, std::string_view what) const {
    const auto value = parse_integer(text);
    if (!value) return fail(fmt::format("{} {} is not an integer", what, quote(text)));
    return *value;
  }

  Status parse_header(ComtradeConfig& config);
  Status parse_counts(std::size_t& analog, std::size_t& digital);
  Status parse_analog(ComtradeConfig& config, std::size_t index);
  Status parse_digital(ComtradeConfig& config, std::size_t index);
  Status parse_rates(ComtradeConfig& config);
  Result<std::optional<CivilTime>> parse_timestamp(std::string_view what, int rev_year);
  Status parse_2013_codes(ComtradeConfig& config);

  std::string_view name_;
  std::vector<std::string_view> lines_;
  std::size_t next_ = 0;
};

Status ConfigParser::parse_header(ComtradeConfig& config) {
  auto parts = fields("station_name,rec_dev_id,rev_year", 1, 3);
  if (!parts) return parts.error();
  // Only one byte order mark may open the file: a station name that starts with another
  // could not be written back (the reader would take it for the file's own mark).
  if ((*parts)[0].substr(0, 3) == "\xEF\xBB\xBF") {
    return fail("station_name begins with a byte order mark");
  }
  config.station_name = std::string((*parts)[0]);
  if (parts->size() > 1) config.recording_device = std::string((*parts)[1]);
  config.rev_year = 1991;
  if (parts->size() == 3 && !(*parts)[2].empty()) {
    const auto year = parse_integer((*parts)[2]);
    if (!year || (*year != 1991 && *year != 1999 && *year != 2013)) {
      return fail(fmt::format("rev_year {} is not 1991, 1999 or 2013", quote((*parts)[2])));
    }
    config.rev_year = static_cast<int>(*year);
  }
  return {};
}

Status ConfigParser::parse_counts(std::size_t& analog, std::size_t& digital) {
  auto parts = fields("TT,##A,##D", 3, 3);
  if (!parts) return parts.error();
  auto total = integer((*parts)[0], "TT");
  if (!total) return total.error();
  const auto count = [&](std::string_view text, char suffix, std::size_t max,
                         std::size_t& out) -> Status {
    if (text.empty() || (text.back() != suffix && text.back() != suffix + ('a' - 'A'))) {
      return fail(fmt::format("{} is not a count followed by '{}'", quote(text), suffix));
    }
    const auto value = parse_integer(text.substr(0, text.size() - 1));
    if (!value || *value < 0) {
      return fail(fmt::format("{} is not a count followed by '{}'", quote(text), suffix));
    }
    if (static_cast<std::uint64_t>(*value) > max) {
      return fail(fmt::format("{} {} channels, more than the {} supported", *value,
                              suffix == 'A' ? "analog" : "digital", max));
    }
    out = static_cast<std::size_t>(*value);
    return {};
  };
  if (Status ok = count((*parts)[1], 'A', comtrade_max_analog_channels, analog); !ok) return ok;
  if (Status ok = count((*parts)[2], 'D', comtrade_max_digital_channels, digital); !ok) return ok;
  if (*total != static_cast<std::int64_t>(analog + digital)) {
    return fail(fmt::format("TT = {} but {}A + {}D = {} channels", *total, analog, digital,
                            analog + digital));
  }
  return {};
}

Status ConfigParser::parse_analog(ComtradeConfig& config, std::size_t index) {
  const bool old = config.rev_year == 1991;
  const std::string what = fmt::format("analog channel {}", index + 1);
  auto parts = fields(what, old ? 10 : 13, 13);
  if (!parts) return parts.error();
  const auto& f = *parts;
  ComtradeAnalogChannel channel;
  auto number = integer(f[0], what + " An");
  if (!number) return number.error();
  channel.number = *number;
  channel.id = std::string(f[1]);
  channel.phase = std::string(f[2]);
  channel.circuit = std::string(f[3]);
  channel.unit = std::string(f[4]);
  auto a = real(f[5], what + " multiplier a");
  if (!a) return a.error();
  auto b = real(f[6], what + " offset b");
  if (!b) return b.error();
  auto skew = real_or_zero(f[7], what + " skew");
  if (!skew) return skew.error();
  auto min = real_or_zero(f[8], what + " min");
  if (!min) return min.error();
  auto max = real_or_zero(f[9], what + " max");
  if (!max) return max.error();
  channel.a = *a;
  channel.b = *b;
  channel.skew_us = *skew;
  channel.min = *min;
  channel.max = *max;
  if (f.size() == 13) {
    auto primary = real(f[10], what + " primary");
    if (!primary) return primary.error();
    auto secondary = real(f[11], what + " secondary");
    if (!secondary) return secondary.error();
    channel.primary = *primary;
    channel.secondary = *secondary;
    if (iequals(f[12], "S")) {
      channel.secondary_values = true;
    } else if (!iequals(f[12], "P")) {
      return fail(fmt::format("{} PS {} is not P or S", what, quote(f[12])));
    }
    if (channel.secondary_values && (channel.primary <= 0.0 || channel.secondary <= 0.0)) {
      return fail(
          fmt::format("{} is secondary (PS = S) but primary {} / secondary {} is not a "
                      "positive ratio",
                      what, channel.primary, channel.secondary));
    }
  }
  config.analog.push_back(std::move(channel));
  return {};
}

Status ConfigParser::parse_digital(ComtradeConfig& config, std::size_t index) {
  const std::string what = fmt::format("digital channel {}", index + 1);
  auto parts = fields(what, 3, 5);
  if (!parts) return parts.error();
  const auto& f = *parts;
  if (f.size() == 4) return fail(fmt::format("{}: 4 fields, expected 5 (or 3 in 1991)", what));
  ComtradeDigitalChannel channel;
  auto number = integer(f[0], what + " Dn");
  if (!number) return number.error();
  channel.number = *number;
  channel.id = std::string(f[1]);
  if (f.size() == 5) {
    channel.phase = std::string(f[2]);
    channel.circuit = std::string(f[3]);
  }
  const std::string_view state = f.back();
  if (!state.empty()) {
    if (state != "0" && state != "1") {
      return fail(fmt::format("{} normal state y {} is not 0 or 1", what, quote(state)));
    }
    channel.normal_state = state == "1" ? 1 : 0;
  }
  config.digital.push_back(std::move(channel));
  return {};
}

Status ConfigParser::parse_rates(ComtradeConfig& config) {
  auto lf_line = next_line("line frequency lf");
  if (!lf_line) return lf_line.error();
  const auto lf = parse_real(*lf_line);
  if (!lf || *lf < 0.0 || *lf > 10'000.0) {
    return fail(fmt::format("line frequency {} is not a number 0..10000 Hz", quote(*lf_line)));
  }
  config.line_frequency_hz = *lf;

  auto nrates_line = next_line("nrates");
  if (!nrates_line) return nrates_line.error();
  const auto nrates = parse_integer(*nrates_line);
  if (!nrates || *nrates < 0 || static_cast<std::uint64_t>(*nrates) > comtrade_max_rates) {
    return fail(
        fmt::format("nrates {} is not a count 0..{}", quote(*nrates_line), comtrade_max_rates));
  }
  const std::size_t lines = *nrates == 0 ? 1 : static_cast<std::size_t>(*nrates);
  std::int64_t previous_end = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    auto parts = fields("samp,endsamp", 2, 2);
    if (!parts) return parts.error();
    auto rate = real((*parts)[0], "sample rate samp");
    if (!rate) return rate.error();
    auto end = integer((*parts)[1], "endsamp");
    if (!end) return end.error();
    if (*nrates > 0) {
      if (*rate <= 0.0) return fail(fmt::format("sample rate {} Hz is not positive", *rate));
      if (*rate < comtrade_min_sample_rate_hz || *rate > comtrade_max_sample_rate_hz) {
        return fail(fmt::format("sample rate {} Hz is outside {} Hz .. {} Hz", *rate,
                                comtrade_min_sample_rate_hz, comtrade_max_sample_rate_hz));
      }
      config.rates.push_back({*rate, *end});
    } else if (*rate < 0.0) {
      return fail(fmt::format("samp {} must be 0 when nrates is 0", *rate));
    }
    if (*end < 1 || *end > max_end_sample) {
      return fail(fmt::format("endsamp {} is not a sample number 1..{}", *end, max_end_sample));
    }
    if (*end <= previous_end) {
      return fail(
          fmt::format("endsamp {} does not follow the previous endsamp {}", *end, previous_end));
    }
    previous_end = *end;
  }
  config.sample_count = previous_end;
  return {};
}

Result<std::optional<CivilTime>> ConfigParser::parse_timestamp(std::string_view what,
                                                               int rev_year) {
  auto parts = fields(what, 1, 2);
  if (!parts) return parts.error();
  const bool blank = (*parts)[0].empty() && (parts->size() == 1 || (*parts)[1].empty());
  if (blank) return std::optional<CivilTime>();
  const bool us_order = rev_year == 1991;
  const std::string layout = us_order ? "mm/dd/yy,hh:mm:ss.ssssss" : "dd/mm/yyyy,hh:mm:ss.ssssss";
  const auto bad = [&](const std::string& why) {
    return fail(
        fmt::format("{}: {} ({}; expected {})", what, why, quote(lines_[next_ - 1]), layout));
  };
  if (parts->size() != 2) return bad("no time after the date");
  std::vector<std::string_view> date;
  split((*parts)[0], '/', date);
  std::vector<std::string_view> time;
  split((*parts)[1], ':', time);
  if (date.size() != 3 || time.size() != 3) return bad("malformed");
  const auto digits = [](std::string_view text, std::size_t low, std::size_t high) {
    return text.size() >= low && text.size() <= high &&
           text.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const std::string_view day_text = us_order ? date[1] : date[0];
  const std::string_view month_text = us_order ? date[0] : date[1];
  std::string_view seconds_text = time[2];
  std::string_view fraction;
  if (const std::size_t dot = seconds_text.find('.'); dot != std::string_view::npos) {
    fraction = seconds_text.substr(dot + 1);
    seconds_text = seconds_text.substr(0, dot);
  }
  if (!digits(day_text, 1, 2) || !digits(month_text, 1, 2) || !digits(date[2], 2, 4) ||
      date[2].size() == 3 || !digits(time[0], 1, 2) || !digits(time[1], 1, 2) ||
      !digits(seconds_text, 1, 2) || !digits(fraction, 0, 9)) {
    return bad("malformed");
  }
  CivilTime civil;
  civil.day = static_cast<int>(*parse_integer(day_text));
  civil.month = static_cast<int>(*parse_integer(month_text));
  civil.year = static_cast<int>(*parse_integer(date[2]));
  if (date[2].size() == 2) civil.year += civil.year < 70 ? 2000 : 1900;
  civil.hour = static_cast<int>(*parse_integer(time[0]));
  civil.minute = static_cast<int>(*parse_integer(time[1]));
  civil.second = static_cast<int>(*parse_integer(seconds_text));
  int micros = 0;
  for (std::size_t i = 0; i < 6; ++i)
    micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  civil.microsecond = micros;
  if (Status valid = validate_civil_time(civil); !valid) return bad(valid.error().message);
  return std::optional<CivilTime>(civil);
}

struct TimeCode {
  bool valid = false;
  bool not_applicable = false;  // "x"
  int minutes = 0;
};

// "-5h30", "+10", "0", "+5:30"; `allow_x` accepts "x" (not applicable).
TimeCode parse_time_code(std::string_view text, bool allow_x) {
  text = trim(text);
  if (allow_x && (text == "x" || text == "X")) return {true, true, 0};
  int sign = 1;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  std::string_view hours = text;
  std::string_view minutes;
  if (const std::size_t at = text.find_first_of("hH:"); at != std::string_view::npos) {
    hours = text.substr(0, at);
    minutes = text.substr(at + 1);
    if (minutes.size() != 2) return {};
  }
  const auto is_digits = [](std::string_view t) {
    return t.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (hours.empty() || hours.size() > 2 || !is_digits(hours) || !is_digits(minutes)) return {};
  const auto h = static_cast<int>(parse_integer(hours).value_or(0));
  const auto m = minutes.empty() ? 0 : static_cast<int>(parse_integer(minutes).value_or(0));
  if (m > 59 || h * 60 + m > max_time_code_min) return {};
  return {true, false, sign * (h * 60 + m)};
}

Status ConfigParser::parse_2013_codes(ComtradeConfig& config) {
  if (at_end()) return {};
  auto codes = fields("time_code,local_code", 2, 2);
  if (!codes) return codes.error();
  const TimeCode time_code = parse_time_code((*codes)[0], false);
  if (!time_code.valid) {
    return fail(
        fmt::format("time_code {} is not an offset like -5h30 within ±15 h", quote((*codes)[0])));
  }
  config.time_code_min = time_code.minutes;
  const TimeCode local_code = parse_time_code((*codes)[1], true);
  if (!local_code.valid) {
    return fail(fmt::format("local_code {} is not an offset like -5h30 within ±15 h, or x",
                            quote((*codes)[1])));
  }
  config.local_code_min =
      local_code.not_applicable ? std::nullopt : std::optional<int>(local_code.minutes);
  if (at_end()) return {};
  auto quality = fields("tmq_code,leapsec", 2, 2);
  if (!quality) return quality.error();
  const std::string_view tmq = (*quality)[0];
  if (tmq.size() != 1 ||
      std::string_view("0123456789ABCDEFabcdef").find(tmq[0]) == std::string_view::npos) {
    return fail(fmt::format("tmq_code {} is not one hex digit", quote(tmq)));
  }
  config.time_quality = input_detail::to_upper(tmq);
  const auto leap = parse_integer((*quality)[1]);
  if (!leap || *leap < 0 || *leap > 3) {
    return fail(fmt::format("leapsec {} is not 0..3", quote((*quality)[1])));
  }
  config.leap_seconds = static_cast<int>(*leap);
  return {};
}

Result<ComtradeConfig> ConfigParser::parse() {
  ComtradeConfig config;
  if (Status ok = parse_header(config); !ok) return ok.error();
  std::size_t analog = 0;
  std::size_t digital = 0;
  if (Status ok = parse_counts(analog, digital); !ok) return ok.error();
  for (std::size_t i = 0; i < analog; ++i) {
    if (Status ok = parse_analog(config, i); !ok) return ok.error();
  }
  for (std::size_t i = 0; i < digital; ++i) {
    if (Status ok = parse_digital(config, i); !ok) return ok.error();
  }
  if (Status ok = parse_rates(config); !ok) return ok.error();
  auto start = parse_timestamp("start time stamp", config.rev_year);
  if (!start) return start.error();
  config.start = *start;
  auto trigger = parse_timestamp("trigger time stamp", config.rev_year);
  if (!trigger) return trigger.error();
  config.trigger = *trigger;

  auto type_line = next_line("file type ft");
  if (!type_line) return type_line.error();
  const std::string_view type = trim(*type_line);
  if (iequals(type, "ASCII")) {
    config.format = ComtradeFormat::ascii;
  } else if (iequals(type, "BINARY")) {
    config.format = ComtradeFormat::binary;
  } else if (iequals(type, "BINARY32")) {
    config.format = ComtradeFormat::binary32;
  } else if (iequals(type, "FLOAT32")) {
    config.format = ComtradeFormat::float32;
  } else {
    return fail(fmt::format("file type {} is not ASCII, BINARY, BINARY32 or FLOAT32", quote(type)));
  }
  if (config.rev_year == 1991 || at_end()) return config;

  auto mult_line = next_line("timemult");
  if (!mult_line) return mult_line.error();
  const auto mult = parse_real(*mult_line);
  if (!mult || *mult <= 0.0) {
    return fail(fmt::format("timemult {} is not a positive number", quote(*mult_line)));
  }
  config.time_multiplier = *mult;
  if (config.rev_year == 2013) {
    if (Status ok = parse_2013_codes(config); !ok) return ok.error();
  }
  return config;
}

// dd/mm/yyyy,hh:mm:ss.ssssss (1991: mm/dd/yyyy, which its parser reads as well).
std::string format_timestamp(const std::optional<CivilTime>& time, int rev_year) {
  if (!time) return ",";
  const bool us_order = rev_year == 1991;
  return fmt::format("{:02}/{:02}/{:04},{:02}:{:02}:{:02}.{:06}",
                     us_order ? time->month : time->day, us_order ? time->day : time->month,
                     time->year, time->hour, time->minute, time->second, time->microsecond);
}

std::string format_time_code(int minutes) {
  const char sign = minutes < 0 ? '-' : '+';
  const int magnitude = std::abs(minutes);
  if (minutes == 0) return "0";
  if (magnitude % 60 == 0) return fmt::format("{}{}", sign, magnitude / 60);
  return fmt::format("{}{}h{:02}", sign, magnitude / 60, magnitude % 60);
}

}  // namespace

std::string_view to_string(ComtradeFormat format) {
  switch (format) {
    case ComtradeFormat::ascii:
      return "ASCII";
    case ComtradeFormat::binary:
      return "BINARY";
    case ComtradeFormat::binary32:
      return "BINARY32";
    case ComtradeFormat::float32:
      return "FLOAT32";
  }
  return "?";
}

std::size_t ComtradeConfig::record_size_bytes() const {
  if (format == ComtradeFormat::ascii) return 0;
  const std::size_t analog_bytes = format == ComtradeFormat::binary ? 2 : 4;
  return 8 + analog.size() * analog_bytes + 2 * ((digital.size() + 15) / 16);
}

std::optional<UtcMicros> ComtradeConfig::start_utc_us() const {
  if (!start) return std::nullopt;
  return utc_from_civil(*start) - time_code_min * micros_per_minute;
}

Result<ComtradeConfig> parse_comtrade_config(std::string_view text, std::string_view name) {
  if (text.size() > comtrade_max_config_bytes) {
    return make_error(fmt::format("{}: {} bytes, more than the {} accepted for a .cfg", name,
                                  text.size(), comtrade_max_config_bytes));
  }
  ConfigParser parser(text, name);
  return parser.parse();
}

std::string format_comtrade_config(const ComtradeConfig& config) {
  constexpr std::string_view eol = "\r\n";
  std::string out;
  const bool rev2013 = config.rev_year == 2013;
  out +=
      fmt::format("{},{},{}{}", config.station_name, config.recording_device, config.rev_year, eol);
  out += fmt::format("{},{}A,{}D{}", config.analog.size() + config.digital.size(),
                     config.analog.size(), config.digital.size(), eol);
  for (const ComtradeAnalogChannel& c : config.analog) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}{}", c.number, c.id, c.phase,
                       c.circuit, c.unit, c.a, c.b, c.skew_us, c.min, c.max, c.primary, c.secondary,
                       c.secondary_values ? 'S' : 'P', eol);
  }
  for (const ComtradeDigitalChannel& c : config.digital) {
    out += fmt::format("{},{},{},{},{}{}", c.number, c.id, c.phase, c.circuit, c.normal_state, eol);
  }
  out += fmt::format("{}{}", config.line_frequency_hz, eol);
  out += fmt::format("{}{}", config.rates.size(), eol);
  if (config.rates.empty()) {
    out += fmt::format("0,{}{}", config.sample_count, eol);
  } else {
    for (const ComtradeRate& rate : config.rates)
      out += fmt::format("{},{}{}", rate.rate_hz, rate.end_sample, eol);
  }
  out += format_timestamp(config.start, config.rev_year) + std::string(eol);
  out += format_timestamp(config.trigger, config.rev_year) + std::string(eol);
  out += fmt::format("{}{}", to_string(config.format), eol);
  out += fmt::format("{}{}", config.time_multiplier, eol);
  if (rev2013) {
    out += fmt::format("{},{}{}", format_time_code(config.time_code_min),
                       config.local_code_min ? format_time_code(*config.local_code_min) : "x", eol);
    out += fmt::format("{},{}{}", config.time_quality, config.leap_seconds, eol);
  }
  return out;
}

}  // namespace gridmeter::metrology
