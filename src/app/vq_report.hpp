// How the commands print the voltage-quality registration: the events of a run (the JSON list
// `events`) and the EN 50160 weekly compliance report (--pq-report; docs/cli.md).
//
//   VqEventCollector events(meter);          // remembers where the log stands
//   ... meter.advance(m); events.collect(meter); ...
//   document["events"] = events_json(events.events(), meter);
//   document["pq_report"] = pq_report_json(meter);
//   fmt::print("{}", pq_report_table(meter));
#pragma once

#include <cstdint>  // std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include <nlohmann/json.hpp>

#include "meter/meter.hpp"

namespace gridmeter::app {

// The voltage-quality events a meter logs from now on. collect() after every step: the log
// holds 400 entries, so events are read before the ring can overwrite them.
class VqEventCollector {
 public:
  explicit VqEventCollector(const Meter& meter);
  void collect(const Meter& meter);
  [[nodiscard]] const std::vector<VqEvent>& events() const { return events_; }
  // Events the ring overwrote before they were collected (0 when collect() ran often enough).
  [[nodiscard]] std::uint64_t missed() const { return missed_; }

 private:
  std::uint64_t seen_ = 0;  // pushed_total of the log at the last collect
  std::uint64_t missed_ = 0;
  std::vector<VqEvent> events_;
};

// {"type", "phases", "start", "duration_s", "extreme_V"} (and "delta_ss_V" for an RVC, "level"
// for over- and undervoltage and interruptions).
nlohmann::ordered_json event_json(const VqEvent& event, const Meter& meter);
nlohmann::ordered_json events_json(const std::vector<VqEvent>& events, const Meter& meter);
std::string events_table(const std::vector<VqEvent>& events, const Meter& meter);

// The EN 50160 report for the last complete week and the running one, and the counters.
nlohmann::ordered_json pq_report_json(const Meter& meter);
std::string pq_report_table(const Meter& meter);

}  // namespace gridmeter::app
