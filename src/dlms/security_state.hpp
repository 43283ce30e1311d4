// SecurityState: what a DLMS server's security must keep across power cycles (IEC 62056-5-3
// clause 5.5.7 and the Green Book's security chapter): its system title, the global keys of
// security suite 0, its own invocation counter, and per client the security policy, the last
// system title seen and the last invocation counter accepted. The store persists it; nothing
// in it is ever readable by a client.
//
//   SecurityState state;
//   state.server_system_title = {0x47, 0x52, 0x44, 0, 0, 0, 0, 1};
//   state.keys.unicast_encryption = ek;   // GUEK, key_id 0 of Security setup key_transfer
//   state.keys.authentication = ak;       // AK, key_id 2
//   state.client(0x01).policy = SecurityPolicy::authenticated_encrypted();
#pragma once

#include <array>     // std::array
#include <cstdint>   // std::uint8_t, std::uint16_t, std::uint32_t
#include <optional>  // std::optional
#include <vector>    // std::vector

#include "dlms/aes_gcm.hpp"

namespace gridmeter::dlms {

inline constexpr std::size_t system_title_size = 8;
using SystemTitle = std::array<std::uint8_t, system_title_size>;

// Security setup version 1 security_policy (IEC 62056-6-2 clause 4.4.7, "security_policy"): a
// bit map. Bits 0 and 1 are unused; digital signatures (bits 4 and 7) belong to suites 1 and 2.
struct SecurityPolicy {
  static constexpr std::uint8_t authenticated_request = 0x04;
  static constexpr std::uint8_t encrypted_request = 0x08;
  static constexpr std::uint8_t digitally_signed_request = 0x10;
  static constexpr std::uint8_t authenticated_response = 0x20;
  static constexpr std::uint8_t encrypted_response = 0x40;
  static constexpr std::uint8_t digitally_signed_response = 0x80;
  // The bits suite 0 can honour.
  static constexpr std::uint8_t suite0_bits =
      authenticated_request | encrypted_request | authenticated_response | encrypted_response;

  std::uint8_t bits = 0;

  static constexpr SecurityPolicy none() { return {}; }
  // Requests and responses both authenticated and encrypted.
  static constexpr SecurityPolicy authenticated_encrypted() {
    return {authenticated_request | encrypted_request | authenticated_response |
            encrypted_response};
  }
  [[nodiscard]] constexpr bool has(std::uint8_t bit) const { return (bits & bit) != 0; }
  [[nodiscard]] constexpr bool any() const { return bits != 0; }
  // Whether every protection of `other` is also in this one (security_activate may only
  // strengthen a policy).
  [[nodiscard]] constexpr bool covers(SecurityPolicy other) const {
    return (bits & other.bits) == other.bits;
  }
  friend constexpr bool operator==(SecurityPolicy, SecurityPolicy) = default;
};

// The symmetric keys of suite 0, by the key_id of Security setup key_transfer (IEC 62056-6-2
// clause 4.4.7, "key_transfer": 0 global unicast encryption key, 1 global broadcast encryption
// key, 2 authentication key, 3 master key).
enum class KeyId : std::uint8_t {
  unicast_encryption = 0,
  broadcast_encryption = 1,
  authentication = 2,
  master = 3,
};

struct GlobalKeys {
  std::optional<AesKey> unicast_encryption;    // GUEK
  std::optional<AesKey> broadcast_encryption;  // GBEK
  std::optional<AesKey> authentication;        // AK
  std::optional<AesKey> master;                // KEK: wraps the others in key_transfer

  [[nodiscard]] std::optional<AesKey>& operator[](KeyId id);
  [[nodiscard]] const std::optional<AesKey>& operator[](KeyId id) const;
  friend bool operator==(const GlobalKeys&, const GlobalKeys&) = default;
};

// What the server keeps of one client (by SAP).
struct ClientSecurity {
  std::uint16_t client_sap = 0;
  SecurityPolicy policy;  // as security_activate left it
  // The highest invocation counter accepted from this client under the global unicast key: a
  // request must carry a greater one.
  std::uint32_t last_invocation_counter = 0;
  bool counter_seen = false;  // false until the first ciphered request under the current key
  std::optional<SystemTitle> system_title;  // from the client's last AARQ
  friend bool operator==(const ClientSecurity&, const ClientSecurity&) = default;
};

struct SecurityState {
  SystemTitle server_system_title{};
  GlobalKeys keys;
  // True once a key_transfer has changed a key: the stored keys then win over the secrets file.
  bool keys_transferred = false;
  // The next invocation counter the server may use under the global unicast key. What is
  // persisted is a reservation ahead of it, so a restart never uses a value twice.
  std::uint32_t server_invocation_counter = 0;
  std::vector<ClientSecurity> clients;

  // The entry of `client_sap`, made (with an empty policy) when there is none.
  ClientSecurity& client(std::uint16_t client_sap);
  [[nodiscard]] const ClientSecurity* find_client(std::uint16_t client_sap) const;
  friend bool operator==(const SecurityState&, const SecurityState&) = default;
};

}  // namespace gridmeter::dlms
