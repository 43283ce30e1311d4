#include "app/progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace gridmeter::app {

ProgressBar::ProgressBar(UtcMicros start, UtcMicros end, const TimeZone& zone)
    : start_(start),
      end_(end),
      zone_(zone),
      enabled_(isatty(STDERR_FILENO) == 1),
      wall_start_(std::chrono::steady_clock::now()),
      last_draw_(wall_start_) {}

void ProgressBar::update(UtcMicros now) {
  if (!enabled_) return;
  const auto wall = std::chrono::steady_clock::now();
  if (wall - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = wall;
  const double span = static_cast<double>(end_ - start_);
  const double fraction = span > 0 ? static_cast<double>(now - start_) / span : 1.0;
  const double wall_s = std::chrono::duration<double>(wall - wall_start_).count();
  const double days_per_s =
      wall_s > 0 ? static_cast<double>(now - start_) / static_cast<double>(micros_per_day) / wall_s
                 : 0.0;
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                          std::string(static_cast<std::size_t>(width - filled), '.');
  const std::string date = format_iso8601(now, zone_).substr(0, 16);
  fmt::print(stderr, "\r[{}] {:5.1f}%  {}  {:.1f} days/s ", bar, fraction * 100.0, date,
             days_per_s);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  fmt::print(stderr, "\r{:80}\r", "");
  std::fflush(stderr);
}

}  // namespace gridmeter::app
