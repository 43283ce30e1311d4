// Analysis log: up to 24 values from a catalogue of more than 80 quantities, captured at the
// end of each 5/10/15/30/60-minute interval of the meter clock (the datasheet's "analysis
// log"; a Profile generic, IEC 62056-6-2 clause 4.3.6, at 1-0:99.1.1.255).
//
//   std::vector<std::string> ids{"u_l1_avg", "p_total_avg", "i_l1_max"};  // or OBIS codes
//   auto selection = resolve_analysis_values(ids);   // an error names an unknown id
//   AnalysisAggregator aggregator(*selection);
//   aggregator.add(measurement);                     // every measurement interval (or part)
//   aggregator.capture(energy, row);                 // at the interval's end
//   aggregator.reset();                              // start the next interval
//
// Kinds of quantity, per phase L1..L3 and total where it exists:
//   instantaneous (the last measurement of the interval: value group D = 7),
//   interval average (time-weighted mean over the interval: D = 25),
//   minimum and maximum of U and I over the interval (D = 3 and D = 6),
//   cumulative energies at the capture (D = 8).
// The average power factor is the interval's active energy over its apparent energy (PF
// weighted by S as well as time), the figure billing uses, not the plain mean of PF.
// Values are scaled integers (CaptureColumn scaler/unit), rounded to nearest; a quantity with
// no measurement in the interval is null_value, never a made-up number. docs/analysis-log.md
// lists the catalogue and why each OBIS code was chosen.
//
// A phase the connection does not have reads what the measurement holds in its slot: 0 (and
// power factor 1, the PhaseMeasurement default) for L2 and L3 of a single-phase meter and for
// L2 of a 3-wire meter, whose L1 and L3 slots hold the two Aron elements (U12/I1, U32/I3).
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "meter/energy_registers.hpp"
#include "meter/measurement.hpp"
#include "meter/profile.hpp"

namespace gridmeter {

enum class AnalysisKind : std::uint8_t { instantaneous, average, minimum, maximum, energy };

struct AnalysisQuantity {
  std::string_view id;           // "u_l1_avg": the name configs use
  std::string_view description;  // "voltage L1, interval average"
  AnalysisKind kind = AnalysisKind::instantaneous;
  CaptureColumn column;  // OBIS, unit, scaler of the captured value
};

// The whole catalogue, in a fixed order (ids unique, more than 80 entries).
std::span<const AnalysisQuantity> analysis_catalogue();

// Indexes into analysis_catalogue() for ids (or OBIS codes in full or short form), in their
// order; at most analysis_value_count_max (24), no quantity twice. Each error names the
// offending value: `analysis log: unknown value "u_l4" (see docs/analysis-log.md)`.
Result<std::vector<std::size_t>> resolve_analysis_values(std::span<const std::string> ids);

// The catalogue index of an id or OBIS code (in any form parse_obis reads), or nothing.
std::optional<std::size_t> find_analysis_quantity(std::string_view id);

// The value of the instantaneous quantity analysis_catalogue()[index] in one measurement, in
// its unit, not scaled (what the analysis log captures before scaling). The register monitors
// watch these.
double instantaneous_value(std::size_t index, const Measurement& measurement);

// Running statistics of the selected quantities over one capture interval. Its state is plain
// numbers (sums, minima, maxima) that the store persists, so a restart continues the interval.
class AnalysisAggregator {
 public:
  AnalysisAggregator() = default;
  explicit AnalysisAggregator(std::vector<std::size_t> selection);

  [[nodiscard]] const std::vector<std::size_t>& selection() const { return selection_; }
  // The columns of the log (after the status word), one per selected quantity.
  [[nodiscard]] std::vector<CaptureColumn> columns() const;

  // One measurement interval (or a part of one, split at a capture boundary): weighted by its
  // duration. A part of no duration is ignored (it carries no time to weight). No allocation.
  void add(const Measurement& measurement);
  // Writes one value per selected quantity to `out` (selection().size() elements): averages,
  // minima and maxima of what add() saw since reset(), instantaneous values of the last
  // add() (null_value for all of these without one), energies from `energy`.
  void capture(const EnergyRegisters& energy, std::span<std::int64_t> out) const;
  void reset();
  // Whether add() saw a measurement (of some duration) since reset().
  [[nodiscard]] bool has_data() const { return weight_us_ > 0; }

  // The running statistics as numbers, for the store (and back). With n selected quantities,
  // 2 + 6n numbers:
  //   [0]            n
  //   [1, n]         the selection (catalogue indices), so a state is never restored into
  //                  another selection
  //   [n + 1]        weight_us (µs added since reset)
  //   then n each:   sums, apparent sums, minima, maxima, latest values (in selection order)
  // restore() refuses a vector of another size, for another selection or holding a negative
  // weight or a non-finite number, and then leaves the state unchanged.
  [[nodiscard]] std::vector<double> save() const;
  Status restore(std::span<const double> saved);

  friend bool operator==(const AnalysisAggregator&, const AnalysisAggregator&) = default;

 private:
  std::vector<std::size_t> selection_;
  // Per selected quantity; each kind uses only its own vectors, the others stay 0.
  std::vector<double> sums_;  // averages: Σ value × µs (power factor: Σ PF × S × µs)
  std::vector<double> apparent_sums_;  // power factor averages: Σ S × µs
  std::vector<double> minima_;
  std::vector<double> maxima_;
  std::vector<double> latest_;  // instantaneous values of the last add()
  double weight_us_ = 0.0;
};

inline constexpr Obis analysis_log_obis{1, 0, 99, 1, 1, 255};

}  // namespace gridmeter
