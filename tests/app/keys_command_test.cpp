// `gridmeter keys`: a fresh, complete, owner-only secrets file that never replaces another and
// never shows a key.
#include "app/keys_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using ::testing::HasSubstr;

std::string hex_of(const config::SecretKey& key) {
  std::string text;
  for (const std::uint8_t octet : key)
    text += fmt::format("{:02X}", octet);
  return text;
}

TEST(KeysCommand, GeneratesACompleteSetOfIndependentSecrets) {
  const auto first = generate_secrets("GRD");
  const auto second = generate_secrets("GRD");
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_TRUE(first->lls_password && first->ek && first->ak && first->kek && first->system_title);
  EXPECT_EQ(first->lls_password->size(), 16U);
  for (const char c : *first->lls_password)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
  EXPECT_NE(*first->ek, *first->ak);
  EXPECT_NE(*first->ak, *first->kek);
  EXPECT_NE(*first->ek, *second->ek);
  EXPECT_NE(*first->lls_password, *second->lls_password);
  EXPECT_EQ((*first->system_title)[0], 'G');
  EXPECT_EQ((*first->system_title)[1], 'R');
  EXPECT_EQ((*first->system_title)[2], 'D');
  EXPECT_NE(*first->system_title, *second->system_title);
  EXPECT_EQ(generate_secrets("GRDX").error().message,
            "manufacturer flag \"GRDX\" is not 3 letters");
}

TEST(KeysCommand, WritesAFileRunLoadsAndNeverOverwritesIt) {
  gridmeter::testing::TempDir dir;
  const std::string path = dir.file("meter-secrets.toml");
  const gridmeter::testing::CliOutcome made = gridmeter::testing::run_cli({"keys", "--out", path});
  EXPECT_EQ(made.code, 0) << made.err;
  EXPECT_EQ(made.out, "gridmeter keys: wrote " + path +
                          " (mode 600): lls_password, ek, ak, kek, system_title\n");
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777U, 0600U);
  const auto loaded = config::load_secrets(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(loaded->ek.has_value());
  // No key on the terminal.
  EXPECT_THAT(made.out + made.err, ::testing::Not(HasSubstr(hex_of(*loaded->ek))));

  std::ostringstream before;
  before << std::ifstream(path).rdbuf();
  const gridmeter::testing::CliOutcome again = gridmeter::testing::run_cli({"keys", "--out", path});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err, "gridmeter keys: " + path + " exists; remove it first\n");
  std::ostringstream after;
  after << std::ifstream(path).rdbuf();
  EXPECT_EQ(after.str(), before.str());
}

TEST(KeysCommand, OutIsRequired) {
  const gridmeter::testing::CliOutcome outcome = gridmeter::testing::run_cli({"keys"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, HasSubstr("--out is required"));
}

}  // namespace
}  // namespace gridmeter::app
