// `gridmeter run --input FILE|-`: the live meter fed by a waveform input instead of a scenario.
// A file plays at its sample rate times --speed; standard input ("-", raw samples) is metered
// as it arrives, at the pace of whatever writes it (an ADC).
#pragma once

#include <cstdio>    // std::FILE
#include <optional>  // std::optional

#include "app/dlms_service.hpp"
#include "app/programming_options.hpp"
#include "app/run_command.hpp"

namespace gridmeter::app {

// `dlms`: the DLMS/COSEM service to run beside the metering (nullopt: none). Requests are served
// between sample blocks, so a feed that stalls on standard input stalls them too.
int run_waveform(const RunOptions& options, const Programming& programming,
                 std::optional<DlmsServiceOptions> dlms, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
