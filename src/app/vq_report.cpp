#include "app/vq_report.hpp"

#include <fmt/format.h>

#include <array>        // std::array
#include <cmath>        // std::round
#include <optional>     // std::optional
#include <string_view>  // std::string_view

#include "core/date_time.hpp"

namespace gridmeter::app {
namespace {

constexpr std::int64_t week_us = 7 * micros_per_day;

nlohmann::ordered_json phases_json(std::uint8_t phases, Connection connection) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((phases & (1U << p)) != 0) list.push_back(vq_phase_name(connection, p));
  }
  return list;
}

std::string phases_text(std::uint8_t phases, Connection connection) {
  std::string text;
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((phases & (1U << p)) == 0) continue;
    if (!text.empty()) text += ",";
    text += vq_phase_name(connection, p);
  }
  return text;
}

// Percentage of `part` in `whole`; nullopt without values.
std::optional<double> share(std::uint32_t part, std::uint32_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

nlohmann::ordered_json share_json(std::optional<double> value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

// EN 50160 limits as the report checks them.
struct Check {
  std::optional<double> main;  // share inside the main limit (e.g. ±10 % for 95 %)
  std::optional<double> all;   // share inside the limit for all values (100 %), if any
  double main_required = 0.0;
  [[nodiscard]] std::optional<bool> pass() const {
    if (!main) return std::nullopt;
    return *main >= main_required && (!all || *all >= 100.0);
  }
};

nlohmann::ordered_json pass_json(std::optional<bool> pass) {
  return pass ? nlohmann::ordered_json(*pass) : nlohmann::ordered_json(nullptr);
}

struct WeekView {
  std::string_view name;
  const VqWeek* week;
};

bool three_phase(Connection connection) { return connection != Connection::single_phase_2w; }

constexpr std::array<std::string_view, vq_dip_rows> dip_rows{"90..80 %", "80..70 %", "70..40 %",
                                                             "40..5 %", "< 5 %"};
constexpr std::array<std::string_view, vq_dip_columns> dip_columns{
    "10..200 ms", "0.2..0.5 s", "0.5..1 s", "1..5 s", "5..60 s", "> 60 s"};
constexpr std::array<std::string_view, vq_swell_rows> swell_rows{"110..120 %", ">= 120 %"};
constexpr std::array<std::string_view, vq_swell_columns> swell_columns{"10..500 ms", "0.5..5 s",
                                                                       "5..60 s", "> 60 s"};

template <std::size_t Rows, std::size_t Columns, std::size_t Size>
nlohmann::ordered_json table_json(const std::array<std::string_view, Rows>& rows,
                                  const std::array<std::string_view, Columns>& columns,
                                  const std::array<std::uint32_t, Size>& counts) {
  static_assert(Rows * Columns == Size);
  nlohmann::ordered_json out;
  out["rows"] = rows;
  out["columns"] = columns;
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < Rows; ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < Columns; ++c)
      row.push_back(counts[r * Columns + c]);
    cells.push_back(row);
  }
  out["counts"] = cells;
  return out;
}

template <std::size_t Rows, std::size_t Columns, std::size_t Size>
std::string table_text(std::string_view title, const std::array<std::string_view, Rows>& rows,
                       const std::array<std::string_view, Columns>& columns,
                       const std::array<std::uint32_t, Size>& counts) {
  std::string text = fmt::format("  {:<22}", title);
  for (const std::string_view column : columns)
    text += fmt::format(" {:>11}", column);
  text += "\n";
  for (std::size_t r = 0; r < Rows; ++r) {
    text += fmt::format("  {:<22}", rows[r]);
    for (std::size_t c = 0; c < Columns; ++c)
      text += fmt::format(" {:>11}", counts[r * Columns + c]);
    text += "\n";
  }
  return text;
}

// EN 50160 clause 4.2.6 for one phase: the share of 10-minute values within the table 1 limit,
// per order, and the order that did worst (the lowest one of a tie; none when every order kept
// its limit throughout).
struct HarmonicCheck {
  std::array<std::optional<double>, voltage_harmonic_order_max + 1> share_by_order{};
  std::size_t worst_order = 0;
  Check worst;
};

HarmonicCheck harmonic_check(const VqWeek& w, std::size_t phase) {
  HarmonicCheck out;
  out.worst.main_required = 95.0;
  for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h) {
    out.share_by_order[h] = share(w.harmonic_within[phase][h], w.harmonic_values[phase]);
    if (!out.share_by_order[h]) continue;
    if (!out.worst.main || *out.share_by_order[h] < *out.worst.main) {
      out.worst.main = out.share_by_order[h];
      out.worst_order = h;
    }
  }
  if (out.worst.main && *out.worst.main >= 100.0) out.worst_order = 0;
  return out;
}

nlohmann::ordered_json week_json(const WeekView& view, const Meter& meter) {
  const VqWeek& w = *view.week;
  const Connection connection = meter.connection();
  const TimeZone& zone = meter.config().zone;
  const std::uint8_t slots = vq_phase_mask(connection);
  nlohmann::ordered_json out;
  out["week"] = view.name;
  out["start"] = w.start_utc_us == 0 ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json(format_iso8601(w.start_utc_us, zone));
  out["end"] = w.start_utc_us == 0
                   ? nlohmann::ordered_json(nullptr)
                   : nlohmann::ordered_json(format_iso8601(w.start_utc_us + week_us, zone));
  bool all_pass = true;
  bool any_checked = false;
  auto note = [&](std::optional<bool> pass) {
    if (!pass) return;
    any_checked = true;
    all_pass = all_pass && *pass;
  };
  nlohmann::ordered_json voltage = nlohmann::ordered_json::object();
  nlohmann::ordered_json thd = nlohmann::ordered_json::object();
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const Check v{share(w.voltage_within_10[p], w.voltage_values[p]),
                  share(w.voltage_within_10_15[p], w.voltage_values[p]), 95.0};
    note(v.pass());
    voltage[std::string(vq_phase_name(connection, p))] = {
        {"values", w.voltage_values[p]},
        {"within_10_percent", share_json(v.main)},
        {"within_plus10_minus15_percent", share_json(v.all)},
        {"pass", pass_json(v.pass())}};
    const Check t{share(w.thd_within[p], w.thd_values[p]), std::nullopt, 95.0};
    note(t.pass());
    thd[std::string(vq_phase_name(connection, p))] = {{"values", w.thd_values[p]},
                                                      {"within_8_percent", share_json(t.main)},
                                                      {"pass", pass_json(t.pass())}};
  }
  out["supply_voltage"] = {{"phases", voltage}, {"flagged_values", w.voltage_flagged}};
  const Check f{share(w.frequency_within_1, w.frequency_values),
                share(w.frequency_within_4_6, w.frequency_values), 99.5};
  note(f.pass());
  out["frequency"] = {{"values", w.frequency_values},
                      {"within_1_percent", share_json(f.main)},
                      {"within_plus4_minus6_percent", share_json(f.all)},
                      {"flagged_values", w.frequency_flagged},
                      {"pass", pass_json(f.pass())}};
  out["thd"] = thd;
  nlohmann::ordered_json harmonics = nlohmann::ordered_json::object();
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const HarmonicCheck check = harmonic_check(w, p);
    note(check.worst.pass());
    nlohmann::ordered_json orders = nlohmann::ordered_json::array();
    for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h) {
      orders.push_back({{"order", h},
                        {"limit_percent", en50160_harmonic_limit_percent(h)},
                        {"within_limit_percent", share_json(check.share_by_order[h])}});
    }
    harmonics[std::string(vq_phase_name(connection, p))] = {
        {"values", w.harmonic_values[p]},
        {"orders", orders},
        {"worst_order", check.worst_order == 0 ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(check.worst_order)},
        {"pass", pass_json(check.worst.pass())}};
  }
  out["harmonics"] = harmonics;
  if (three_phase(connection)) {
    const Check u{share(w.unbalance_within, w.unbalance_values), std::nullopt, 95.0};
    note(u.pass());
    out["unbalance"] = {{"values", w.unbalance_values},
                        {"within_2_percent", share_json(u.main)},
                        {"pass", pass_json(u.pass())}};
  }
  const auto& e = w.events;
  auto at = [&e](VqEventType type) { return e[static_cast<std::size_t>(type)]; };
  out["events"] = {{"dips", at(VqEventType::dip)},
                   {"swells", at(VqEventType::swell)},
                   {"short_interruptions", at(VqEventType::interruption) - w.long_interruptions},
                   {"long_interruptions", w.long_interruptions},
                   {"rvcs", at(VqEventType::rvc)},
                   {"overvoltages", at(VqEventType::overvoltage)},
                   {"undervoltages", at(VqEventType::undervoltage)},
                   {"phase_failures", at(VqEventType::phase_failure)}};
  // EN 50160 clause 4.3: dips by residual voltage and duration, swells by peak and duration.
  out["dip_table"] = table_json(dip_rows, dip_columns, w.dip_table);
  out["swell_table"] = table_json(swell_rows, swell_columns, w.swell_table);
  out["pass"] = any_checked ? nlohmann::ordered_json(all_pass) : nlohmann::ordered_json(nullptr);
  return out;
}

std::string percent_text(std::optional<double> value) {
  return value ? fmt::format("{:.2f} %", *value) : std::string("-");
}

std::string pass_text(std::optional<bool> pass) {
  if (!pass) return "-";
  return *pass ? "pass" : "FAIL";
}

std::string week_table(const WeekView& view, const Meter& meter) {
  const VqWeek& w = *view.week;
  const Connection connection = meter.connection();
  const TimeZone& zone = meter.config().zone;
  const std::uint8_t slots = vq_phase_mask(connection);
  std::string text = fmt::format("{} week {}\n", view.name,
                                 w.start_utc_us == 0
                                     ? std::string("(none)")
                                     : fmt::format("{} to {}", format_iso8601(w.start_utc_us, zone),
                                                   format_iso8601(w.start_utc_us + week_us, zone)));
  text += fmt::format("  {:<34} {:>8} {:>12} {:>12}  {}\n", "quantity (EN 50160 limit)", "values",
                      "main limit", "all values", "result");
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const Check v{share(w.voltage_within_10[p], w.voltage_values[p]),
                  share(w.voltage_within_10_15[p], w.voltage_values[p]), 95.0};
    text += fmt::format(
        "  {:<34} {:>8} {:>12} {:>12}  {}\n",
        fmt::format("voltage {} (±10 % 95 %, +10/-15 %)", vq_phase_name(connection, p)),
        w.voltage_values[p], percent_text(v.main), percent_text(v.all), pass_text(v.pass()));
  }
  const Check f{share(w.frequency_within_1, w.frequency_values),
                share(w.frequency_within_4_6, w.frequency_values), 99.5};
  text += fmt::format("  {:<34} {:>8} {:>12} {:>12}  {}\n", "frequency (±1 % 99.5 %, +4/-6 %)",
                      w.frequency_values, percent_text(f.main), percent_text(f.all),
                      pass_text(f.pass()));
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const Check t{share(w.thd_within[p], w.thd_values[p]), std::nullopt, 95.0};
    text += fmt::format("  {:<34} {:>8} {:>12} {:>12}  {}\n",
                        fmt::format("THD {} (<= 8 % 95 %)", vq_phase_name(connection, p)),
                        w.thd_values[p], percent_text(t.main), "", pass_text(t.pass()));
  }
  if (three_phase(connection)) {
    const Check u{share(w.unbalance_within, w.unbalance_values), std::nullopt, 95.0};
    text += fmt::format("  {:<34} {:>8} {:>12} {:>12}  {}\n", "unbalance u2 (<= 2 % 95 %)",
                        w.unbalance_values, percent_text(u.main), "", pass_text(u.pass()));
  }
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const HarmonicCheck check = harmonic_check(w, p);
    text += fmt::format(
        "  {:<34} {:>8} {:>12} {:>12}  {}\n",
        fmt::format("harmonics {} (table 1, 95 %)", vq_phase_name(connection, p)),
        w.harmonic_values[p], percent_text(check.worst.main),
        check.worst_order == 0 ? std::string() : fmt::format("worst h{}", check.worst_order),
        pass_text(check.worst.pass()));
  }
  text += fmt::format("  flagged values excluded: {} of 10 minutes, {} of 10 s\n",
                      w.voltage_flagged, w.frequency_flagged);
  const auto& e = w.events;
  auto at = [&e](VqEventType type) { return e[static_cast<std::size_t>(type)]; };
  text += fmt::format(
      "  events: {} dips, {} swells, {} short and {} long interruptions, {} RVCs, "
      "{} overvoltages, {} undervoltages, {} phase failures\n",
      at(VqEventType::dip), at(VqEventType::swell),
      at(VqEventType::interruption) - w.long_interruptions, w.long_interruptions,
      at(VqEventType::rvc), at(VqEventType::overvoltage), at(VqEventType::undervoltage),
      at(VqEventType::phase_failure));
  text += table_text("dips: residual \\ time", dip_rows, dip_columns, w.dip_table);
  text += table_text("swells: peak \\ time", swell_rows, swell_columns, w.swell_table);
  return text;
}

nlohmann::ordered_json counters_json(const Meter& meter) {
  const VqCounters& c = meter.state().voltage_quality.counters;
  const Connection connection = meter.connection();
  const TimeZone& zone = meter.config().zone;
  nlohmann::ordered_json phases = nlohmann::ordered_json::object();
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((vq_phase_mask(connection) & (1U << p)) == 0) continue;
    phases[std::string(vq_phase_name(connection, p))] = {
        {"dips", c.dips[p]},
        {"dip_duration_s", static_cast<double>(c.dip_duration_ms[p]) / 1000.0},
        {"swells", c.swells[p]},
        {"swell_duration_s", static_cast<double>(c.swell_duration_ms[p]) / 1000.0},
        {"short_interruptions", c.short_interruptions[p]},
        {"long_interruptions", c.long_interruptions[p]},
        {"interruption_duration_s", static_cast<double>(c.interruption_duration_ms[p]) / 1000.0},
        {"rvcs", c.rvcs[p]},
        {"last_power_failure",
         c.last_failure_utc_us[p] == 0
             ? nlohmann::ordered_json(nullptr)
             : nlohmann::ordered_json(format_iso8601(c.last_failure_utc_us[p], zone))}};
  }
  return {{"phases", phases},
          {"dips", c.dips_total},
          {"swells", c.swells_total},
          {"short_interruptions", c.short_interruptions_total},
          {"long_interruptions", c.long_interruptions_total},
          {"rvcs", c.rvcs_total},
          {"overvoltages", c.overvoltages},
          {"undervoltages", c.undervoltages},
          {"phase_failures", c.phase_failures},
          {"power_failures_any_phase", c.power_failures},
          {"long_power_failures", c.long_power_failures}};
}

}  // namespace

VqEventCollector::VqEventCollector(const Meter& meter)
    : seen_(meter.state().voltage_quality_log.pushed_total()) {}

void VqEventCollector::collect(const Meter& meter) {
  const Profile& log = meter.state().voltage_quality_log;
  if (log.pushed_total() == seen_) return;
  std::uint64_t from = seen_;
  if (from < log.first_sequence()) {
    missed_ += log.first_sequence() - from;
    from = log.first_sequence();
  }
  for (std::uint64_t seq = from; seq < log.pushed_total(); ++seq) {
    if (auto event = vq_event_from_entry(log.at_sequence(seq))) events_.push_back(*event);
  }
  seen_ = log.pushed_total();
}

nlohmann::ordered_json event_json(const VqEvent& event, const Meter& meter) {
  const Connection connection = meter.connection();
  nlohmann::ordered_json out;
  out["type"] = vq_event_type_name(event.type);
  out["phases"] = phases_json(event.phases, connection);
  out["start"] = format_iso8601(event.start_utc_us, meter.config().zone);
  out["duration_s"] = static_cast<double>(event.duration_us()) / 1e6;
  // Volts to the 10 mV the log keeps.
  auto centivolts = [](double volts) { return std::round(volts * 100.0) / 100.0; };
  out["extreme_V"] = centivolts(event.extreme_v);
  if (event.type == VqEventType::rvc) out["delta_ss_V"] = centivolts(event.delta_ss_v);
  if (event.type == VqEventType::overvoltage || event.type == VqEventType::undervoltage ||
      event.type == VqEventType::interruption) {
    out["level"] = event.level;
  }
  return out;
}

nlohmann::ordered_json events_json(const std::vector<VqEvent>& events, const Meter& meter) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const VqEvent& event : events)
    list.push_back(event_json(event, meter));
  return list;
}

std::string events_table(const std::vector<VqEvent>& events, const Meter& meter) {
  if (events.empty()) return "voltage quality events: none\n";
  std::string text =
      fmt::format("voltage quality events ({})\n  {:<14} {:<10} {:<31} {:>12} {:>10}\n",
                  events.size(), "type", "phases", "start", "duration s", "extreme V");
  for (const VqEvent& event : events) {
    text +=
        fmt::format("  {:<14} {:<10} {:<31} {:>12.3f} {:>10.2f}\n", vq_event_type_name(event.type),
                    phases_text(event.phases, meter.connection()),
                    format_iso8601(event.start_utc_us, meter.config().zone),
                    static_cast<double>(event.duration_us()) / 1e6, event.extreme_v);
  }
  return text;
}

nlohmann::ordered_json pq_report_json(const Meter& meter) {
  const VoltageQualityState& vq = meter.state().voltage_quality;
  nlohmann::ordered_json out;
  out["declared_voltage_V"] =
      vq_reference_voltage(meter.config().voltage_quality, meter.connection());
  out["nominal_frequency_Hz"] = vq.aggregation.nominal_frequency_hz;
  out["weeks"] = nlohmann::ordered_json::array(
      {week_json({"last", &vq.last_week}, meter), week_json({"running", &vq.running_week}, meter)});
  out["counters"] = counters_json(meter);
  return out;
}

std::string pq_report_table(const Meter& meter) {
  const VoltageQualityState& vq = meter.state().voltage_quality;
  std::string text =
      fmt::format("EN 50160 compliance report (Udin {} V, {} Hz)\n",
                  vq_reference_voltage(meter.config().voltage_quality, meter.connection()),
                  vq.aggregation.nominal_frequency_hz);
  text += week_table({"last", &vq.last_week}, meter);
  text += week_table({"running", &vq.running_week}, meter);
  const VqCounters& c = meter.state().voltage_quality.counters;
  text += fmt::format(
      "counters: {} dips, {} swells, {} short and {} long interruptions, {} RVCs, "
      "{} power failures in any phase ({} long)\n",
      c.dips_total, c.swells_total, c.short_interruptions_total, c.long_interruptions_total,
      c.rvcs_total, c.power_failures, c.long_power_failures);
  return text;
}

}  // namespace gridmeter::app
