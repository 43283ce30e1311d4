// What the pieces of the voltage-quality registration share (not for use outside src/meter/vq_*).
#pragma once

#include "meter/voltage_quality.hpp"

namespace gridmeter::vq_detail {

// Counts an event into the counters and the week it started in, then hands it to `sink`.
// `reference_v` is Udin as the connection sees it (for the EN 50160 tables).
void report(VoltageQualityState& state, const VqEvent& event, VqSink& sink, const TimeZone* zone,
            double reference_v);

// The aggregator (vq_aggregation.cpp): one measurement interval [start, end) on the meter
// clock, `flagged` when an event was in progress during it.
void aggregate(const VoltageQualityConfig& config, Connection connection, const TimeZone& zone,
               VoltageQualityState& state, const Measurement& m, UtcMicros start, UtcMicros end,
               bool flagged, std::uint8_t interrupted_phases, VqSink& sink);

// Marks the running aggregates as flagged (an outage fell into them).
void flag_running(VqAggregation& aggregation);

// The week `time` falls in: Monday 00:00 local time (meter clock).
UtcMicros week_start(UtcMicros time, const TimeZone& zone);

// The running week of `state` moved on to the one holding `time` when that is later.
void roll_week(VoltageQualityState& state, UtcMicros time, const TimeZone& zone);

}  // namespace gridmeter::vq_detail
