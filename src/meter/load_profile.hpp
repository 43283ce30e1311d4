// Load profile 1 (1-0:99.1.0.255) and the billing profile (0-0:98.1.0.255): their capture
// objects and rows. The status word is IDIS's AMR profile status (0-0:96.10.1.255).
#pragma once

#include <cstdint>  // std::uint8_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "meter/demand.hpp"
#include "meter/energy_registers.hpp"
#include "meter/meter_config.hpp"
#include "meter/profile.hpp"
#include "meter/tariff_registers.hpp"

namespace gridmeter {

// AMR profile status bits (IDIS package 2, object 0-0:96.10.1.255).
namespace profile_status {
inline constexpr std::uint8_t critical_error = 0x01;   // ERR
inline constexpr std::uint8_t clock_invalid = 0x02;    // CIV
inline constexpr std::uint8_t data_not_valid = 0x04;   // DNV: the interval was not whole
inline constexpr std::uint8_t daylight_saving = 0x08;  // DST in force at the capture
inline constexpr std::uint8_t clock_adjusted = 0x20;   // CAD: the clock was set in the interval
inline constexpr std::uint8_t power_down = 0x80;       // PDN: a power failure in the interval
}  // namespace profile_status

inline constexpr Obis load_profile_obis{1, 0, 99, 1, 0, 255};
inline constexpr Obis billing_profile_obis{0, 0, 98, 1, 0, 255};
inline constexpr Obis standard_event_log_obis{0, 0, 99, 98, 0, 255};
inline constexpr Obis clock_event_log_obis{0, 0, 99, 98, 6, 255};
inline constexpr Obis fraud_event_log_obis{0, 0, 99, 98, 1, 255};
inline constexpr Obis disconnector_event_log_obis{0, 0, 99, 98, 2, 255};

// The status word column (0-0:96.10.1.255, Data, attribute 2).
CaptureColumn profile_status_column();

// Load profile: status, A+, A-, R+, R- (Wh/varh, scaler 0), then with per_phase A+ and A- of
// each metered phase.
std::vector<CaptureColumn> load_profile_columns(const LoadProfileConfig& config,
                                                Connection connection);
// One row of those columns.
void load_profile_row(std::uint8_t status, const EnergyRegisters& energy,
                      const LoadProfileConfig& config, Connection connection,
                      std::span<std::int64_t> out);

// Billing profile: billing period counter (0-0:0.1.0.255), A+, A-, R+, R- total and per tariff
// 1..8 (1-0:1.8.0 .. 4.8.8, Wh/varh), maximum demand A+ and A- total and per tariff with
// capture times (1-0:1.6.0 .. 1.6.8, 2.6.0 .. 2.6.8, W, attribute 2 value / 5 capture time).
std::vector<CaptureColumn> billing_profile_columns();
void billing_profile_row(std::uint64_t counter, const EnergyRegisters& energy,
                         const TariffRegisters& tariffs, const DemandState& demand,
                         std::span<std::int64_t> out);

// Event logs: the event code column (0-0:96.11.0.255 for the standard log, 0-0:96.11.1.255
// for the fraud detection log, 0-0:96.11.2.255 for the disconnector control log,
// 0-0:96.11.6.255 for the clock log).
std::vector<CaptureColumn> event_log_columns(const Obis& code_object);

}  // namespace gridmeter
