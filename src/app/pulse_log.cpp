#include "app/pulse_log.hpp"

#include <fmt/format.h>

#include <cerrno>   // errno
#include <cstring>  // std::strerror

#include "core/civil_time.hpp"

namespace gridmeter::app {

std::string format_pulse_time(UtcMicros time, const TimeZone& zone) {
  const int offset_min = zone.offset_min(time);
  const CivilTime local = civil_from_utc(time + offset_min * micros_per_minute);
  const int magnitude = offset_min < 0 ? -offset_min : offset_min;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}{}{:02}:{:02}", local.year,
                     local.month, local.day, local.hour, local.minute, local.second,
                     local.microsecond, offset_min < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

void PulseLog::FileCloser::operator()(std::FILE* file) const {
  if (file != nullptr) std::fclose(file);
}

Result<PulseLog> PulseLog::open(const std::string& path, const Meter& meter) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    return make_error(fmt::format("--pulses: cannot write '{}': {}", path, std::strerror(errno)));
  }
  PulseLog log(path, file, meter.pulse_edges().end());
  if (std::fputs("pulse,rise\n", file) < 0) {
    return make_error(fmt::format("--pulses: cannot write '{}'", path));
  }
  return log;
}

Status PulseLog::drain(const Meter& meter, const TimeZone& zone) {
  const PulseEdgeRing& ring = meter.pulse_edges();
  if (next_ < ring.begin()) {
    return make_error(fmt::format("--pulses: {} pulses were lost before they were written",
                                  ring.begin() - next_));
  }
  for (; next_ < ring.end(); ++next_) {
    const std::string row =
        fmt::format("{},{}\n", next_, format_pulse_time(ring.rise(next_), zone));
    if (std::fputs(row.c_str(), file_.get()) < 0) {
      return make_error(fmt::format("--pulses: cannot write '{}'", path_));
    }
    ++written_;
  }
  return {};
}

Status PulseLog::close() {
  std::FILE* file = file_.release();
  if (file != nullptr && std::fclose(file) != 0) {
    return make_error(fmt::format("--pulses: cannot write '{}': {}", path_, std::strerror(errno)));
  }
  return {};
}

}  // namespace gridmeter::app
