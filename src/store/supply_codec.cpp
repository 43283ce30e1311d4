#include "store/supply_codec.hpp"

#include <bit>          // std::bit_cast
#include <limits>       // std::numeric_limits
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace gridmeter::store {
namespace {

class Writer {
 public:
  void word(std::uint64_t value) { words_.push_back(value); }
  void signed_word(std::int64_t value) { words_.push_back(std::bit_cast<std::uint64_t>(value)); }
  void flag(bool value) { words_.push_back(value ? 1 : 0); }
  template <std::size_t N>
  void flags(const std::array<bool, N>& values) {
    for (const bool value : values)
      flag(value);
  }
  std::vector<std::uint64_t> take() { return std::move(words_); }

 private:
  std::vector<std::uint64_t> words_;
};

// Reads the words in order; the first value out of its range is remembered as the error.
class Reader {
 public:
  explicit Reader(std::span<const std::uint64_t> words) : words_(words) {}
  std::uint64_t word() { return words_[at_++]; }
  std::int64_t signed_word() { return std::bit_cast<std::int64_t>(words_[at_++]); }
  std::uint64_t bounded(std::uint64_t max, std::string_view what) {
    const std::uint64_t value = word();
    if (value > max) fail(what);
    return value;
  }
  bool flag(std::string_view what) { return bounded(1, what) == 1; }
  template <std::size_t N>
  void flags(std::array<bool, N>& values, std::string_view what) {
    for (bool& value : values)
      value = flag(what);
  }
  void fail(std::string_view what) {
    if (error_.empty()) error_ = what;
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::span<const std::uint64_t> words_;
  std::size_t at_ = 0;
  std::string error_;
};

constexpr std::size_t disconnector_words = 4;
constexpr std::size_t limiter_words = 5;
constexpr std::size_t prepayment_words = 11 + TokenMemory::capacity;
constexpr std::size_t tamper_words = 4 * tamper_input_count + 1;
constexpr std::size_t fraud_words = 3 * fraud_sign_count;
constexpr std::size_t pulse_words = 5;
constexpr std::size_t supply_word_count = disconnector_words + limiter_words + prepayment_words +
                                          tamper_words + fraud_words + pulse_words;

constexpr std::uint64_t uint32_max = std::numeric_limits<std::uint32_t>::max();
// Instants and Wh counts a meter can reach, far from the 64-bit edges, so that the
// differences the meter takes of them cannot overflow: 2^60 µs is 36 000 years.
constexpr std::int64_t time_bound_us = std::int64_t{1} << 60;
constexpr std::int64_t wh_bound = std::int64_t{1} << 53;
constexpr std::uint64_t pulse_queue_max = 10'000'000;  // a week of a busy line

bool plausible_time(std::int64_t time) {
  return time == no_time || (time > -time_bound_us && time < time_bound_us);
}

}  // namespace

std::vector<std::uint64_t> encode_supply(const SupplyState& supply) {
  Writer out;
  const DisconnectorState& breaker = supply.disconnector;
  out.word(static_cast<std::uint64_t>(breaker.control_state));
  out.flag(breaker.output_state);
  out.word(breaker.holds);
  out.flag(breaker.failure_logged);

  const LimiterState& limiter = supply.limiter;
  out.signed_word(limiter.over_since_us);
  out.signed_word(limiter.under_since_us);
  out.signed_word(limiter.threshold_since_us);
  out.flag(limiter.tripped);
  out.flag(limiter.emergency_active);

  const PrepaymentState& credit = supply.prepayment;
  out.signed_word(credit.credit_added_wh);
  out.signed_word(credit.consumed_wh);
  out.word(credit.consumed_remainder_pj);
  out.flag(credit.low_warned);
  out.flag(credit.exhausted);
  out.flag(credit.emergency_taken);
  out.word(credit.top_up_count);
  out.word(credit.last_token);
  out.signed_word(credit.last_top_up_wh);
  out.word(credit.tokens.floor());
  out.word(credit.tokens.size());
  for (std::size_t i = 0; i < TokenMemory::capacity; ++i)
    out.word(i < credit.tokens.size() ? credit.tokens.ids()[i] : 0);

  const TamperState& tamper = supply.tamper;
  out.flags(tamper.active);
  for (const std::uint32_t count : tamper.counts)
    out.word(count);
  out.flags(tamper.opened_while_off);
  out.flags(tamper.level_while_off);
  out.flag(tamper.seen_while_off);

  const FraudSignState& fraud = supply.fraud;
  out.flags(fraud.active);
  for (const UtcMicros since : fraud.changing_since_us)
    out.signed_word(since);
  for (const std::uint32_t count : fraud.counts)
    out.word(count);

  const PulseOutputState& train = supply.pulse_output;
  out.word(train.emitted);
  out.word(train.queued);
  out.word(train.to_next_pj);
  out.word(train.step);
  out.signed_word(train.next_free_us);
  return out.take();
}

Status decode_supply(std::span<const std::uint64_t> words, const MeterConfig& config,
                     SupplyState& out) {
  if (words.size() != supply_word_count) {
    return make_error("supply control: " + std::to_string(words.size()) + " words, expected " +
                      std::to_string(supply_word_count));
  }
  SupplyState decoded;
  Reader in(words);
  DisconnectorState& breaker = decoded.disconnector;
  breaker.control_state = static_cast<ControlState>(in.bounded(2, "control state"));
  breaker.output_state = in.flag("output state");
  breaker.holds = static_cast<std::uint8_t>(in.bounded(supply_hold::all, "holds"));
  breaker.failure_logged = in.flag("breaker failure");
  if (breaker.output_state != (breaker.control_state == ControlState::connected)) {
    in.fail("output state contradicts the control state");
  }

  LimiterState& limiter = decoded.limiter;
  limiter.over_since_us = in.signed_word();
  limiter.under_since_us = in.signed_word();
  limiter.threshold_since_us = in.signed_word();
  limiter.tripped = in.flag("limiter");
  limiter.emergency_active = in.flag("limiter emergency");
  for (const UtcMicros time :
       {limiter.over_since_us, limiter.under_since_us, limiter.threshold_since_us}) {
    if (!plausible_time(time)) in.fail("limiter time");
  }

  PrepaymentState& credit = decoded.prepayment;
  credit.credit_added_wh = in.signed_word();
  credit.consumed_wh = in.signed_word();
  credit.consumed_remainder_pj = in.bounded(picojoules_per_watt_hour - 1, "consumption");
  credit.low_warned = in.flag("low credit");
  credit.exhausted = in.flag("credit exhausted");
  credit.emergency_taken = in.flag("emergency credit");
  credit.top_up_count = in.word();
  credit.last_token = in.word();
  credit.last_top_up_wh = in.signed_word();
  if (credit.credit_added_wh <= -wh_bound || credit.credit_added_wh >= wh_bound ||
      credit.consumed_wh < 0 || credit.consumed_wh >= wh_bound) {
    in.fail("credit");
  }
  const std::uint64_t floor = in.word();
  const auto size = static_cast<std::size_t>(in.bounded(TokenMemory::capacity, "tokens"));
  std::array<std::uint64_t, TokenMemory::capacity> ids{};
  for (std::uint64_t& id : ids)
    id = in.word();
  if (!credit.tokens.restore(std::span<const std::uint64_t>(ids.data(), size), floor)) {
    in.fail("token memory");
  }
  for (std::size_t i = size; i < ids.size(); ++i) {
    if (ids[i] != 0) in.fail("token memory");  // the slots past the tokens are written as 0
  }

  TamperState& tamper = decoded.tamper;
  in.flags(tamper.active, "tamper inputs");
  for (std::uint32_t& count : tamper.counts)
    count = static_cast<std::uint32_t>(in.bounded(uint32_max, "tamper counts"));
  in.flags(tamper.opened_while_off, "tamper inputs");
  in.flags(tamper.level_while_off, "tamper inputs");
  tamper.seen_while_off = in.flag("tamper inputs");

  FraudSignState& fraud = decoded.fraud;
  in.flags(fraud.active, "fraud signs");
  for (UtcMicros& since : fraud.changing_since_us)
    since = in.signed_word();
  for (std::uint32_t& count : fraud.counts)
    count = static_cast<std::uint32_t>(in.bounded(uint32_max, "fraud counts"));
  for (const UtcMicros since : fraud.changing_since_us) {
    if (!plausible_time(since)) in.fail("fraud sign time");
  }

  PulseOutputState& train = decoded.pulse_output;
  train.emitted = in.word();
  // A queue is at most what the line can work off in days; a longer one is damage (and would
  // keep the meter busy putting out billions of pulses).
  train.queued = in.bounded(pulse_queue_max, "pulse queue");
  train.to_next_pj = in.word();
  train.step = in.word();
  train.next_free_us = in.signed_word();
  // The train's position must be one the programmed constant can produce.
  const std::uint64_t constant = config.pulse_output.constant;
  const std::uint64_t gap_max = picojoules_per_kilowatt_hour / constant + 1;
  if (train.step >= constant || train.to_next_pj == 0 || train.to_next_pj > gap_max ||
      !plausible_time(train.next_free_us)) {
    in.fail("pulse output");
  }
  if (!in.error().empty()) return make_error("supply control: bad " + in.error());
  out = decoded;
  return {};
}

}  // namespace gridmeter::store
