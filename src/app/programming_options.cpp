#include "app/programming_options.hpp"

#include <fmt/format.h>

#include "config/meter_config_file.hpp"

namespace gridmeter::app {

Result<Programming> load_programming(const ProgrammingOptions& options) {
  Programming programming;
  if (options.config_path) {
    auto config = config::load_meter_config(*options.config_path);
    if (!config) return config.error();
    programming.effective_zone = config->zone;
    programming.config = std::move(*config);
  }
  if (options.time_zone) {
    auto zone = parse_time_zone(*options.time_zone);
    if (!zone) return make_error(fmt::format("--time-zone: {}", zone.error().message));
    programming.zone = *zone;
    programming.effective_zone = *zone;
  }
  return programming;
}

}  // namespace gridmeter::app
