#include "app/sim_actions.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::stable_sort
#include <charconv>   // std::from_chars
#include <optional>   // std::optional
#include <utility>    // std::move

#include "core/date_time.hpp"

namespace gridmeter::app {
namespace {

constexpr std::int64_t shift_max_s = 365LL * 86'400;
constexpr std::int64_t outage_max_min = 365LL * 1'440;

Result<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max,
                                   std::string_view what) {
  std::int64_t value = 0;
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  // std::from_chars reads a '-' of its own: "--5" would pass as 5, and "--9223372036854775808"
  // would overflow when negated. After the one sign, only digits.
  const bool starts_with_digit = !digits.empty() && digits.front() >= '0' && digits.front() <= '9';
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (starts_with_digit && error == std::errc::result_out_of_range) {
    return make_error(fmt::format("{} '{}' is outside {}..{}", what, text, min, max));
  }
  if (!starts_with_digit || error != std::errc{} || end != digits.data() + digits.size()) {
    return make_error(fmt::format("{} '{}' is not a whole number", what, text));
  }
  if (negative) value = -value;
  if (value < min || value > max) {
    return make_error(fmt::format("{} {} is outside {}..{}", what, value, min, max));
  }
  return value;
}

// A supply command's arguments, joined by ':' after its name ("topup:1001:12.5").
std::optional<Result<SupplyCommand>> parse_supply_words(std::string_view name,
                                                        std::string_view argument,
                                                        bool has_argument) {
  std::vector<std::string_view> words;
  if (has_argument) {
    std::size_t begin = 0;
    for (;;) {
      const std::size_t colon = argument.find(':', begin);
      words.push_back(argument.substr(begin, colon - begin));
      if (colon == std::string_view::npos) break;
      begin = colon + 1;
    }
  }
  return parse_supply_command(name, words);
}

}  // namespace

Result<SimAction> parse_sim_action(std::string_view text, const TimeZone& zone) {
  auto fail = [&](std::string_view why) {
    return make_error(fmt::format("--action '{}': {}", text, why));
  };
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) return fail("expected WHEN=WHAT");
  auto at = parse_iso8601(text.substr(0, equals), zone);
  if (!at) return fail(at.error().message);
  const std::string_view what = text.substr(equals + 1);
  const std::size_t colon = what.find(':');
  const std::string_view name = what.substr(0, colon);
  const std::string_view argument =
      colon == std::string_view::npos ? std::string_view() : what.substr(colon + 1);
  const bool has_argument = colon != std::string_view::npos;
  SimAction action;
  action.at = *at;
  if (name == "billing-reset" && !has_argument) {
    action.kind = SimActionKind::billing_reset;
  } else if (name == "shift" && has_argument) {
    auto seconds = parse_integer(argument, -shift_max_s, shift_max_s, "shift of seconds");
    if (!seconds) return fail(seconds.error().message);
    if (*seconds == 0) return fail("a shift of 0 seconds changes nothing");
    action.kind = SimActionKind::shift_clock;
    action.value = *seconds * micros_per_second;
  } else if (name == "set" && has_argument) {
    auto time = parse_iso8601(argument, zone);
    if (!time) return fail(time.error().message);
    action.kind = SimActionKind::set_clock;
    action.value = *time;
  } else if (name == "dst" && (argument == "on" || argument == "off")) {
    action.kind = SimActionKind::dst;
    action.value = argument == "on" ? 1 : 0;
  } else if (name == "outage" && has_argument) {
    auto minutes = parse_integer(argument, 1, outage_max_min, "outage of minutes");
    if (!minutes) return fail(minutes.error().message);
    action.kind = SimActionKind::outage;
    action.value = *minutes * micros_per_minute;
  } else if (auto supply = parse_supply_words(name, argument, has_argument)) {
    if (!*supply) return fail(supply->error().message);
    action.kind = SimActionKind::supply;
    action.supply = **supply;
  } else {
    return fail(
        "WHAT is one of shift:±S, set:ISO8601, dst:on, dst:off, billing-reset, outage:M, "
        "button, disconnect, reconnect, terminal-cover:open|close, meter-cover:open|close, "
        "magnet:on|off, topup:TOKEN:KWH, emergency-credit");
  }
  return action;
}

UtcMicros apply_sim_action(const SimAction& action, Meter& meter, Error* refused) {
  const UtcMicros now = meter.state().time_utc_us;
  switch (action.kind) {
    case SimActionKind::shift_clock:
      meter.shift_clock(action.value);
      break;
    case SimActionKind::set_clock:
      meter.set_clock(action.value);
      break;
    case SimActionKind::dst:
      meter.set_dst_enabled(action.value != 0);
      break;
    case SimActionKind::billing_reset:
      meter.billing_reset();
      break;
    case SimActionKind::outage:
      meter.power_outage(now, now + action.value);
      break;
    case SimActionKind::supply:
      if (auto done = apply_supply_command(action.supply, meter); !done && refused != nullptr) {
        *refused = done.error();
      }
      break;
  }
  return meter.state().time_utc_us;
}

SimActionPlan::SimActionPlan(std::vector<SimAction> actions)
    : actions_(std::move(actions)), applied_(actions_.size(), false) {
  std::stable_sort(actions_.begin(), actions_.end(),
                   [](const SimAction& a, const SimAction& b) { return a.at < b.at; });
}

std::vector<SimAction> SimActionPlan::drop_before(UtcMicros t) {
  std::vector<SimAction> dropped;
  for (; next_ < actions_.size() && actions_[next_].at < t; ++next_) {
    if (applied_[next_]) continue;
    applied_[next_] = true;
    dropped.push_back(actions_[next_]);
  }
  return dropped;
}

UtcMicros SimActionPlan::apply_due(UtcMicros t, Meter& meter, const Refused& refused) {
  for (; next_ < actions_.size() && actions_[next_].at <= t; ++next_) {
    if (applied_[next_]) continue;
    const SimAction& action = actions_[next_];
    applied_[next_] = true;
    if (action.kind == SimActionKind::outage) {
      // The cover switches latch while the supply is off: tamper actions inside the outage
      // reach the meter as such, before its power-up.
      const UtcMicros down = meter.state().time_utc_us;
      for (std::size_t i = next_ + 1; i < actions_.size() && actions_[i].at < down + action.value;
           ++i) {
        const SimAction& during = actions_[i];
        if (applied_[i] || during.kind != SimActionKind::supply ||
            during.supply.kind != SupplyCommandKind::tamper) {
          continue;
        }
        meter.tamper_input_while_off(during.supply.input, during.supply.active);
        applied_[i] = true;
      }
    }
    Error error;
    t = apply_sim_action(action, meter, &error);
    if (!error.message.empty() && refused) refused(action, error);
  }
  return t;
}

}  // namespace gridmeter::app
