// The security of associations, server and client together in process: the ciphered context,
// HLS-GMAC's four passes (with the Green Book's f(StoC) and f(CtoS) vectors), the three
// ciphered request forms, security policies, replays, wrong keys and titles, lock-out, the
// server's invocation counter across restarts, and keys transferred by key_transfer.
#include <gtest/gtest.h>

#include <vector>

#include "apdu_test_support.hpp"
#include "dlms/client.hpp"
#include "dlms/server_connection.hpp"
#include "dlms/server_security.hpp"
#include "fake_object_server.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;
using apdu_testing::Octets;
using testing_support::FakeObjects;

// The Green Book's example keys and titles (shared/reference/test-vectors.md).
AesKey key_from(std::string_view text) {
  const Octets octets = hex(text);
  AesKey key{};
  std::copy(octets.begin(), octets.end(), key.begin());
  return key;
}
SystemTitle title_from(std::string_view text) {
  const Octets octets = hex(text);
  SystemTitle title{};
  std::copy(octets.begin(), octets.end(), title.begin());
  return title;
}
const AesKey ek = key_from("000102030405060708090A0B0C0D0E0F");
const AesKey ak = key_from("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
const AesKey kek = key_from("101112131415161718191A1B1C1D1E1F");
const SystemTitle server_title = title_from("4D4D4D0000BC614E");
const SystemTitle client_title = title_from("4D4D4D0000000001");

constexpr std::uint16_t management = 0x01;
constexpr std::uint16_t reader = 0x30;
const CosemAttributeDescriptor energy{3, Obis{1, 0, 1, 8, 0, 255}, 2};

struct Logged {
  SecurityEvent event;
  std::uint16_t client;
  friend bool operator==(const Logged&, const Logged&) = default;
};

class AssociationSecurityTest : public ::testing::Test {
 protected:
  AssociationSecurityTest() {
    settings_.clients.push_back(ClientPolicy::public_client(read_only_conformance));
    settings_.clients.push_back(ClientPolicy::high_gmac(
        management, SecurityPolicy::authenticated_encrypted(), full_conformance));
    // HLS-GMAC without ciphering: the reading client of the Green Book's HLS example.
    settings_.clients.push_back(
        ClientPolicy::high_gmac(reader, SecurityPolicy::none(), read_only_conformance));
    restart();
  }

  // A fresh ServerSecurity from what was persisted last (or the initial state): a restart.
  void restart(std::optional<SecurityState> from = std::nullopt) {
    connection_.reset();
    SecurityState state;
    if (from) {
      state = *from;
    } else if (persisted_) {
      state = *persisted_;
    } else {
      state.server_system_title = server_title;
      state.keys.unicast_encryption = ek;
      state.keys.authentication = ak;
      state.keys.master = kek;
      state.server_invocation_counter = first_server_counter_;
    }
    SecurityHooks hooks;
    hooks.persist = [this](const SecurityState& saved) {
      persisted_ = saved;
      ++persists_;
      return Status{};
    };
    hooks.event = [this](SecurityEvent event, std::uint16_t client) {
      events_.push_back({event, client});
    };
    hooks.monotonic_ms = [this] { return now_ms_; };
    hooks.random = [this](std::size_t size) -> Result<Octets> {
      if (!server_challenge_.empty()) return server_challenge_;
      return Octets(size, 0x5A);
    };
    security_ = std::make_unique<ServerSecurity>(std::move(state), hooks, lockout_, activation_);
    for (const ClientPolicy& policy : settings_.clients)
      security_->set_initial_policy(policy.client_sap, policy.security_policy);
    connection_ = std::make_unique<ServerConnection>(settings_, objects_, security_.get());
  }

  Client client_at(std::uint16_t client_sap, ClientOptions options) {
    return Client(
        [this, client_sap](std::span<const std::uint8_t> request) -> Result<Octets> {
          requests_.emplace_back(request.begin(), request.end());
          Octets answer;
          connection_->handle(client_sap, 1, request, answer);
          answers_.push_back(answer);
          return answer;
        },
        std::move(options));
  }
  static ClientOptions hls(AesKey client_ek = ek, AesKey client_ak = ak,
                           SystemTitle title = client_title, std::uint32_t counter = 1) {
    ClientOptions options;
    options.mechanism = Mechanism::high_gmac;
    options.ciphering = ClientCiphering{};
    options.ciphering->ek = client_ek;
    options.ciphering->ak = client_ak;
    options.ciphering->client_system_title = title;
    options.ciphering->invocation_counter = counter;
    options.challenge = hex("4B35366956616759");
    return options;
  }
  // HLS-GMAC in the context without ciphering: the keys prove, nothing is ciphered.
  static ClientOptions hls_in_clear() {
    ClientOptions options = hls();
    options.ciphering->security = SecurityControl{0x00};
    return options;
  }
  // Sends `request` raw on the management client's association; the answer.
  Octets raw(const Octets& request, std::uint16_t client_sap = management) {
    Octets answer;
    connection_->handle(client_sap, 1, request, answer);
    return answer;
  }

  ServerSettings settings_;
  FakeObjects objects_;
  LockoutSettings lockout_{.failures_max = 3, .window_ms = 60'000, .lockout_ms = 300'000};
  KeyActivation activation_ = KeyActivation::next_apdu;
  std::uint32_t first_server_counter_ = 0x01234567;
  std::unique_ptr<ServerSecurity> security_;
  std::unique_ptr<ServerConnection> connection_;
  std::optional<SecurityState> persisted_;
  int persists_ = 0;
  std::vector<Logged> events_;
  std::int64_t now_ms_ = 1'000;
  Octets server_challenge_;
  std::vector<Octets> requests_;
  std::vector<Octets> answers_;
};

TEST_F(AssociationSecurityTest, HlsGmacPassesThreeAndFourCarryTheGreenBookVectors) {
  // V5 and V6 of shared/reference/test-vectors.md: the server's challenge StoC, the client's
  // CtoS, the client's counter 1 and the server's 01234567.
  server_challenge_ = hex("503677524A323146");
  Client client = client_at(reader, hls_in_clear());
  ASSERT_TRUE(client.associate());
  ASSERT_EQ(requests_.size(), 2U);
  // Pass 3, in clear (the reader's policy asks for no ciphering): Action-Request-Normal to
  // 0-0:40.0.0.255 method 1 with f(StoC) = V5.
  EXPECT_EQ(requests_[1], hex("C3 01 C1 000F 0000280000FF 01 01 0911"
                              "10000000011A52FE7DD3E72748973C1E28"));
  // Pass 4: success with f(CtoS) = V6.
  EXPECT_EQ(answers_[1], hex("C7 01 C1 00 01 00 0911 1001234567FE1466AFB3DBCD4F9389E2B7"));
  ASSERT_TRUE(client.associated());
  auto value = client.get(energy);
  ASSERT_TRUE(value);
  EXPECT_EQ(std::get<Data>(*value), Data::unsigned32(1234));
  EXPECT_TRUE(events_.empty());
}

TEST_F(AssociationSecurityTest, AareOfHlsNamesTheChallengeAndAuthenticationRequired) {
  server_challenge_ = hex("503677524A323146");
  Client client = client_at(reader, hls_in_clear());
  ASSERT_TRUE(client.associate());
  auto aare = Aare::decode(answers_[0]);
  ASSERT_TRUE(aare);
  EXPECT_EQ(aare->result, AssociationResult::accepted);
  EXPECT_EQ(aare->diagnostic, SourceDiagnostic{AcseServiceUser::authentication_required});
  EXPECT_EQ(aare->mechanism_name, to_oid(Mechanism::high_gmac));
  EXPECT_EQ(aare->responding_authentication_value, hex("503677524A323146"));
  EXPECT_EQ(aare->responding.ap_title, Octets(server_title.begin(), server_title.end()));
}

TEST_F(AssociationSecurityTest, NothingButTheProofIsServedWhileAuthenticationIsPending) {
  Client client = client_at(reader, hls_in_clear());
  ASSERT_TRUE(client.associate());
  // A second AARQ leaves the association pending; a GET then is refused, not served.
  Aarq aarq;
  aarq.calling.ap_title.emplace(client_title.begin(), client_title.end());
  aarq.authentication = true;
  aarq.mechanism_name = to_oid(Mechanism::high_gmac);
  aarq.calling_authentication_value = hex("0102030405060708");
  InitiateRequest initiate;
  initiate.proposed_conformance = read_only_conformance;
  aarq.user_information = *initiate.encode();
  ASSERT_EQ(raw(*aarq.encode(), reader)[0], 0x61);
  EXPECT_EQ(raw(hex("C0 01 C1 0003 0100010800FF 02 00"), reader), hex("D8 01 01"));
  EXPECT_EQ(connection_->association(reader)->context().associated, false);
  EXPECT_EQ(connection_->association(reader)->context().authentication_pending, true);
}

TEST_F(AssociationSecurityTest, AWrongProofFailsLogsEventFortySixAndLeavesNoAssociation) {
  ClientOptions options = hls_in_clear();
  options.ciphering->ak = key_from("00000000000000000000000000000000");
  Client client = client_at(reader, options);
  auto associated = client.associate();
  ASSERT_FALSE(associated);
  EXPECT_NE(associated.error().message.find("HLS authentication failed: the server answered "
                                            "other-reason"),
            std::string::npos)
      << associated.error().message;
  EXPECT_EQ(events_, (std::vector<Logged>{{SecurityEvent::authentication_failure, reader}}));
  EXPECT_FALSE(connection_->association(reader)->context().associated);
  EXPECT_EQ(raw(hex("C0 01 C1 0003 0100010800FF 02 00"), reader), hex("D8 01 01"));
}

TEST_F(AssociationSecurityTest, ManagementClientReadsWritesAndInvokesAuthenticatedAndEncrypted) {
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate()) << "associate";
  // AARQ with the ciphered context, the client's title and a glo-initiate-request.
  auto aarq = Aarq::decode(requests_[0]);
  ASSERT_TRUE(aarq);
  EXPECT_EQ(aarq->application_context_name, to_oid(ApplicationContext::ln_ciphering));
  EXPECT_EQ((*aarq->user_information)[0], 0x21);
  auto aare = Aare::decode(answers_[0]);
  ASSERT_TRUE(aare);
  EXPECT_EQ(aare->application_context_name, to_oid(ApplicationContext::ln_ciphering));
  EXPECT_EQ((*aare->user_information)[0], 0x28);  // glo-initiate-response
  // Pass 3 and its answer travel as glo-action-request / glo-action-response.
  EXPECT_EQ(requests_[1][0], 0xCB);
  EXPECT_EQ(answers_[1][0], 0xCF);

  auto value = client.get(energy);
  ASSERT_TRUE(value);
  EXPECT_EQ(std::get<Data>(*value), Data::unsigned32(1234));
  EXPECT_EQ(requests_.back()[0], 0xC8);
  EXPECT_EQ(answers_.back()[0], 0xCC);
  // The security header: authenticated and encrypted.
  EXPECT_EQ(requests_.back()[2], 0x30);
  EXPECT_EQ(answers_.back()[2], 0x30);
  auto written = client.set(energy, Data::unsigned32(99));
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, DataAccessResult::success);
  EXPECT_EQ(objects_.written, Data::unsigned32(99));
  auto invoked = client.action({8, Obis{0, 0, 1, 0, 0, 255}, 6}, Data::integer16(-30));
  ASSERT_TRUE(invoked);
  EXPECT_EQ(invoked->result, ActionResult::success);
  EXPECT_EQ(objects_.actions, 1);
  EXPECT_TRUE(events_.empty());
  EXPECT_EQ(security_->state().find_client(management)->system_title, client_title);
  // The client's counter went up by one per use of its IV: the AARQ, f(StoC), the
  // glo-action-request that carried it, GET, SET, ACTION.
  EXPECT_EQ(security_->last_client_counter(management), 6U);
  EXPECT_EQ(client.invocation_counter(), 7U);
}

TEST_F(AssociationSecurityTest, GeneralGloCipheringIsAnsweredInTheSameForm) {
  ClientOptions options = hls();
  options.ciphering->general_ciphering = true;
  Client client = client_at(management, options);
  ASSERT_TRUE(client.associate());
  auto value = client.get(energy);
  ASSERT_TRUE(value);
  EXPECT_EQ(std::get<Data>(*value), Data::unsigned32(1234));
  EXPECT_EQ(requests_.back()[0], 0xDB);
  EXPECT_EQ(answers_.back()[0], 0xDB);
  // The answer names the server's system title.
  EXPECT_EQ(Octets(answers_.back().begin() + 2, answers_.back().begin() + 10),
            Octets(server_title.begin(), server_title.end()));
}

TEST_F(AssociationSecurityTest, ADedicatedKeyProtectsEverythingAfterTheAarq) {
  ClientOptions options = hls();
  options.ciphering->dedicated_key = key_from("00112233445566778899AABBCCDDEEFF");
  Client client = client_at(management, options);
  ASSERT_TRUE(client.associate());
  EXPECT_EQ((*Aarq::decode(requests_[0])->user_information)[0], 0x21);  // under the global key
  EXPECT_EQ(requests_[1][0], 0xD3);                                     // ded-action-request
  auto value = client.get(energy);
  ASSERT_TRUE(value);
  EXPECT_EQ(requests_.back()[0], 0xD0);
  EXPECT_EQ(answers_.back()[0], 0xD4);
  // A dedicated key has its own counter: the global one saw only the AARQ.
  EXPECT_EQ(security_->last_client_counter(management), 1U);
}

TEST_F(AssociationSecurityTest, AReplayedRequestIsRefusedLoggedAndNotServedAgain) {
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate());
  ASSERT_TRUE(client.set(energy, Data::unsigned32(7)));
  const Octets set_request = requests_.back();
  ASSERT_EQ(objects_.sets, 1);
  // The same octets again: invocation-counter-error with the lowest counter accepted now.
  EXPECT_EQ(raw(set_request), hex("D8 01 06 00000005"));
  EXPECT_EQ(objects_.sets, 1);
  EXPECT_EQ(events_, (std::vector<Logged>{{SecurityEvent::replay_attack, management}}));
  // A lower counter too.
  Octets older = set_request;
  older[6] = 0x02;  // counter 4 -> 2 (the tag no longer verifies either: refused on the tag)
  EXPECT_EQ(raw(older), hex("D8 01 05"));
  EXPECT_EQ(objects_.sets, 1);
  // The association survives: the client goes on with its next counter.
  auto value = client.get(energy);
  ASSERT_TRUE(value);
}

TEST_F(AssociationSecurityTest, AWrongKeyIsRefusedAtTheAarqAndLogged) {
  Client client = client_at(management, hls(key_from("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")));
  auto associated = client.associate();
  ASSERT_FALSE(associated);
  EXPECT_NE(associated.error().message.find("rejected-permanent"), std::string::npos);
  EXPECT_EQ(events_, (std::vector<Logged>{{SecurityEvent::deciphering_failure, management}}));
  EXPECT_FALSE(connection_->association(management)->context().associated);
  // A client that did not prove itself leaves no system title behind.
  EXPECT_FALSE(security_->state().find_client(management)->system_title);
}

TEST_F(AssociationSecurityTest, AWrongTagAWrongTitleAndAPlainRequestAreRefused) {
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate());
  ASSERT_TRUE(client.get(energy));
  const std::size_t served = static_cast<std::size_t>(objects_.sets);
  // A flipped octet of the tag.
  Octets tampered = requests_.back();
  tampered.back() ^= 0x01;
  EXPECT_EQ(raw(tampered), hex("D8 01 05"));
  // general-glo-ciphering under another system title.
  Suite0 suite(ek, ak);
  Octets content;
  ASSERT_TRUE(suite.protect(SecurityControl{0x30}, title_from("4D4D4D0000000002"), 100,
                            hex("C0 01 C1 0003 0100010800FF 02 00"), content));
  Octets foreign;
  encode_general_ciphering(false, title_from("4D4D4D0000000002"), content, foreign);
  EXPECT_EQ(raw(foreign), hex("D8 01 05"));
  // A plain request where the policy demands authentication and encryption.
  EXPECT_EQ(raw(hex("C1 01 C1 0003 0100010800FF 02 00 06 00000001")), hex("D8 01 01"));
  EXPECT_EQ(static_cast<std::size_t>(objects_.sets), served);
  // Authenticated only, where encryption is required too.
  content.clear();
  ASSERT_TRUE(suite.protect(SecurityControl{0x10}, client_title, 50,
                            hex("C1 01 C1 0003 0100010800FF 02 00 06 00000001"), content));
  Octets authenticated_only;
  encode_service_ciphered(0xC9, content, authenticated_only);
  EXPECT_EQ(raw(authenticated_only), hex("D8 01 01"));
  EXPECT_EQ(static_cast<std::size_t>(objects_.sets), served);
  EXPECT_EQ(events_, (std::vector<Logged>{{SecurityEvent::deciphering_failure, management},
                                          {SecurityEvent::deciphering_failure, management}}));
}

TEST_F(AssociationSecurityTest, APlainAarqOfAClientThatMustCipherIsRefused) {
  ClientOptions options;
  options.mechanism = Mechanism::low;
  options.password = {'x'};
  Client client = client_at(management, options);
  auto associated = client.associate();
  ASSERT_FALSE(associated);
  EXPECT_NE(associated.error().message.find("application-context-name-not-supported"),
            std::string::npos)
      << associated.error().message;
}

TEST_F(AssociationSecurityTest, RepeatedFailuresLockTheClientOutForTheConfiguredTime) {
  for (int i = 0; i < 3; ++i) {
    Client wrong = client_at(management, hls(ek, key_from("0F0E0D0C0B0A09080706050403020100")));
    ASSERT_FALSE(wrong.associate());
    now_ms_ += 1'000;
  }
  ASSERT_EQ(events_.size(), 3U);
  // The right keys now: refused all the same, rejected-transient, while locked out.
  Client right = client_at(management, hls(ek, ak, client_title, 100));
  auto refused = right.associate();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("rejected-transient"), std::string::npos)
      << refused.error().message;
  // Other clients are not locked out.
  Client reading = client_at(reader, hls(ek, ak, client_title, 200));
  EXPECT_TRUE(reading.associate());
  now_ms_ += 300'000;
  Client later = client_at(management, hls(ek, ak, client_title, 300));
  EXPECT_TRUE(later.associate());
}

TEST_F(AssociationSecurityTest, FailuresOutsideTheWindowDoNotAddUp) {
  for (int i = 0; i < 3; ++i) {
    Client wrong = client_at(management, hls(ek, key_from("0F0E0D0C0B0A09080706050403020100")));
    ASSERT_FALSE(wrong.associate());
    now_ms_ += 40'000;  // 3 failures over 80 s: never 3 within a 60 s window
  }
  Client right = client_at(management, hls(ek, ak, client_title, 100));
  EXPECT_TRUE(right.associate());
}

TEST_F(AssociationSecurityTest, ARestartContinuesTheServersCounterWithoutReuse) {
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate());  // requests 0 (AARQ) and 1 (pass 3)
  ASSERT_TRUE(client.get(energy));  // request 2
  // The store holds a reservation ahead of every counter used.
  ASSERT_TRUE(persisted_);
  EXPECT_EQ(persisted_->server_invocation_counter,
            first_server_counter_ + invocation_counter_reservation);
  // Used: the initiate response, f(CtoS), the answer that carried it, one GET answer.
  EXPECT_EQ(security_->state().server_invocation_counter, first_server_counter_ + 4);
  restart();  // as after a crash: only what was persisted
  Client again = client_at(management, hls(ek, ak, client_title, client.invocation_counter()));
  ASSERT_TRUE(again.associate());  // requests 3 and 4
  // The first counter after the restart is the reservation, above every one used before.
  const Octets initiate_response = *Aare::decode(answers_[3])->user_information;
  ASSERT_EQ(initiate_response[0], 0x28);
  const std::uint32_t first = (std::uint32_t{initiate_response[3]} << 24U) |
                              (std::uint32_t{initiate_response[4]} << 16U) |
                              (std::uint32_t{initiate_response[5]} << 8U) | initiate_response[6];
  EXPECT_EQ(first, first_server_counter_ + invocation_counter_reservation);
  // The client's counter floor survived a restart too: its AARQ replayed is refused.
  restart();
  EXPECT_EQ(Aare::decode(raw(requests_[3]))->result, AssociationResult::rejected_permanent);
  EXPECT_EQ(events_.back(), (Logged{SecurityEvent::replay_attack, management}));
}

TEST_F(AssociationSecurityTest, TheServerCounterStopsBeforeItWraps) {
  first_server_counter_ = 0xFFFFFFFEU;
  restart();
  Client client = client_at(management, hls());
  // The initiate response takes FFFFFFFE; the proof in pass 4 has nothing left, and neither
  // has its answer: an Exception-Response in clear.
  auto associated = client.associate();
  ASSERT_FALSE(associated);
  EXPECT_NE(associated.error().message.find("Exception-Response service-not-allowed, other-reason"),
            std::string::npos)
      << associated.error().message;
  EXPECT_FALSE(connection_->association(management)->context().associated);
}

// key_transfer as Security setup (class 64, method 2) does it: the method stages the keys.
class KeyTransferObjects final : public ObjectServer {
 public:
  KeyTransferObjects(ObjectServer& others, std::unique_ptr<ServerSecurity>& security)
      : others_(others), security_(security) {}
  GetDataResult get(const AssociationContext& context, const CosemAttributeDescriptor& attribute,
                    const std::optional<AccessSelection>& access) override {
    return others_.get(context, attribute, access);
  }
  DataAccessResult set(const AssociationContext& context, const CosemAttributeDescriptor& attribute,
                       const std::optional<AccessSelection>& access, const Data& value) override {
    return others_.set(context, attribute, access, value);
  }
  ActionOutcome action(const AssociationContext& context, const CosemMethodDescriptor& method,
                       const std::optional<Data>& parameters) override {
    if (method.class_id != 64) return others_.action(context, method, parameters);
    const auto wrapped = parameters->as_octets();
    const WrappedKey key{static_cast<KeyId>(method.method_id - 10),
                         Octets(wrapped->begin(), wrapped->end())};
    if (!security_->stage_keys(std::span(&key, 1))) return {ActionResult::other_reason, {}};
    return {ActionResult::success, std::nullopt};
  }

 private:
  ObjectServer& others_;
  std::unique_ptr<ServerSecurity>& security_;
};

class KeyTransferTest : public AssociationSecurityTest {
 protected:
  KeyTransferTest() { use_key_transfer(); }
  void use_key_transfer() {
    connection_ = std::make_unique<ServerConnection>(settings_, transfer_, security_.get());
  }
  // Sends `key` wrapped under the master key as `id` (the test object's method 10 + key_id).
  Result<ActionOutcome> transfer(Client& client, KeyId id, const AesKey& key) {
    auto wrapped = aes_key_wrap(kek, key);
    EXPECT_TRUE(wrapped);
    return client.action(
        {64, Obis{0, 0, 43, 0, 3, 255}, static_cast<std::int8_t>(10 + static_cast<int>(id))},
        Data::octets(*wrapped));
  }
  KeyTransferObjects transfer_{objects_, security_};
};

TEST_F(KeyTransferTest, TransferredKeysTakeEffectAfterTheAnswerAndRestartCounters) {
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate());
  const AesKey new_ek = key_from("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF");
  // The answer to the transfer is still under the old key (the client deciphers it).
  auto transferred = transfer(client, KeyId::unicast_encryption, new_ek);
  ASSERT_TRUE(transferred) << transferred.error().message;
  EXPECT_EQ(transferred->result, ActionResult::success);
  // Then the new key is in force, with fresh counters.
  EXPECT_EQ(security_->state().keys.unicast_encryption, new_ek);
  EXPECT_EQ(security_->state().server_invocation_counter, 0U);
  EXPECT_EQ(security_->last_client_counter(management), 0U);
  EXPECT_EQ(events_, (std::vector<Logged>{{SecurityEvent::keys_changed, 0}}));
  ASSERT_TRUE(persisted_);
  EXPECT_TRUE(persisted_->keys_transferred);
  EXPECT_EQ(persisted_->keys.unicast_encryption, new_ek);
  // The old key no longer works; the new one does, from counter 1.
  EXPECT_FALSE(client.get(energy));
  Client renewed = client_at(management, hls(new_ek, ak, client_title, 1));
  ASSERT_TRUE(renewed.associate());
  EXPECT_TRUE(renewed.get(energy));
}

TEST_F(KeyTransferTest, KeysForTheNextAssociationWaitForTheRelease) {
  activation_ = KeyActivation::next_association;
  restart();
  use_key_transfer();
  Client client = client_at(management, hls());
  ASSERT_TRUE(client.associate());
  const AesKey new_ak = key_from("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF");
  auto transferred = transfer(client, KeyId::authentication, new_ak);
  ASSERT_TRUE(transferred);
  // The association that transferred the key goes on with the old one.
  ASSERT_TRUE(client.get(energy));
  EXPECT_EQ(security_->state().keys.authentication, ak);
  ASSERT_TRUE(client.release());
  EXPECT_EQ(security_->state().keys.authentication, new_ak);
  Client renewed =
      client_at(management, hls(ek, new_ak, client_title, client.invocation_counter()));
  auto associated = renewed.associate();
  ASSERT_TRUE(associated) << associated.error().message;
  EXPECT_TRUE(renewed.get(energy));
}

TEST_F(AssociationSecurityTest, StagingRefusesAWrongMasterKeyAndChangesNothing) {
  auto wrapped = aes_key_wrap(key_from("000102030405060708090A0B0C0D0E0F"), ek);
  const WrappedKey key{KeyId::unicast_encryption, Octets(wrapped->begin(), wrapped->end())};
  auto staged = security_->stage_keys(std::span(&key, 1));
  ASSERT_FALSE(staged);
  EXPECT_EQ(staged.error().message, "key unwrap: integrity check failed");
  EXPECT_FALSE(security_->keys_staged());
  const WrappedKey twice[] = {key, key};
  EXPECT_FALSE(security_->stage_keys(twice));
}

TEST_F(AssociationSecurityTest, SecurityActivateOnlyStrengthens) {
  EXPECT_FALSE(security_->activate_policy(management, SecurityPolicy::none()));
  EXPECT_FALSE(security_->activate_policy(management, SecurityPolicy{0x7C}));  // signatures
  ASSERT_TRUE(
      security_->activate_policy(reader, SecurityPolicy{SecurityPolicy::encrypted_request}));
  EXPECT_EQ(persisted_->find_client(reader)->policy.bits, SecurityPolicy::encrypted_request);
  // The reader must now come ciphered.
  Client plain = client_at(reader, hls_in_clear());
  auto refused = plain.associate();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("application-context-name-not-supported"),
            std::string::npos);
  Client ciphered = client_at(reader, hls(ek, ak, client_title, 10));
  EXPECT_TRUE(ciphered.associate());
  EXPECT_TRUE(ciphered.get(energy));
}

}  // namespace
}  // namespace gridmeter::dlms
