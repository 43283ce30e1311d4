// The S0 pulse output of a simulated meter as a file of timestamps: `gridmeter sim --pulses
// FILE` writes one CSV row per pulse, its number in the meter's train and the instant of its
// rising edge to the microsecond (time base, in the meter's zone):
//
//   pulse,rise
//   0,2026-01-01T00:14:03.600000+01:00
//   1,2026-01-01T00:16:39.112403+01:00
//
//   auto log = PulseLog::open("pulses.csv", meter);   // error names the file
//   log->drain(meter, zone);                          // after each step: the new pulses
//   log->close();
#pragma once

#include <cstdint>  // std::uint64_t
#include <cstdio>   // std::FILE
#include <memory>   // std::unique_ptr
#include <string>   // std::string
#include <utility>  // std::move

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

// "2026-01-01T00:14:03.600000+01:00": an instant to the microsecond in `zone`.
std::string format_pulse_time(UtcMicros time, const TimeZone& zone);

class PulseLog {
 public:
  // Creates (or replaces) `path` and starts with the meter's next pulse.
  static Result<PulseLog> open(const std::string& path, const Meter& meter);

  // Writes the pulses put out since the last drain. An error when the file cannot be written,
  // or when pulses were overwritten in the meter's ring before they were read (drain after
  // every measurement interval, and that cannot happen).
  Status drain(const Meter& meter, const TimeZone& zone);
  Status close();

  [[nodiscard]] std::uint64_t written() const { return written_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const;
  };
  PulseLog(std::string path, std::FILE* file, std::uint64_t next)
      : path_(std::move(path)), file_(file), next_(next) {}

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t next_ = 0;
  std::uint64_t written_ = 0;
};

}  // namespace gridmeter::app
