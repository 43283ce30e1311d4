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
            "s.toml:1:15: unknown key \"lls_pasword\" (the secrets file knows lls_password, ek, "
            "ak, kek and system_title)");
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

constexpr std::string_view keyed = R"(lls_password = "12345678"
ek = "000102030405060708090A0B0C0D0E0F"
ak = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
kek = "00112233445566778899AABBCCDDEEFF"
system_title = "4D4D4D0000BC614E"
)";

TEST(SecretsFile, ReadsTheKeysAndTheSystemTitle) {
  auto secrets = parse_secrets(keyed, "s.toml");
  ASSERT_TRUE(secrets) << secrets.error().message;
  EXPECT_EQ(secrets->ek, (SecretKey{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                    0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F}));
  EXPECT_EQ(secrets->ak, (SecretKey{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9,
                                    0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF}));
  EXPECT_EQ(secrets->kek, (SecretKey{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
                                     0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF}));
  EXPECT_EQ(secrets->system_title, (SecretTitle{0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E}));
  // Written back in upper case, it reads back equal.
  const std::string text = format_secrets(*secrets);
  EXPECT_THAT(text, HasSubstr("ak = \"D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\"\n"));
  auto back = parse_secrets(text, "back.toml");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *secrets);
  EXPECT_EQ(format_secrets(Secrets{}), "# gridmeter secrets (keep it mode 600; docs/dlms.md)\n");
}

TEST(SecretsFile, RefusesKeysThatAreNot32HexDigitsWithoutEchoingThem) {
  auto error_of = [](const std::string& text) {
    auto secrets = parse_secrets(text, "s.toml");
    EXPECT_FALSE(secrets);
    return secrets ? std::string() : secrets.error().message;
  };
  EXPECT_EQ(error_of("ek = \"000102030405060708090A0B0C0D0E\"\n"),
            "s.toml:1:6: ek: expected 32 hex digits (a 128-bit key), found 30 characters");
  const std::string bad = error_of("kek = \"000102030405060708090A0B0C0D0EZZ\"\n");
  EXPECT_EQ(bad, "s.toml:1:7: kek: expected 32 hex digits (a 128-bit key), found other characters");
  EXPECT_THAT(bad, Not(HasSubstr("0001020304")));
  EXPECT_EQ(error_of("ak = 12\n"),
            "s.toml:1:6: ak: expected a string of 32 hex digits (a 128-bit key)");
  EXPECT_EQ(error_of("system_title = \"4D4D4D0000BC61\"\n"),
            "s.toml:1:16: system_title: expected 16 hex digits (a system title), found 14 "
            "characters");
}

TEST(SecretsFile, WriteNewCreatesAnOwnerOnlyFileAndNeverOverwrites) {
  gridmeter::testing::TempDir dir;
  const std::string path = dir.file("new.toml");
  auto secrets = parse_secrets(keyed, "s.toml");
  ASSERT_TRUE(secrets);
  ASSERT_TRUE(write_new_secrets(path, *secrets));
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777U, 0600U);
  auto loaded = load_secrets(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, *secrets);
  const Status again = write_new_secrets(path, Secrets{});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, path + " exists; remove it first");
  EXPECT_EQ(*load_secrets(path), *secrets);  // untouched
  EXPECT_FALSE(write_new_secrets(dir.file("no/such/dir.toml"), *secrets));
}

}  // namespace
}  // namespace gridmeter::config
