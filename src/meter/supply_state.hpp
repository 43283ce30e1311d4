// SupplyState: what the meter's supply control keeps across a power cycle: the breaker's
// state machine, the limiter, the prepayment credit, the tamper inputs, the fraud signs and
// the S0 pulse train. Part of MeterState; the store persists it (store/state_codec.hpp).
#pragma once

#include "meter/disconnect_control.hpp"
#include "meter/fraud_signs.hpp"
#include "meter/limiter.hpp"
#include "meter/prepayment.hpp"
#include "meter/pulse_output.hpp"
#include "meter/tamper.hpp"

namespace gridmeter {

struct SupplyState {
  DisconnectorState disconnector;
  LimiterState limiter;
  PrepaymentState prepayment;
  TamperState tamper;
  FraudSignState fraud;
  PulseOutputState pulse_output;
  friend bool operator==(const SupplyState&, const SupplyState&) = default;
};

}  // namespace gridmeter
