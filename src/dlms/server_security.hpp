// ServerSecurity: the security state a DLMS server shares between all its associations and
// connections (IEC 62056-5-3 clause 5.5.7; Green Book 9.2.7): the global keys and their
// suite 0 cipher, the server's invocation counter, each client's last accepted counter and
// security policy, failed authentications and the lock-out that follows them, and keys
// transferred by Security setup key_transfer waiting for their moment to take effect.
//
//   ServerSecurity security(std::move(state), hooks, LockoutSettings{});
//   Result<std::uint32_t> ic = security.next_server_counter();      // never the same twice
//   if (!security.accept_client_counter(0x01, 42)) ...               // a replay: refused
//   security.authentication_failed(0x01);                             // event 46, counted
//   if (security.locked_out(0x01)) ...                                // refuse the AARQ
//
// Persistence: `hooks.persist` is called, and must have written durably before it returns,
// whenever forgetting would be unsafe: before the server uses a counter beyond the last
// reservation (so a restart never reuses an IV: the store holds a reservation ahead of the
// counter, and a restart continues from it), when keys or a policy change, and when an
// association is established (so its AARQ cannot be replayed after a restart). The per-request
// client counters in between are kept in memory and written at those moments and by save():
// after a crash a client's counter may stand lower than its last request, but a request can
// only be replayed inside an association, and every association needs a fresh AARQ whose
// counter was persisted (or, for HLS, a fresh challenge).
//
// Not thread-safe: the server's event loop is its only user.
#pragma once

#include <cstddef>     // std::size_t
#include <cstdint>     // std::uint16_t, std::uint32_t, std::int64_t
#include <functional>  // std::function
#include <optional>    // std::optional
#include <span>        // std::span
#include <vector>      // std::vector

#include "core/result.hpp"
#include "dlms/security_state.hpp"
#include "dlms/security_suite0.hpp"

namespace gridmeter::dlms {

// What the server reports to the meter's logs (IDIS event codes of the fraud and standard
// logs: shared/reference/obis.md).
enum class SecurityEvent : std::uint8_t {
  authentication_failure = 46,  // wrong password, wrong f(StoC)
  keys_changed = 48,            // key_transfer took effect
  deciphering_failure = 49,     // a tag that does not verify, a wrong key or system title
  replay_attack = 50,           // an invocation counter not greater than the last accepted
};

// When keys transferred by key_transfer take effect (the answer to key_transfer itself is
// always protected with the old keys).
enum class KeyActivation : std::uint8_t {
  next_apdu,         // from the next APDU of any association on
  next_association,  // when the association that transferred them ends
};

// Failed authentications (event 46) and deciphering failures (event 49) of one client:
// `failures_max` of them within `window_ms` lock the client out of new associations for
// `lockout_ms`.
struct LockoutSettings {
  std::size_t failures_max = 5;
  std::int64_t window_ms = std::int64_t{10} * 60'000;
  std::int64_t lockout_ms = std::int64_t{15} * 60'000;
};

struct SecurityHooks {
  // Writes the state durably; empty: nothing is persisted (tests, a server without a store).
  std::function<Status(const SecurityState&)> persist;
  // An event for the meter's logs, with the client it concerns.
  std::function<void(SecurityEvent, std::uint16_t client_sap)> event;
  // A monotonic clock in milliseconds, for lock-outs; empty: lock-outs never expire.
  std::function<std::int64_t()> monotonic_ms;
  // `size` random octets for HLS challenges; empty: OpenSSL's RAND_bytes.
  std::function<Result<std::vector<std::uint8_t>>(std::size_t size)> random;
};

// How far ahead of the counter in use the persisted reservation runs.
inline constexpr std::uint32_t invocation_counter_reservation = 1U << 16U;

// A key as key_transfer carries it: the key_id and the key wrapped under the master key.
struct WrappedKey {
  KeyId id = KeyId::unicast_encryption;
  std::vector<std::uint8_t> wrapped;  // 24 octets (RFC 3394 of a 128-bit key)
};

class ServerSecurity {
 public:
  ServerSecurity(SecurityState state, SecurityHooks hooks, LockoutSettings lockout = {},
                 KeyActivation activation = KeyActivation::next_apdu);
  ServerSecurity(const ServerSecurity&) = delete;
  ServerSecurity& operator=(const ServerSecurity&) = delete;

  [[nodiscard]] const SecurityState& state() const { return state_; }
  [[nodiscard]] const SystemTitle& server_system_title() const {
    return state_.server_system_title;
  }

  // The suite over the global unicast encryption and authentication keys; nullptr when
  // either is missing (then no ciphered context and no HLS-GMAC can be offered).
  [[nodiscard]] Suite0* global_suite() { return global_suite_ ? &*global_suite_ : nullptr; }
  [[nodiscard]] const std::optional<AesKey>& authentication_key() const {
    return state_.keys.authentication;
  }

  // The next invocation counter for an APDU the server protects. Fails when the reservation
  // cannot be persisted, or when the counter is exhausted (the keys must be renewed first).
  Result<std::uint32_t> next_server_counter();

  // A ciphered request of `client_sap` under the global key carries `counter`: true (and
  // remembered) when it is greater than every one accepted before; false for a replay.
  bool accept_client_counter(std::uint16_t client_sap, std::uint32_t counter);
  // The last counter accepted from `client_sap` (0 before any): a client continues above it.
  [[nodiscard]] std::uint32_t last_client_counter(std::uint16_t client_sap) const;

  [[nodiscard]] SecurityPolicy policy(std::uint16_t client_sap) const;
  // The policy a client starts with when nothing stronger was activated for it before.
  void set_initial_policy(std::uint16_t client_sap, SecurityPolicy policy);
  // security_activate: only a stronger policy that suite 0 can honour is accepted; persisted.
  Status activate_policy(std::uint16_t client_sap, SecurityPolicy policy);

  void note_client_title(std::uint16_t client_sap, const SystemTitle& title);

  // Lock-out after repeated failures (LockoutSettings).
  [[nodiscard]] bool locked_out(std::uint16_t client_sap);
  // A failed authentication (event 46) or deciphering (event 49): logged and counted; a
  // replay (event 50) is logged only.
  void report(SecurityEvent event, std::uint16_t client_sap);

  // key_transfer: every key is unwrapped under the current master key before any is taken
  // (all or nothing); then they wait for apply_staged_keys(). Errors: no master key, a wrapped
  // key that fails the RFC 3394 integrity check, a key_id given twice.
  Status stage_keys(std::span<const WrappedKey> keys);
  [[nodiscard]] bool keys_staged() const { return staged_.has_value(); }
  [[nodiscard]] KeyActivation activation() const { return activation_; }
  // Installs the staged keys: event 48; a new global unicast key starts the server's and every
  // client's counter afresh (a new key is a new IV space); persisted.
  void apply_staged_keys();

  // Persists the state now (an association was established; the server stops).
  Status save();

  Result<std::vector<std::uint8_t>> random_octets(std::size_t size);

 private:
  struct Failures {
    std::uint16_t client_sap = 0;
    std::vector<std::int64_t> times_ms;  // within the window, oldest first
    std::optional<std::int64_t> locked_until_ms;
  };
  [[nodiscard]] std::int64_t now_ms() const;
  void rebuild_suite();
  Status persist();

  SecurityState state_;
  SecurityHooks hooks_;
  LockoutSettings lockout_;
  KeyActivation activation_;
  std::optional<Suite0> global_suite_;
  // The persisted reservation: counters below it may be used without writing first.
  std::uint32_t reserved_until_ = 0;
  std::optional<GlobalKeys> staged_;
  std::vector<Failures> failures_;
};

}  // namespace gridmeter::dlms
