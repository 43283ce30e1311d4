// COMTRADE (IEEE Std C37.111-1991, -1999, -2013) recordings as a SampleSource, and a writer.
//
//   Result<std::unique_ptr<ComtradeReader>> reader = open_comtrade("fault.cfg");   // + fault.dat
//   if (!reader) { fmt::print(stderr, "{}\n", reader.error().message); return 1; }
//   SampleBuffer buffer(4096);
//   while (true) {
//     Result<std::size_t> got = (*reader)->read(buffer);   // volts and amperes, primary side
//     if (!got || *got == 0) break;
//   }
//
//   Status saved = write_comtrade("out.cfg", generator, ComtradeFormat::float32);  // + out.dat
//
// Reading: the .cfg gives the channels, scaling (a·x+b, then primary/secondary ratio when PS is
// 'S', then kV/kA/mV/mA to V/A), the sample rate (one rate, or several equal ones; nrates = 0
// derives it from the time stamps × timemult), the start time (file time minus the 2013
// time_code, i.e. UTC when time_code is 0) and the .dat format (ASCII, BINARY, BINARY32,
// FLOAT32). Channels go to slots by phase and unit (see infer_channel_map) or by an explicit
// ChannelMap whose source index is the 0-based analog channel position. The .dat is streamed in
// chunks. A 2013 single-file .cff (CFG, INF, HDR and DAT sections) reads the same way. Missing
// values (0x8000, 0x80000000, an empty ASCII field, 99999 in 1991 ASCII) read as 0 and are
// counted. Skew is ignored. Errors name the file and its line or byte offset.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint8_t
#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "meter/measurement.hpp"
#include "metrology/input/channel_map.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

enum class ComtradeFormat { ascii, binary, binary32, float32 };

// "ASCII", "BINARY", "BINARY32", "FLOAT32".
std::string_view to_string(ComtradeFormat format);

struct ComtradeAnalogChannel {
  std::int64_t number = 0;  // An
  std::string id;           // ch_id
  std::string phase;        // ph
  std::string circuit;      // ccbm
  std::string unit;         // uu
  double a = 1.0;
  double b = 0.0;
  double skew_us = 0.0;
  double min = 0.0;
  double max = 0.0;
  double primary = 1.0;
  double secondary = 1.0;
  bool secondary_values = false;  // PS = 'S': a·x+b is a secondary value
};

struct ComtradeDigitalChannel {
  std::int64_t number = 0;  // Dn
  std::string id;
  std::string phase;
  std::string circuit;
  int normal_state = 0;  // y
};

struct ComtradeRate {
  double rate_hz = 0.0;         // samp
  std::int64_t end_sample = 0;  // endsamp
};

struct ComtradeConfig {
  std::string station_name;
  std::string recording_device;
  int rev_year = 1999;  // 1991 when the first line has no revision
  std::vector<ComtradeAnalogChannel> analog;
  std::vector<ComtradeDigitalChannel> digital;
  double line_frequency_hz = 50.0;  // lf; 0 when the file gives 0
  std::vector<ComtradeRate> rates;  // empty when nrates = 0
  std::int64_t sample_count = 0;    // the last endsamp
  std::optional<CivilTime> start;   // first data point, in the file's time (time_code)
  std::optional<CivilTime> trigger;
  ComtradeFormat format = ComtradeFormat::ascii;
  double time_multiplier = 1.0;       // timemult: time stamp unit in µs
  int time_code_min = 0;              // file time minus UTC, minutes (2013 time_code)
  std::optional<int> local_code_min;  // recorder local time minus UTC; none for "x"
  std::string time_quality = "0";     // tmq_code, one hex digit
  int leap_seconds = 0;               // leapsec 0..3

  // 8 bytes of n and time stamp, 2 (BINARY) or 4 bytes per analog value, 2 bytes per 16 digital
  // channels; 0 for ASCII.
  [[nodiscard]] std::size_t record_size_bytes() const;
  // The start time in UTC; nothing when the file has no start time stamp.
  [[nodiscard]] std::optional<UtcMicros> start_utc_us() const;
};

// Limits parse_comtrade_config enforces (so a hostile file cannot demand unbounded memory).
inline constexpr std::size_t comtrade_max_analog_channels = 1024;
inline constexpr std::size_t comtrade_max_digital_channels = 8192;
inline constexpr std::size_t comtrade_max_rates = 256;
inline constexpr double comtrade_min_sample_rate_hz = 100.0;
inline constexpr double comtrade_max_sample_rate_hz = 1'000'000.0;
inline constexpr std::size_t comtrade_max_config_bytes = 16 * 1024 * 1024;

// Parses .cfg text; `name` (e.g. the file name) starts every error message, with the line
// number. Checks: TT = ##A + ##D, field counts and numbers on every channel line, sample
// rates within 100 Hz .. 1 MHz, endsamp increasing and at least 1, valid dates and times
// (dd/mm/yyyy; 1991: mm/dd/yy), a known file type, timemult > 0, time codes within ±15 h.
Result<ComtradeConfig> parse_comtrade_config(std::string_view text, std::string_view name);

// .cfg text for `config` (CR LF line ends) in the 1999 layout, plus the time code lines for
// rev_year 2013 (1991: the same lines, dates as mm/dd/yyyy); parse_comtrade_config reads it back.
std::string format_comtrade_config(const ComtradeConfig& config);

struct ComtradeOptions {
  std::optional<Connection> connection;        // else inferred
  std::optional<ChannelMap> channel_map;       // else from the channels' ph, ch_id and unit
  std::vector<double> scale_factors;           // per analog channel, times the primary value
  std::optional<double> nominal_frequency_hz;  // else lf (50 Hz when lf is 0)
  std::optional<UtcMicros> start_utc_us;       // else from the cfg (0 when it has none)
};

class ComtradeReader : public SampleSource {
 public:
  [[nodiscard]] virtual const ComtradeConfig& config() const = 0;
  [[nodiscard]] virtual const ChannelMap& channel_map() const = 0;
  // Missing values met so far in mapped channels (each read as 0).
  [[nodiscard]] virtual std::int64_t missing_value_count() const = 0;
};

// `path` ends in .cfg (the .dat beside it: same stem, ".dat" or ".DAT") or .cff.
Result<std::unique_ptr<ComtradeReader>> open_comtrade(const std::string& path,
                                                      const ComtradeOptions& options = {});
// The same from memory: the .cfg text and the .dat bytes; `name` names both in errors.
Result<std::unique_ptr<ComtradeReader>> open_comtrade_memory(std::string_view cfg_text,
                                                             std::vector<std::uint8_t> dat_bytes,
                                                             std::string name,
                                                             const ComtradeOptions& options = {});
// A .cff file's bytes from memory.
Result<std::unique_ptr<ComtradeReader>> open_comtrade_cff_memory(
    std::vector<std::uint8_t> bytes, std::string name, const ComtradeOptions& options = {});

// Writes all of `source` as `cfg_path` (must end in .cfg) and the .dat beside it, with one
// analog channel per slot of the source's connection (u1, i1 / u1..u3, i1..i3 / U12, U32, i1,
// i2, i3; plus in when the source has a neutral current, except for 3p3w), in V and A, primary
// values, phase names the reader maps back to the same slots. FLOAT32 stores the floats exactly;
// ASCII (±99999), BINARY (±32767) and BINARY32 (±2147483647) choose a and b per channel from the
// data range, so a value comes back within a/2. rev_year 1999 allows ASCII and BINARY only. Pass
// one stores the samples in a temporary file beside the .dat; the .cfg is written last.
Status write_comtrade(const std::string& cfg_path, SampleSource& source,
                      ComtradeFormat format = ComtradeFormat::binary32, int rev_year = 2013);

}  // namespace gridmeter::metrology
