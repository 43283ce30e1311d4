// The client side of the application layer against gridmeter's own server, in process (no
// sockets): association, reads, lists, writes and methods, with the block transfers each way
// forced by small PDUs, and the errors a client reports.
#include "dlms/client.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "apdu_test_support.hpp"
#include "dlms/axdr.hpp"
#include "dlms/server_connection.hpp"
#include "fake_object_server.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;
using apdu_testing::Octets;
using testing_support::FakeObjects;

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() {
    settings_.clients.push_back(ClientPolicy::public_client(read_only_conformance));
    settings_.clients.push_back(ClientPolicy::low_level(0x20, {'p', 'w'}, server_conformance));
  }

  // A client at `client_sap` whose every request goes straight to the server connection.
  Client client_at(std::uint16_t client_sap, ClientOptions options = {}) {
    return Client(
        [this, client_sap](std::span<const std::uint8_t> request) -> Result<Octets> {
          ++exchanges_;
          largest_request_ = std::max(largest_request_, request.size());
          Octets answer;
          connection_.handle(client_sap, 1, request, answer);
          largest_answer_ = std::max(largest_answer_, answer.size());
          return answer;
        },
        std::move(options));
  }
  static ClientOptions lls(std::uint16_t pdu = 0xFFFF) {
    ClientOptions options;
    options.mechanism = Mechanism::low;
    options.password = {'p', 'w'};
    options.max_receive_pdu_size = pdu;
    return options;
  }

  ServerSettings settings_;
  FakeObjects objects_;
  ServerConnection connection_{settings_, objects_};
  int exchanges_ = 0;
  std::size_t largest_request_ = 0;
  std::size_t largest_answer_ = 0;
};

TEST_F(ClientTest, AssociatesReadsAndReleases) {
  Client client = client_at(0x10);
  ASSERT_TRUE(client.associate());
  EXPECT_EQ(client.negotiated().negotiated_conformance, read_only_conformance);
  EXPECT_EQ(client.negotiated().server_max_receive_pdu_size, 2048);
  auto energy = client.get({3, Obis{1, 0, 1, 8, 0, 255}, 2});
  ASSERT_TRUE(energy) << energy.error().message;
  EXPECT_EQ(std::get<Data>(*energy), Data::unsigned32(1234));
  auto missing = client.get({3, Obis{1, 0, 2, 8, 0, 255}, 2});
  ASSERT_TRUE(missing);
  EXPECT_EQ(std::get<DataAccessResult>(*missing), DataAccessResult::object_undefined);
  EXPECT_TRUE(client.release());
  EXPECT_FALSE(connection_.association(0x10)->associated());
}

TEST_F(ClientTest, ARefusedAssociationSaysWhy) {
  ClientOptions wrong = lls();
  wrong.password = {'n', 'o'};
  Client client = client_at(0x20, wrong);
  const Status opened = client.associate();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message,
            "association refused: rejected-permanent, acse-service-user authentication-failure");
  Client tiny = client_at(0x20, [] {
    ClientOptions options = lls();
    options.max_receive_pdu_size = 32;
    return options;
  }());
  const Status too_short = tiny.associate();
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().message,
            "association refused: rejected-permanent, acse-service-user no-reason-given "
            "(initiate-error: initiate pdu-size-too-short)");
}

TEST_F(ClientTest, LongAnswersAreCollectedFromTheirBlocks) {
  Client client = client_at(0x10, [] {
    ClientOptions options;
    options.max_receive_pdu_size = 64;
    return options;
  }());
  ASSERT_TRUE(client.associate());
  auto buffer = client.get({7, Obis{0, 0, 99, 98, 0, 255}, 2});
  ASSERT_TRUE(buffer) << buffer.error().message;
  EXPECT_EQ(std::get<Data>(*buffer), objects_.long_value);
  EXPECT_LE(largest_answer_, 64U);
  EXPECT_EQ(exchanges_, 1 + 6);  // the AARQ, then six blocks
  auto list = client.get_list({{{3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt},
                               {{7, Obis{0, 0, 99, 98, 0, 255}, 2}, std::nullopt}});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ(std::get<Data>((*list)[0]), Data::unsigned32(1234));
  EXPECT_EQ(std::get<Data>((*list)[1]), objects_.long_value);
}

TEST_F(ClientTest, LongWritesAndParametersGoInBlocksOfTheServersPdu) {
  settings_.max_receive_pdu_size = 64;
  Client client = client_at(0x20, lls(64));
  ASSERT_TRUE(client.associate());
  const Data value = Data::octets(Octets(200, 0x77));
  auto written = client.set({3, Obis{1, 0, 1, 8, 0, 255}, 2}, value);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, DataAccessResult::success);
  EXPECT_EQ(objects_.written, value);
  EXPECT_LE(largest_request_, 64U);
  const Data parameters = Data::octets(Octets(150, 0x12));
  auto called = client.action({8, Obis{0, 0, 1, 0, 0, 255}, 6}, parameters);
  ASSERT_TRUE(called) << called.error().message;
  EXPECT_EQ(called->result, ActionResult::success);
  EXPECT_EQ(objects_.last_parameters, parameters);
  // The fake returns the parameters: 153 octets, back in pblocks of the client's 64.
  ASSERT_TRUE(called->return_parameters);
  EXPECT_EQ(std::get<Data>(*called->return_parameters), parameters);
  EXPECT_LE(largest_request_, 64U);
  EXPECT_LE(largest_answer_, 64U);
}

TEST_F(ClientTest, ServicesTheAssociationDidNotGrantAreNotSent) {
  Client client = client_at(0x10);
  ASSERT_TRUE(client.associate());
  const int before = exchanges_;
  auto written = client.set({3, Obis{1, 0, 1, 8, 0, 255}, 2}, Data::unsigned32(1));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message,
            "the association does not grant set (granted: block-transfer-with-get-or-read, "
            "multiple-references, get, selective-access)");
  EXPECT_EQ(exchanges_, before);
  EXPECT_EQ(objects_.sets, 0);
}

TEST_F(ClientTest, AnswersThatAreNoAnswerAreErrors) {
  std::size_t calls = 0;
  std::vector<Octets> answers;
  Client client(
      [&](std::span<const std::uint8_t>) -> Result<Octets> { return answers.at(calls++); }, {});
  answers = {hex("D8 01 02")};
  const Status refused = client.associate();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "the server refused the AARQ: Exception-Response service-not-allowed, "
            "service-not-supported");
  // Accept, then answer a GET with another invoke-id, then with a block out of step.
  Octets aare;
  {
    Aare accepted;
    InitiateResponse initiate;
    initiate.negotiated_conformance = server_conformance;
    accepted.user_information = initiate.encode();
    aare = *accepted.encode();
  }
  answers = {aare, hex("C4 01 C5 00 11 01"), hex("C4 02 C2 00 00 00 00 02 00 01 00")};
  calls = 0;
  ASSERT_TRUE(client.associate());
  auto wrong_invoke = client.get({1, Obis{0, 0, 96, 1, 0, 255}, 2});
  ASSERT_FALSE(wrong_invoke);
  EXPECT_EQ(wrong_invoke.error().message,
            "the answer to the Get-Request-Normal carries invoke-id 5, not 1");
  auto out_of_step = client.get({1, Obis{0, 0, 96, 1, 0, 255}, 2});
  ASSERT_FALSE(out_of_step);
  EXPECT_EQ(out_of_step.error().message, "the server sent block 2 where block 1 was due");
}

}  // namespace
}  // namespace gridmeter::dlms
