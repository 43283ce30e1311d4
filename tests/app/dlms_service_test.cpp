// The DLMS service of `gridmeter run`, in process: clients from the rights table, the security
// state loaded from and saved to the store hooks, security events in the meter's logs, keys
// transferred by the management client that win over the secrets file after a restart.
#include "app/dlms_service.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "cosem/cosem_test_support.hpp"
#include "dlms/client.hpp"
#include "support/measurements.hpp"

namespace gridmeter::app {
namespace {

const dlms::AesKey ek{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
const dlms::AesKey ak{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                      0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
const dlms::AesKey kek{0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                       0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F};
const dlms::CosemAttributeDescriptor energy{3, Obis{1, 0, 1, 8, 0, 255}, 2};

class DlmsServiceTest : public ::testing::Test {
 protected:
  DlmsServiceOptions options() {
    DlmsServiceOptions result;
    result.listen = {"127.0.0.1", 0};
    result.secrets.ek = ek;
    result.secrets.ak = ak;
    result.secrets.kek = kek;
    result.clients = config::default_clients(false, true);
    result.load_security = [this]() -> Result<std::optional<dlms::SecurityState>> {
      return stored_;
    };
    result.save_security = [this](const dlms::SecurityState& state) {
      stored_ = state;
      ++saves_;
      return Status{};
    };
    return result;
  }

  // A management client (SAP 1) of `service` with `client_ek`, in process.
  dlms::Client management(dlms::ServerConnection& connection, const dlms::AesKey& client_ek,
                          std::uint32_t counter) {
    dlms::ClientOptions client_options;
    client_options.mechanism = dlms::Mechanism::high_gmac;
    client_options.ciphering = dlms::ClientCiphering{};
    client_options.ciphering->ek = client_ek;
    client_options.ciphering->ak = ak;
    client_options.ciphering->client_system_title = {1, 2, 3, 4, 5, 6, 7, 8};
    client_options.ciphering->invocation_counter = counter;
    return dlms::Client(
        [&connection](std::span<const std::uint8_t> request) -> Result<std::vector<std::uint8_t>> {
          std::vector<std::uint8_t> answer;
          connection.handle(config::management_client_sap, 1, request, answer);
          return answer;
        },
        client_options);
  }

  cosem::test::TestAccess access_{Connection::single_phase_2w, test::utc(2026, 1, 7, 9, 0)};
  std::optional<dlms::SecurityState> stored_;
  int saves_ = 0;
};

TEST_F(DlmsServiceTest, TransferredKeysArePersistedAndWinOverTheSecretsFile) {
  dlms::AesKey new_ek = ek;
  new_ek[0] = 0xEE;
  {
    DlmsService service(access_, options());
    ASSERT_TRUE(service.start());
    // The start saved the initial state: the file's keys, the derived system title.
    ASSERT_TRUE(stored_);
    EXPECT_FALSE(stored_->keys_transferred);
    EXPECT_EQ(stored_->keys.unicast_encryption, ek);
    auto connection = service.connect();
    dlms::Client client = management(*connection, ek, 1);
    ASSERT_TRUE(client.associate());
    auto wrapped = dlms::aes_key_wrap(kek, new_ek);
    ASSERT_TRUE(wrapped);
    auto transferred = client.action(
        {64, Obis{0, 0, 43, 0, 3, 255}, 2},
        dlms::Data::array(
            {dlms::Data::structure({dlms::Data::enumeration(0), dlms::Data::octets(*wrapped)})}));
    ASSERT_TRUE(transferred) << transferred.error().message;
    EXPECT_EQ(transferred->result, dlms::ActionResult::success);
    // Logged (event 48) and saved; never shown by any attribute.
    EXPECT_EQ(access_.meter().state().standard_events.newest().values[0], 48);
    EXPECT_TRUE(stored_->keys_transferred);
    EXPECT_EQ(stored_->keys.unicast_encryption, new_ek);
    service.stop();
  }
  // A restart with the same secrets file: the transferred key is the one in force.
  DlmsService service(access_, options());
  ASSERT_TRUE(service.start());
  auto connection = service.connect();
  dlms::Client old_key = management(*connection, ek, 100);
  EXPECT_FALSE(old_key.associate());
  dlms::Client new_key = management(*connection, new_ek, 1);
  ASSERT_TRUE(new_key.associate());
  EXPECT_TRUE(new_key.get(energy));
  // The failed attempt with the old key is in the fraud log (event 49).
  EXPECT_EQ(access_.meter().state().fraud_events.newest().values[0], 49);
}

TEST_F(DlmsServiceTest, ClientsNeedTheSecretsTheirAuthenticationUses) {
  auto no_password = dlms_service_options("127.0.0.1:0", std::nullopt, std::nullopt, 120);
  ASSERT_TRUE(no_password && *no_password);
  // Without secrets only the public client.
  ASSERT_EQ((*no_password)->clients.clients.size(), 1U);
  EXPECT_EQ((*no_password)->clients.clients[0].sap, config::public_client_sap);
  const DlmsService service(access_, std::move(**no_password));
  EXPECT_NE(service.description().find("public 16 (no secrets file"), std::string::npos)
      << service.description();
}

TEST_F(DlmsServiceTest, TheSystemTitleIsTheSecretsFilesOrDerivedFromTheIdentity) {
  DlmsServiceOptions derived = options();
  derived.identity.serial_number = "12345678";
  DlmsService service(access_, std::move(derived));
  ASSERT_TRUE(service.start());
  // "GRD" and 12345678 = 0x0000BC614E.
  EXPECT_EQ(service.security()->server_system_title(),
            (dlms::SystemTitle{0x47, 0x52, 0x44, 0x00, 0x00, 0xBC, 0x61, 0x4E}));
  DlmsServiceOptions given = options();
  given.secrets.system_title = dlms::SystemTitle{9, 9, 9, 9, 9, 9, 9, 9};
  stored_.reset();
  DlmsService titled(access_, std::move(given));
  ASSERT_TRUE(titled.start());
  EXPECT_EQ(titled.security()->server_system_title(), (dlms::SystemTitle{9, 9, 9, 9, 9, 9, 9, 9}));
}

}  // namespace
}  // namespace gridmeter::app
