#include "meter/load_profile.hpp"

#include <cassert>      // assert
#include <cmath>        // std::llround
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace gridmeter {
namespace {

constexpr std::array<EnergyKind, 4> profile_kinds{
    EnergyKind::active_import, EnergyKind::active_export, EnergyKind::reactive_import,
    EnergyKind::reactive_export};
constexpr std::array<std::string_view, 4> kind_labels{"A+", "A-", "R+", "R-"};

Unit kind_unit(std::size_t k) { return k < 2 ? Unit::watt_hour : Unit::var_hour; }

CaptureColumn energy_column(std::uint8_t c, std::uint8_t e, Unit unit, std::string name) {
  return CaptureColumn{.obis = Obis{1, 0, c, 8, e, 255},
                       .class_id = 3,
                       .attribute = 2,
                       .scaler = 0,
                       .unit = unit,
                       .kind = ColumnKind::integer,
                       .name = std::move(name)};
}

std::int64_t wh(const EnergyAccumulator& accumulator) {
  return static_cast<std::int64_t>(accumulator.watt_hours());
}

// OBIS C of A+ / A- for phase p (IEC 62056-6-1: 21/22 L1, 41/42 L2, 61/62 L3).
std::uint8_t phase_c(std::size_t phase, std::size_t k) {
  return static_cast<std::uint8_t>(21 + 20 * phase + k);
}

std::size_t metered_phases(Connection connection) {
  return connection == Connection::three_phase_4w    ? 3
         : connection == Connection::single_phase_2w ? 1
                                                     : 0;  // 3-wire elements are not phases
}

}  // namespace

CaptureColumn profile_status_column() {
  return CaptureColumn{.obis = Obis{0, 0, 96, 10, 1, 255},
                       .class_id = 1,
                       .attribute = 2,
                       .scaler = 0,
                       .unit = Unit::count,
                       .kind = ColumnKind::integer,
                       .name = "status"};
}

std::vector<CaptureColumn> load_profile_columns(const LoadProfileConfig& config,
                                                Connection connection) {
  std::vector<CaptureColumn> columns{profile_status_column()};
  for (std::size_t k = 0; k < profile_kinds.size(); ++k) {
    columns.push_back(energy_column(static_cast<std::uint8_t>(k + 1), 0, kind_unit(k),
                                    std::string(kind_labels[k])));
  }
  if (config.per_phase) {
    for (std::size_t p = 0; p < metered_phases(connection); ++p) {
      for (std::size_t k = 0; k < 2; ++k) {
        columns.push_back(
            energy_column(phase_c(p, k), 0, Unit::watt_hour,
                          std::string(kind_labels[k]) + " L" + std::to_string(p + 1)));
      }
    }
  }
  return columns;
}

void load_profile_row(std::uint8_t status, const EnergyRegisters& energy,
                      const LoadProfileConfig& config, Connection connection,
                      std::span<std::int64_t> out) {
  std::size_t i = 0;
  out[i++] = status;
  for (EnergyKind kind : profile_kinds)
    out[i++] = wh(energy.total[kind]);
  if (config.per_phase) {
    for (std::size_t p = 0; p < metered_phases(connection); ++p) {
      out[i++] = wh(energy.phases[p][EnergyKind::active_import]);
      out[i++] = wh(energy.phases[p][EnergyKind::active_export]);
    }
  }
  assert(i == out.size());
}

std::vector<CaptureColumn> billing_profile_columns() {
  std::vector<CaptureColumn> columns;
  columns.push_back(CaptureColumn{.obis = Obis{0, 0, 0, 1, 0, 255},
                                  .class_id = 1,
                                  .attribute = 2,
                                  .scaler = 0,
                                  .unit = Unit::count,
                                  .kind = ColumnKind::integer,
                                  .name = "billing period"});
  for (std::size_t k = 0; k < profile_kinds.size(); ++k) {
    const auto c = static_cast<std::uint8_t>(k + 1);
    columns.push_back(energy_column(c, 0, kind_unit(k), std::string(kind_labels[k])));
    for (std::uint8_t t = 1; t <= tariff_count; ++t) {
      columns.push_back(energy_column(c, t, kind_unit(k),
                                      std::string(kind_labels[k]) + " T" + std::to_string(t)));
    }
  }
  for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
    const auto c = static_cast<std::uint8_t>(k + 1);
    for (std::uint8_t t = 0; t <= tariff_count; ++t) {
      const std::string label = std::string(kind_labels[k]) + " max demand" +
                                (t == 0 ? std::string() : " T" + std::to_string(t));
      columns.push_back(CaptureColumn{.obis = Obis{1, 0, c, 6, t, 255},
                                      .class_id = 4,
                                      .attribute = 2,
                                      .scaler = 0,
                                      .unit = Unit::watt,
                                      .kind = ColumnKind::integer,
                                      .name = label});
      columns.push_back(CaptureColumn{.obis = Obis{1, 0, c, 6, t, 255},
                                      .class_id = 4,
                                      .attribute = 5,
                                      .scaler = 0,
                                      .unit = Unit::count,
                                      .kind = ColumnKind::date_time,
                                      .name = label + " time"});
    }
  }
  return columns;
}

void billing_profile_row(std::uint64_t counter, const EnergyRegisters& energy,
                         const TariffRegisters& tariffs, const DemandState& demand,
                         std::span<std::int64_t> out) {
  std::size_t i = 0;
  out[i++] = static_cast<std::int64_t>(counter);
  for (EnergyKind kind : profile_kinds) {
    out[i++] = wh(energy.total[kind]);
    for (int t = tariff_min; t <= tariff_max; ++t)
      out[i++] = wh(tariffs.at(t, kind));
  }
  for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
    for (const MaximumDemand& m : demand.maximum[k]) {
      const bool set = m.time_utc_us != 0;
      out[i++] = set ? static_cast<std::int64_t>(std::llround(m.value_w)) : null_value;
      out[i++] = set ? m.time_utc_us : null_value;
    }
  }
  assert(i == out.size());
}

std::vector<CaptureColumn> event_log_columns(const Obis& code_object) {
  return {CaptureColumn{.obis = code_object,
                        .class_id = 1,
                        .attribute = 2,
                        .scaler = 0,
                        .unit = Unit::count,
                        .kind = ColumnKind::integer,
                        .name = "event"}};
}

}  // namespace gridmeter
