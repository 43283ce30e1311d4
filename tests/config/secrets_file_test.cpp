// The secrets file: what it holds, what it refuses, and that it never names a secret.
#include "config/secrets_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace gridmeter::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string write(const gridmeter::testing::TempDir& dir, const std::string& text, ::mode_t mode) {
  const std::string path = dir.file("secrets.toml");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  ::chmod(path.c_str(), mode);
  return path;
}

TEST(SecretsFile, ReadsThePassword) {
  auto secrets = parse_secrets("lls_password = \"12345678\"\n", "s.toml");
  ASSERT_TRUE(secrets) << secrets.error().message;
  EXPECT_EQ(secrets->lls_password, "12345678");
  auto empty = parse_secrets("# nothing yet\n", "s.toml");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->lls_password);
}

TEST(SecretsFile, RefusesWhatIsNotAPasswordWithoutEchoingIt) {
  auto error_of = [](const std::string& text) {
    auto secrets = parse_secrets(text, "s.toml");
    EXPECT_FALSE(secrets);
    return secrets ? std::string() : secrets.error().message;
  };
  EXPECT_EQ(error_of("lls_password = 1234\n"), "s.toml:1:16: lls_password: expected a string");
  EXPECT_EQ(error_of("lls_password = \"\"\n"),
            "s.toml:1:16: lls_password: 0 characters, expected 1 to 64");
  EXPECT_EQ(error_of("lls_password = \"" + std::string(65, 'x') + "\"\n"),
            "s.toml:1:16: lls_password: 65 characters, expected 1 to 64");
  const std::string tabbed = error_of("lls_password = \"zebra\\tquux\"\n");
  EXPECT_EQ(tabbed, "s.toml:1:16: lls_password: only printable ASCII characters are allowed");
  EXPECT_THAT(tabbed, Not(HasSubstr("zebra")));
  EXPECT_EQ(error_of("lls_pasword = \"x\"\n"),
            "s.toml:1:15: unknown key \"lls_pasword\" (the secrets file knows lls_password)");
  EXPECT_THAT(error_of("lls_password = \"unterminated\n"), HasSubstr("s.toml:1:"));
}

TEST(SecretsFile, RefusesAFileOthersMayRead) {
  gridmeter::testing::TempDir dir;
  const std::string text = "lls_password = \"12345678\"\n";
  auto private_file = load_secrets(write(dir, text, 0600));
  ASSERT_TRUE(private_file) << private_file.error().message;
  EXPECT_EQ(private_file->lls_password, "12345678");
  EXPECT_TRUE(load_secrets(write(dir, text, 0400)));
  for (const ::mode_t mode : {0644U, 0640U, 0604U, 0660U, 0602U}) {
    auto refused = load_secrets(write(dir, text, mode));
    ASSERT_FALSE(refused) << std::oct << mode;
    EXPECT_THAT(refused.error().message,
                HasSubstr(fmt::format("is open to other users (mode {:04o}): chmod 600 it",
                                      static_cast<unsigned>(mode))));
  }
}

TEST(SecretsFile, AMissingFileOrADirectoryIsAClearError) {
  gridmeter::testing::TempDir dir;
  auto missing = load_secrets(dir.file("none.toml"));
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("cannot open secrets file"));
  EXPECT_THAT(missing.error().message, HasSubstr("No such file or directory"));
  auto directory = load_secrets(dir.path().string());
  ASSERT_FALSE(directory);
  EXPECT_THAT(directory.error().message, HasSubstr("is not a regular file"));
}

}  // namespace
}  // namespace gridmeter::config
