// End to end: `gridmeter run` in accelerated simulation serving DLMS on loopback, and
// `gridmeter read` reading every attribute of every object its object list shows, then
// profiles with both selective accesses, and the refusals a reading client must meet.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/run_cli.hpp"
#include "support/running_meter.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

using gridmeter::testing::run_cli;
using ::testing::HasSubstr;

// A meter serving DLMS, with a secrets file that holds the reading client's password.
class MeterWithReader {
 public:
  explicit MeterWithReader(const gridmeter::testing::TempDir& dir)
      : secrets_(dir.file("secrets.toml")) {
    gridmeter::testing::write_private_file(secrets_, "lls_password = \"reader-pw\"\n");
    meter_.emplace(dir.file("meter.db"), std::vector<std::string>{"--secrets", secrets_});
  }
  [[nodiscard]] std::string address() const { return meter_->address(); }
  [[nodiscard]] const std::string& secrets() const { return secrets_; }

 private:
  std::string secrets_;
  std::optional<gridmeter::testing::RunningMeter> meter_;
};

class DlmsEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new gridmeter::testing::TempDir();
    meter_ = new MeterWithReader(*dir_);
  }
  static void TearDownTestSuite() {
    delete meter_;
    delete dir_;
  }
  static nlohmann::json read_json(std::vector<std::string> arguments, int expected_code = 0) {
    arguments.insert(arguments.begin(), {"read", meter_->address()});
    arguments.push_back("--json");
    const auto outcome = run_cli(arguments);
    EXPECT_EQ(outcome.code, expected_code) << outcome.err << outcome.out;
    if (outcome.out.empty()) return nlohmann::json::object();
    return nlohmann::json::parse(outcome.out);
  }
  static std::vector<std::string> reader() { return {"--secrets", meter_->secrets()}; }

  static gridmeter::testing::TempDir* dir_;
  static MeterWithReader* meter_;
};

gridmeter::testing::TempDir* DlmsEndToEnd::dir_ = nullptr;
MeterWithReader* DlmsEndToEnd::meter_ = nullptr;

TEST_F(DlmsEndToEnd, TheReadingClientReadsEveryAttributeOfEveryObject) {
  const nlohmann::json listed = read_json({"--secrets", meter_->secrets(), "--list"});
  const auto& objects = listed["objects"];
  ASSERT_GT(objects.size(), 100U);
  std::size_t attributes_read = 0;
  std::size_t attributes_readable = 0;
  for (const auto& object : objects) {
    std::vector<std::string> arguments = reader();
    for (const auto& attribute : object["attributes"]) {
      if (attribute["access"] == "-") continue;
      ++attributes_readable;
      arguments.push_back(object["obis"].get<std::string>() + ":" +
                          std::to_string(attribute["id"].get<int>()));
    }
    const nlohmann::json values = read_json(arguments);
    for (const auto& value : values["values"]) {
      EXPECT_FALSE(value.contains("error")) << value.dump();
      EXPECT_TRUE(value.contains("value")) << value.dump();
      ++attributes_read;
    }
  }
  EXPECT_EQ(attributes_read, attributes_readable);
  EXPECT_GT(attributes_read, 400U);
}

TEST_F(DlmsEndToEnd, ValuesComeWithTheirUnitsAndScalers) {
  const nlohmann::json values = read_json(
      {"--secrets", meter_->secrets(), "1-0:1.8.0", "1-0:32.7.0", "1-0:14.7.0", "0-0:42.0.0.255"});
  ASSERT_EQ(values["values"].size(), 4U);
  EXPECT_EQ(values["values"][0]["unit"], "Wh");
  EXPECT_EQ(values["values"][0]["scaler"], 0);
  EXPECT_GT(values["values"][0]["value"].get<double>(), 0.0);
  EXPECT_EQ(values["values"][1]["unit"], "V");
  EXPECT_NEAR(values["values"][1]["value"].get<double>(), 230.0, 25.0);
  EXPECT_NEAR(values["values"][2]["value"].get<double>(), 50.0, 0.5);
  EXPECT_EQ(values["values"][3]["value"], "GRD00000001");
}

TEST_F(DlmsEndToEnd, ThePublicClientSeesOnlyIdentificationAndTime) {
  const nlohmann::json listed = read_json({"--list"});
  // Identification, clock, SAP assignment, the current association and its own (0-0:40.0.1).
  EXPECT_EQ(listed["objects"].size(), 7U);
  const nlohmann::json values = read_json({"0-0:1.0.0.255", "1-0:1.8.0"}, 1);
  EXPECT_TRUE(values["values"][0].contains("value"));
  EXPECT_EQ(values["values"][1]["error"], "object-undefined");
}

TEST_F(DlmsEndToEnd, ProfilesWithEntryAndRangeSelection) {
  nlohmann::json first =
      read_json({"--secrets", meter_->secrets(), "--profile", "1-0:99.1.0", "--entries", "1:2"});
  const auto& profile = first["profile"];
  EXPECT_EQ(profile["capture_period_s"], 900);
  ASSERT_EQ(profile["columns"].size(), 6U);
  EXPECT_EQ(profile["columns"][2]["obis"], "1-0:1.8.0.255");
  EXPECT_EQ(profile["columns"][2]["unit"], "Wh");
  ASSERT_GE(profile["entries"].size(), 1U);
  ASSERT_LE(profile["entries"].size(), 2U);
  const std::string first_time = profile["entries"][0][0];
  // The same entry by its time.
  nlohmann::json by_time = read_json({"--secrets", meter_->secrets(), "--profile", "1-0:99.1.0",
                                      "--from", first_time, "--to", first_time});
  ASSERT_EQ(by_time["profile"]["entries"].size(), 1U);
  EXPECT_EQ(by_time["profile"]["entries"][0], profile["entries"][0]);
  const auto csv = run_cli({"read", meter_->address(), "--secrets", meter_->secrets(), "--profile",
                            "1-0:99.1.0", "--entries", "1:1", "--csv"});
  EXPECT_EQ(csv.code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("0-0:1.0.0.255:2,0-0:96.10.1.255:2,1-0:1.8.0.255:2 [Wh],"));
  EXPECT_THAT(csv.out, HasSubstr(first_time));
}

TEST_F(DlmsEndToEnd, WritesAndMethodsAreNotTheReadingClients) {
  const nlohmann::json refused =
      read_json({"--secrets", meter_->secrets(), "--set", "0-0:1.0.0.255:3=-60", "--action",
                 "0-0:1.0.0.255:6=long:-30"},
                1);
  EXPECT_THAT(refused["set"][0]["result"].get<std::string>(),
              HasSubstr("the association does not grant set"));
  EXPECT_THAT(refused["action"][0]["result"].get<std::string>(),
              HasSubstr("the association does not grant action"));
  const auto wrong = run_cli({"read", meter_->address(), "--password", "nope", "1-0:1.8.0"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_THAT(wrong.err, HasSubstr("authentication-failure"));
}

TEST_F(DlmsEndToEnd, AClientThatGoesAwayLeavesTheServerServing) {
  // Raw connections that send half a frame, or a frame of another protocol, and vanish.
  for (const std::vector<std::uint8_t>& bytes :
       {std::vector<std::uint8_t>{0x00, 0x01, 0x00, 0x10}, std::vector<std::uint8_t>(64, 0x7E)}) {
    const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(socket_fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(meter_->address().substr(10))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::write(socket_fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::close(socket_fd);
  }
  const nlohmann::json values = read_json({"0-0:42.0.0.255"});
  EXPECT_EQ(values["values"][0]["value"], "GRD00000001");
}

}  // namespace
}  // namespace gridmeter
