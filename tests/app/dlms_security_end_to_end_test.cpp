// End to end, security: `gridmeter run` with keys serving DLMS on loopback, and
// `gridmeter read` as the management client (HLS-GMAC, authenticated encryption) reading,
// writing and invoking; the same with a wrong key, a replayed counter, no ciphering, or as the
// public client, all refused without changing the meter, logged in the fraud log, and without
// harm to the server; a restart that continues the counters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/run_cli.hpp"
#include "support/running_meter.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

using gridmeter::testing::run_cli;
using ::testing::HasSubstr;

constexpr char secrets_text[] =
    "lls_password = \"reader-pw\"\n"
    "ek = \"000102030405060708090A0B0C0D0E0F\"\n"
    "ak = \"D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\"\n"
    "kek = \"101112131415161718191A1B1C1D1E1F\"\n"
    "system_title = \"4752440000000007\"\n";
constexpr char wrong_keys_text[] =
    "ek = \"FF0102030405060708090A0B0C0D0E0F\"\n"
    "ak = \"D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\"\n";

class DlmsSecurity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new gridmeter::testing::TempDir();
    secrets_ = dir_->file("secrets.toml");
    wrong_keys_ = dir_->file("wrong.toml");
    gridmeter::testing::write_private_file(secrets_, secrets_text);
    gridmeter::testing::write_private_file(wrong_keys_, wrong_keys_text);
    meter_ = new gridmeter::testing::RunningMeter(dir_->file("meter.db"), {"--secrets", secrets_});
  }
  static void TearDownTestSuite() {
    delete meter_;
    delete dir_;
  }
  static gridmeter::testing::CliOutcome read(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"read", meter_->address()});
    return run_cli(arguments);
  }
  static nlohmann::json read_json(std::vector<std::string> arguments, int expected_code = 0) {
    arguments.push_back("--json");
    const auto outcome = read(arguments);
    EXPECT_EQ(outcome.code, expected_code) << outcome.err << outcome.out;
    if (outcome.out.empty()) return nlohmann::json::object();
    return nlohmann::json::parse(outcome.out);
  }
  // The management client's view of the fraud log's event codes.
  static std::vector<int> fraud_events() {
    const nlohmann::json log = read_json({"--keys", secrets_, "--profile", "0-0:99.98.1.255"});
    std::vector<int> codes;
    for (const auto& row : log["profile"]["entries"])
      codes.push_back(row[1].get<int>());
    return codes;
  }
  static std::string time_zone() {
    return read_json({"--keys", secrets_, "0-0:1.0.0.255:3"})["values"][0]["value"].dump();
  }

  static gridmeter::testing::TempDir* dir_;
  static gridmeter::testing::RunningMeter* meter_;
  static std::string secrets_;
  static std::string wrong_keys_;
};

gridmeter::testing::TempDir* DlmsSecurity::dir_ = nullptr;
gridmeter::testing::RunningMeter* DlmsSecurity::meter_ = nullptr;
std::string DlmsSecurity::secrets_;
std::string DlmsSecurity::wrong_keys_;

TEST_F(DlmsSecurity, TheManagementClientReadsWritesAndInvokes) {
  // The public client finds the counter to continue from; the management client (SAP 1,
  // HLS-GMAC, authenticated encryption by default with keys) reads, writes and invokes.
  const nlohmann::json values = read_json({"--keys", secrets_, "1-0:1.8.0", "0-0:43.0.3.255:2",
                                           "0-0:43.0.3.255:5", "0-0:43.0.3.255:4"});
  EXPECT_GT(values["values"][0]["value"].get<double>(), 0.0);
  EXPECT_EQ(values["values"][1]["value"], 0x6C);  // authenticated and encrypted, both ways
  EXPECT_EQ(values["values"][2]["value"], "4752440000000007");
  EXPECT_EQ(values["values"][3]["value"], "475244434C490001");  // gridmeter read's title
  const nlohmann::json changed = read_json(
      {"--keys", secrets_, "--set", "0-0:1.0.0.255:3=-120", "--action", "0-0:1.0.0.255:6=long:5"});
  EXPECT_EQ(changed["set"][0]["result"], "success");
  EXPECT_EQ(changed["action"][0]["result"], "success");
  EXPECT_EQ(time_zone(), "-120");
  // General ciphering and a dedicated key work too.
  const nlohmann::json general =
      read_json({"--keys", secrets_, "--general-ciphering", "--dedicated-key", "0-0:42.0.0.255"});
  EXPECT_EQ(general["values"][0]["value"], "GRD00000001");
  // The counter the management client left is public.
  const nlohmann::json counter = read_json({"0-0:43.1.0.255"});
  EXPECT_GT(counter["values"][0]["value"].get<int>(), 6);
}

TEST_F(DlmsSecurity, TheManagementClientReadsEveryReadableAttributeItSees) {
  const nlohmann::json listed = read_json({"--keys", secrets_, "--list"});
  const auto& objects = listed["objects"];
  ASSERT_GT(objects.size(), 100U);
  std::size_t attributes_read = 0;
  std::size_t attributes_readable = 0;
  bool saw_security_setups = false;
  for (const auto& object : objects) {
    if (object["class_id"] == 64) saw_security_setups = true;
    std::vector<std::string> arguments{"--keys", secrets_};
    for (const auto& attribute : object["attributes"]) {
      if (attribute["access"].get<std::string>().find('r') == std::string::npos) continue;
      ++attributes_readable;
      arguments.push_back(object["obis"].get<std::string>() + ":" +
                          std::to_string(attribute["id"].get<int>()));
    }
    if (arguments.size() == 2) continue;
    const nlohmann::json values = read_json(arguments);
    for (const auto& value : values["values"]) {
      EXPECT_FALSE(value.contains("error")) << value.dump();
      ++attributes_read;
    }
  }
  EXPECT_TRUE(saw_security_setups);
  EXPECT_EQ(attributes_read, attributes_readable);
}

TEST_F(DlmsSecurity, RefusedRequestsChangeNothingButTheFraudLog) {
  const std::string zone_before = time_zone();
  const std::vector<int> events_before = fraud_events();
  // A wrong key: the AARQ's glo-initiate-request does not decipher (event 49).
  const auto wrong_key = read({"--keys", wrong_keys_, "--set", "0-0:1.0.0.255:3=60"});
  EXPECT_EQ(wrong_key.code, 1);
  EXPECT_THAT(wrong_key.err, HasSubstr("association refused: rejected-permanent"));
  // A counter the meter has seen: a replay (event 50).
  const auto replay =
      read({"--keys", secrets_, "--invocation-counter", "1", "--set", "0-0:1.0.0.255:3=60"});
  EXPECT_EQ(replay.code, 1);
  EXPECT_THAT(replay.err, HasSubstr("association refused"));
  // No ciphering where the management client's policy demands it.
  const auto plain =
      read({"--keys", secrets_, "--security", "none", "--set", "0-0:1.0.0.255:3=60"});
  EXPECT_EQ(plain.code, 1);
  EXPECT_THAT(plain.err, HasSubstr("application-context-name-not-supported"));
  // The public client at a management object: not there for it.
  const nlohmann::json hidden = read_json({"0-0:43.0.3.255:2", "--set", "0-0:1.0.0.255:3=60"}, 1);
  EXPECT_EQ(hidden["values"][0]["error"], "object-undefined");
  EXPECT_THAT(hidden["set"][0]["result"].get<std::string>(), HasSubstr("does not grant set"));
  // The reading client may not write either.
  const auto reader = read({"--secrets", secrets_, "--set", "0-0:1.0.0.255:3=60"});
  EXPECT_EQ(reader.code, 1);
  // Nothing changed; the fraud log holds the deciphering failure and the replay.
  EXPECT_EQ(time_zone(), zone_before);
  std::vector<int> events = fraud_events();
  ASSERT_EQ(events.size(), events_before.size() + 2);
  events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(events_before.size()));
  EXPECT_EQ(events, (std::vector<int>{49, 50}));
  // And the server goes on serving.
  EXPECT_EQ(read_json({"0-0:42.0.0.255"})["values"][0]["value"], "GRD00000001");
}

TEST(DlmsSecurityRestart, CountersSurviveARestart) {
  gridmeter::testing::TempDir dir;
  const std::string secrets = dir.file("secrets.toml");
  const std::string store_path = dir.file("meter.db");
  gridmeter::testing::write_private_file(secrets, secrets_text);
  std::uint32_t reserved_before = 0;
  std::uint32_t accepted_before = 0;
  {
    gridmeter::testing::RunningMeter meter(store_path, {"--secrets", secrets});
    const auto first = run_cli({"read", meter.address(), "--keys", secrets, "1-0:1.8.0"});
    ASSERT_EQ(first.code, 0) << first.err;
    meter.stop();
    auto store = store::Store::open(store_path, {});
    ASSERT_TRUE(store);
    auto saved = store->load_security();
    ASSERT_TRUE(saved && saved->has_value());
    reserved_before = (*saved)->server_invocation_counter;
    accepted_before = (*saved)->find_client(1)->last_invocation_counter;
    EXPECT_GE(reserved_before, 3U);
    EXPECT_GE(accepted_before, 3U);
  }
  gridmeter::testing::RunningMeter meter(store_path, {"--secrets", secrets});
  // The floor of the management client's counter survived: an old counter is refused ...
  const auto replay = run_cli({"read", meter.address(), "--keys", secrets, "--invocation-counter",
                               std::to_string(accepted_before), "1-0:1.8.0"});
  EXPECT_EQ(replay.code, 1);
  // ... and the public counter says where to go on from.
  const auto next = run_cli({"read", meter.address(), "--keys", secrets, "1-0:1.8.0"});
  EXPECT_EQ(next.code, 0) << next.err;
  meter.stop();
  auto store = store::Store::open(store_path, {});
  ASSERT_TRUE(store);
  auto saved = store->load_security();
  ASSERT_TRUE(saved && saved->has_value());
  // The server went on above its earlier reservation: no IV used twice.
  EXPECT_GT((*saved)->server_invocation_counter, reserved_before);
}

}  // namespace
}  // namespace gridmeter
