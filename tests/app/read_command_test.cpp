// `gridmeter read`: command lines that are wrong are refused (exit 2) with what is wrong,
// before anything is sent, so no meter is needed here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/run_cli.hpp"
#include "support/running_meter.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

using gridmeter::testing::run_cli;

struct BadRead {
  std::vector<std::string> arguments;
  std::string message;
};

class ReadCommandLine : public ::testing::TestWithParam<BadRead> {};

TEST_P(ReadCommandLine, IsRefusedWithWhatIsWrong) {
  std::vector<std::string> arguments{"read", "127.0.0.1:1"};
  arguments.insert(arguments.end(), GetParam().arguments.begin(), GetParam().arguments.end());
  const auto outcome = run_cli(arguments);
  EXPECT_EQ(outcome.code, 2);
  EXPECT_EQ(outcome.err, "gridmeter read: " + GetParam().message + "\n");
}

const std::string key = "000102030405060708090A0B0C0D0E0F";

INSTANTIATE_TEST_SUITE_P(
    Security, ReadCommandLine,
    ::testing::Values(
        BadRead{{"--auth", "hls", "1-0:1.8.0"}, "--auth: \"hls\" is not none, low or hls-gmac"},
        BadRead{{"--ek", key, "--ak", key, "--security", "all", "1-0:1.8.0"},
                "--security: \"all\" is not none, auth, enc or auth-enc"},
        BadRead{{"--ek", "0011", "--ak", key, "1-0:1.8.0"}, "--ek: expected 32 hex digits"},
        BadRead{{"--ek", key, "1-0:1.8.0"}, "--ek and --ak go together"},
        BadRead{{"--auth", "hls-gmac", "1-0:1.8.0"},
                "HLS-GMAC and ciphering need keys: --keys FILE or --ek and --ak"},
        BadRead{{"--security", "auth-enc", "1-0:1.8.0"},
                "HLS-GMAC and ciphering need keys: --keys FILE or --ek and --ak"},
        BadRead{{"--auth", "low", "1-0:1.8.0"}, "--auth low needs --password or --secrets"},
        BadRead{{"--password", "pw", "--auth", "none", "1-0:1.8.0"},
                "--auth none and a password: give one"},
        BadRead{{"--ek", key, "--ak", key, "--security", "none", "--dedicated-key", "1-0:1.8.0"},
                "--dedicated-key and --general-ciphering go with --security"},
        BadRead{{"--invocation-counter", "5", "1-0:1.8.0"},
                "--system-title and --invocation-counter go with keys"},
        BadRead{{"--ek", key, "--ak", key, "--system-title", "4752", "1-0:1.8.0"},
                "--system-title: expected 16 hex digits"}));

TEST(ReadCommandKeys, KeysAndEkAkAreTwoWaysToGiveKeys) {
  gridmeter::testing::TempDir dir;
  const std::string keys = dir.file("keys.toml");
  gridmeter::testing::write_private_file(keys, "lls_password = \"pw\"\n");
  auto both = run_cli({"read", "127.0.0.1:1", "--keys", keys, "--ek", key, "1-0:1.8.0"});
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.err, "gridmeter read: --keys and --ek/--ak: give one\n");
  auto none = run_cli({"read", "127.0.0.1:1", "--keys", keys, "1-0:1.8.0"});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.err, "gridmeter read: secrets file " + keys + " has no ek and ak\n");
}

}  // namespace
}  // namespace gridmeter
