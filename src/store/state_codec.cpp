#include "store/state_codec.hpp"

#include <bit>  // std::bit_cast

namespace gridmeter::store {
namespace {

class Writer {
 public:
  void word(std::uint64_t value) { words_.push_back(value); }
  void real(double value) { words_.push_back(std::bit_cast<std::uint64_t>(value)); }
  void time(std::int64_t value) { words_.push_back(std::bit_cast<std::uint64_t>(value)); }
  std::vector<std::uint64_t> take() { return std::move(words_); }

 private:
  std::vector<std::uint64_t> words_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint64_t> words) : words_(words) {}
  std::uint64_t word() { return words_[at_++]; }
  double real() { return std::bit_cast<double>(words_[at_++]); }
  std::int64_t time() { return std::bit_cast<std::int64_t>(words_[at_++]); }

 private:
  std::span<const std::uint64_t> words_;
  std::size_t at_ = 0;
};

constexpr std::size_t demand_word_count =
    demand_kind_count * 2 + demand_kind_count * demand_sub_periods_max + 2 + demand_kind_count + 1 +
    max_demand_kind_count * (tariff_count + 1) * 2 + max_demand_kind_count;

}  // namespace

std::vector<std::uint64_t> encode_demand(const DemandState& demand) {
  Writer out;
  for (const EnergyAccumulator& start : demand.sub_period_start) {
    out.word(start.high_word());
    out.word(start.low_word());
  }
  for (const auto& window : demand.window_wh) {
    for (double wh : window)
      out.real(wh);
  }
  out.word(demand.filled);
  out.time(demand.sub_period_start_utc_us);
  for (double w : demand.last_average_w)
    out.real(w);
  out.time(demand.last_average_utc_us);
  for (const auto& kind : demand.maximum) {
    for (const MaximumDemand& m : kind) {
      out.real(m.value_w);
      out.time(m.time_utc_us);
    }
  }
  for (double w : demand.cumulative_maximum_w)
    out.real(w);
  return out.take();
}

Status decode_demand(std::span<const std::uint64_t> words, DemandState& demand) {
  if (words.size() != demand_word_count) {
    return make_error("demand registers: " + std::to_string(words.size()) + " words, expected " +
                      std::to_string(demand_word_count));
  }
  DemandState decoded;
  Reader in(words);
  for (EnergyAccumulator& start : decoded.sub_period_start) {
    const std::uint64_t high = in.word();
    start = EnergyAccumulator::from_words(high, in.word());
  }
  for (auto& window : decoded.window_wh) {
    for (double& wh : window)
      wh = in.real();
  }
  decoded.filled = static_cast<std::size_t>(in.word());
  if (decoded.filled > demand_sub_periods_max) return make_error("demand registers: bad window");
  decoded.sub_period_start_utc_us = in.time();
  for (double& w : decoded.last_average_w)
    w = in.real();
  decoded.last_average_utc_us = in.time();
  for (auto& kind : decoded.maximum) {
    for (MaximumDemand& m : kind) {
      m.value_w = in.real();
      m.time_utc_us = in.time();
    }
  }
  for (double& w : decoded.cumulative_maximum_w)
    w = in.real();
  demand = decoded;
  return {};
}

std::vector<std::uint64_t> encode_doubles(std::span<const double> values) {
  std::vector<std::uint64_t> words;
  words.reserve(values.size());
  for (double value : values)
    words.push_back(std::bit_cast<std::uint64_t>(value));
  return words;
}

std::vector<double> decode_doubles(std::span<const std::uint64_t> words) {
  std::vector<double> values;
  values.reserve(words.size());
  for (std::uint64_t word : words)
    values.push_back(std::bit_cast<double>(word));
  return values;
}

}  // namespace gridmeter::store
