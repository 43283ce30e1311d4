// End to end, supply control over DLMS: `gridmeter run` with keys, the management client
// (HLS-GMAC, authenticated encryption) opening and closing the breaker through the Disconnect
// control's methods and programming the Limiter; the reading client seeing the breaker but not
// allowed to switch it; the disconnector control log read as a profile.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/run_cli.hpp"
#include "support/running_meter.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

using gridmeter::testing::run_cli;

constexpr char secrets_text[] =
    "lls_password = \"reader-pw\"\n"
    "ek = \"000102030405060708090A0B0C0D0E0F\"\n"
    "ak = \"D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\"\n"
    "kek = \"101112131415161718191A1B1C1D1E1F\"\n"
    "system_title = \"4752440000000007\"\n";

TEST(SupplyOverDlms, TheManagementClientSwitchesTheBreakerAndProgramsTheLimiter) {
  gridmeter::testing::TempDir dir;
  const std::string secrets = dir.file("secrets.toml");
  const std::string config = dir.file("meter.toml");
  gridmeter::testing::write_private_file(secrets, secrets_text);
  gridmeter::testing::write_private_file(config, "[disconnector]\nmode = 2\n");
  gridmeter::testing::RunningMeter meter(dir.file("meter.db"),
                                         {"--secrets", secrets, "--config", config});
  auto read_json = [&](std::vector<std::string> arguments, int expected_code = 0) {
    arguments.insert(arguments.begin(), {"read", meter.address()});
    arguments.push_back("--json");
    const auto outcome = run_cli(arguments);
    EXPECT_EQ(outcome.code, expected_code) << outcome.err << outcome.out;
    return outcome.out.empty() ? nlohmann::json::object() : nlohmann::json::parse(outcome.out);
  };

  // remote_disconnect (method 1, integer 0) as the management client.
  nlohmann::json done = read_json({"--keys", secrets, "--action", "0-0:96.3.10.255:1"});
  EXPECT_EQ(done["action"][0]["result"], "success");
  // The reading client sees the breaker open (output_state false, control_state 0) ...
  nlohmann::json state =
      read_json({"--secrets", secrets, "0-0:96.3.10.255:2", "0-0:96.3.10.255:3"});
  EXPECT_EQ(state["values"][0]["value"], false);
  EXPECT_EQ(state["values"][1]["value"], 0);
  // ... but may not switch it.
  read_json({"--secrets", secrets, "--action", "0-0:96.3.10.255:2"}, 1);
  // Mode 2: remote_reconnect connects at once.
  done = read_json({"--keys", secrets, "--action", "0-0:96.3.10.255:2"});
  EXPECT_EQ(done["action"][0]["result"], "success");
  state = read_json({"--keys", secrets, "0-0:96.3.10.255:3", "0-0:96.11.2.255"});
  EXPECT_EQ(state["values"][0]["value"], 1);
  EXPECT_EQ(state["values"][1]["value"], 63);  // remote connection
  const nlohmann::json log = read_json({"--keys", secrets, "--profile", "0-0:99.98.2.255"});
  std::vector<int> codes;
  for (const auto& row : log["profile"]["entries"])
    codes.push_back(row[1].get<int>());
  EXPECT_EQ(codes, (std::vector<int>{62, 63}));

  // The Limiter's minimum over-threshold duration, written and read back.
  done = read_json({"--keys", secrets, "--set", "0-0:17.0.0.255:6=double-long-unsigned:90"});
  EXPECT_EQ(done["set"][0]["result"], "success");
  state = read_json({"--secrets", secrets, "0-0:17.0.0.255:6"});
  EXPECT_EQ(state["values"][0]["value"], 90);
  meter.stop();
}

}  // namespace
}  // namespace gridmeter
