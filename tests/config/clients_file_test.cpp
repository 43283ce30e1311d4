// The association rights table: a full file, the defaults, and every kind of mistake refused
// with the file, line and column and what is wrong.
#include "config/clients_file.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridmeter::config {
namespace {

constexpr std::string_view full = R"(
[lockout]
failures = 3
window_s = 60
duration_s = 300

[keys]
activation = "next-association"

[[client]]
sap = 16
role = "public"

[[client]]
sap = 1
role = "management"
authentication = "hls-gmac"
security = "auth-enc"

[[client.rule]]
object = "0-0:96.3.10.255"
methods = "none"

[[client.rule]]
object = "0-0:1.0.0.255"
attribute = 2
access = "read-write"

[[client.rule]]
object = "1-0:99.1.0.255"
hidden = true

[[client.rule]]
object = "0-0:1.0.0.255"
method = 6
access = "allowed"

[[client]]
sap = 48
role = "reader"
authentication = "low"
security = "enc"
association = 7
)";

TEST(ClientsFile, ReadsEveryKey) {
  auto parsed = parse_clients(full, "clients.toml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->lockout_failures, 3U);
  EXPECT_EQ(parsed->lockout_window_s, 60);
  EXPECT_EQ(parsed->lockout_duration_s, 300);
  EXPECT_TRUE(parsed->keys_next_association);
  ASSERT_EQ(parsed->clients.size(), 3U);
  const ClientConfig& public_client = parsed->clients[0];
  EXPECT_EQ(public_client.sap, 16);
  EXPECT_EQ(public_client.role, "public");
  EXPECT_EQ(public_client.authentication, ClientAuthentication::none);
  EXPECT_EQ(public_client.association, 1);  // by role
  const ClientConfig& management = parsed->clients[1];
  EXPECT_EQ(management.authentication, ClientAuthentication::hls_gmac);
  EXPECT_EQ(management.security_policy, 0x6C);
  EXPECT_EQ(management.association, 3);
  ASSERT_EQ(management.rules.size(), 4U);
  EXPECT_EQ(management.rules[0], (ClientRuleConfig{Obis{0, 0, 96, 3, 10, 255},
                                                   ClientRuleConfig::Kind::method, 0, 0, false}));
  EXPECT_EQ(
      management.rules[1],
      (ClientRuleConfig{Obis{0, 0, 1, 0, 0, 255}, ClientRuleConfig::Kind::attribute, 2, 3, false}));
  EXPECT_EQ(management.rules[2], (ClientRuleConfig{Obis{1, 0, 99, 1, 0, 255},
                                                   ClientRuleConfig::Kind::hide, 0, 0, false}));
  EXPECT_EQ(management.rules[3], (ClientRuleConfig{Obis{0, 0, 1, 0, 0, 255},
                                                   ClientRuleConfig::Kind::method, 6, 0, true}));
  const ClientConfig& reader = parsed->clients[2];
  EXPECT_EQ(reader.authentication, ClientAuthentication::low);
  EXPECT_EQ(reader.security_policy, 0x48);  // encrypted requests and responses
  EXPECT_EQ(reader.association, 7);
}

TEST(ClientsFile, DefaultsFollowTheSecretsAtHand) {
  EXPECT_EQ(default_clients(false, false).clients.size(), 1U);
  const ClientsConfig all = default_clients(true, true);
  ASSERT_EQ(all.clients.size(), 4U);
  EXPECT_EQ(all.clients[1].sap, reading_client_sap);
  EXPECT_EQ(all.clients[1].authentication, ClientAuthentication::low);
  EXPECT_EQ(all.clients[2].sap, management_client_sap);
  EXPECT_EQ(all.clients[2].security_policy, 0x6C);
  EXPECT_EQ(all.clients[3].sap, firmware_client_sap);
  EXPECT_EQ(all.clients[3].role, "firmware");
  EXPECT_EQ(all.lockout_failures, 5U);
}

struct Mistake {
  std::string text;
  std::string message;
};

class ClientsFileMistakes : public ::testing::TestWithParam<Mistake> {};

TEST_P(ClientsFileMistakes, AreRefusedWithWhereAndWhat) {
  auto parsed = parse_clients(GetParam().text, "c.toml");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    All, ClientsFileMistakes,
    ::testing::Values(
        Mistake{"", "c.toml: no [[client]]: the meter would accept nobody"},
        Mistake{"clients = 1",
                "c.toml:1:11: unknown key \"clients\" (the clients file knows "
                "[lockout], [keys] and [[client]])"},
        Mistake{"[[client]]\nrole = \"reader\"",
                "c.toml:1:1: client[0].sap: missing (the client SAP, 1..65535)"},
        Mistake{"[[client]]\nsap = 0\nrole = \"reader\"",
                "c.toml:2:7: client[0].sap: 0 is outside 1..65535"},
        Mistake{"[[client]]\nsap = 5\nrole = \"admin\"",
                "c.toml:3:8: client[0].role: \"admin\" is not one of public, reader, management, "
                "firmware"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\nauthentication = \"hls\"",
                "c.toml:4:18: client[0].authentication: \"hls\" is not one of none, low, hls-gmac"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\nsecurity = 3",
                "c.toml:4:12: client[0].security: expected one of none, auth, enc, auth-enc"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\npassword = \"x\"",
                "c.toml:4:12: client[0]: unknown key \"password\" (known: sap, role, "
                "authentication, security, association, rule)"},
        Mistake{"[[client]]\nsap = 16\nrole = \"public\"\nauthentication = \"low\"",
                "c.toml:1:1: client[0]: sap 16 is the public client: no authentication, no "
                "security"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client]]\nsap = 5\nrole = \"public\"",
                "c.toml:4:1: client[1].sap: 5 is used twice"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client]]\nsap = 6\nrole = \"reader\"",
                "c.toml:4:1: client[1].association: 2 is used twice"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client.rule]]\nhidden = true",
                "c.toml:4:1: client[0].rule[0].object: missing (the rule's OBIS code)"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client.rule]]\nobject = \"1-0:1.8\"\n"
                "hidden = true",
                "c.toml:5:10: client[0].rule[0].object: \"1-0:1.8\" is not an OBIS code "
                "(A-B:C.D.E.F)"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client.rule]]\nobject = "
                "\"1-0:1.8.0.255\"\nhidden = true\nmethods = \"none\"",
                "c.toml:4:1: client[0].rule[0]: a rule does one thing: hidden, attributes, "
                "attribute, methods or method (with access)"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client.rule]]\nobject = "
                "\"1-0:1.8.0.255\"\nattribute = 2",
                "c.toml:4:1: client[0].rule[0].access: missing (what the attribute or method "
                "gets)"},
        Mistake{"[[client]]\nsap = 5\nrole = \"reader\"\n[[client.rule]]\nobject = "
                "\"1-0:1.8.0.255\"\nmethod = 1\naccess = \"read\"",
                "c.toml:7:10: client[0].rule[0].access: \"read\" is not one of none, allowed"},
        Mistake{"[lockout]\nwindow_s = 0\n[[client]]\nsap = 5\nrole = \"reader\"",
                "c.toml:2:12: lockout.window_s: 0 is outside 1..604800"},
        Mistake{"[keys]\nactivation = \"later\"\n[[client]]\nsap = 5\nrole = \"reader\"",
                "c.toml:2:14: keys.activation: \"later\" is not one of next-apdu, "
                "next-association"}));

}  // namespace
}  // namespace gridmeter::config
