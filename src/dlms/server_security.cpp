#include "dlms/server_security.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min, std::max, std::erase_if
#include <limits>     // std::numeric_limits
#include <utility>    // std::move

namespace gridmeter::dlms {
namespace {

constexpr std::uint32_t counter_max = std::numeric_limits<std::uint32_t>::max();

}  // namespace

ServerSecurity::ServerSecurity(SecurityState state, SecurityHooks hooks, LockoutSettings lockout,
                               KeyActivation activation)
    : state_(std::move(state)),
      hooks_(std::move(hooks)),
      lockout_(lockout),
      activation_(activation),
      // What was persisted is a reservation: every counter below it may have been used.
      reserved_until_(state_.server_invocation_counter) {
  rebuild_suite();
}

void ServerSecurity::rebuild_suite() {
  global_suite_.reset();
  if (state_.keys.unicast_encryption && state_.keys.authentication) {
    global_suite_.emplace(*state_.keys.unicast_encryption, *state_.keys.authentication);
  }
}

Status ServerSecurity::persist() {
  if (!hooks_.persist) return {};
  SecurityState saved = state_;
  saved.server_invocation_counter = std::max(reserved_until_, state_.server_invocation_counter);
  return hooks_.persist(saved);
}

Status ServerSecurity::save() { return persist(); }

Result<std::uint32_t> ServerSecurity::next_server_counter() {
  const std::uint32_t counter = state_.server_invocation_counter;
  // The last value is never used, so "exhausted" needs no flag of its own.
  if (counter == counter_max) {
    return make_error("the invocation counter is exhausted: transfer a new global key");
  }
  if (counter >= reserved_until_) {
    const std::uint32_t reserve = counter_max - counter < invocation_counter_reservation
                                      ? counter_max
                                      : counter + invocation_counter_reservation;
    const std::uint32_t before = reserved_until_;
    reserved_until_ = reserve;
    if (Status saved = persist(); !saved) {
      reserved_until_ = before;
      return make_error(
          fmt::format("the invocation counter could not be reserved: {}", saved.error().message));
    }
  }
  state_.server_invocation_counter = counter + 1;
  return counter;
}

bool ServerSecurity::accept_client_counter(std::uint16_t client_sap, std::uint32_t counter) {
  ClientSecurity& client = state_.client(client_sap);
  if (client.counter_seen && counter <= client.last_invocation_counter) return false;
  client.last_invocation_counter = counter;
  client.counter_seen = true;
  return true;
}

std::uint32_t ServerSecurity::last_client_counter(std::uint16_t client_sap) const {
  const ClientSecurity* client = state_.find_client(client_sap);
  return client != nullptr ? client->last_invocation_counter : 0;
}

SecurityPolicy ServerSecurity::policy(std::uint16_t client_sap) const {
  const ClientSecurity* client = state_.find_client(client_sap);
  return client != nullptr ? client->policy : SecurityPolicy{};
}

void ServerSecurity::set_initial_policy(std::uint16_t client_sap, SecurityPolicy policy) {
  // A policy activated earlier (and persisted) was stronger than the configured one when it
  // was activated: it stays, with whatever the configuration now adds.
  ClientSecurity& client = state_.client(client_sap);
  client.policy.bits = static_cast<std::uint8_t>(client.policy.bits | policy.bits);
}

Status ServerSecurity::activate_policy(std::uint16_t client_sap, SecurityPolicy policy) {
  if ((policy.bits & ~SecurityPolicy::suite0_bits) != 0) {
    return make_error(fmt::format(
        "security policy 0x{:02X} asks for digital signatures or unused bits, which suite 0 "
        "does not have",
        policy.bits));
  }
  ClientSecurity& client = state_.client(client_sap);
  if (!policy.covers(client.policy)) {
    return make_error(fmt::format("security policy 0x{:02X} would weaken 0x{:02X}", policy.bits,
                                  client.policy.bits));
  }
  const SecurityPolicy before = client.policy;
  client.policy = policy;
  if (Status saved = persist(); !saved) {
    state_.client(client_sap).policy = before;
    return saved;
  }
  return {};
}

void ServerSecurity::note_client_title(std::uint16_t client_sap, const SystemTitle& title) {
  state_.client(client_sap).system_title = title;
}

std::int64_t ServerSecurity::now_ms() const {
  return hooks_.monotonic_ms ? hooks_.monotonic_ms() : 0;
}

bool ServerSecurity::locked_out(std::uint16_t client_sap) {
  for (Failures& failures : failures_) {
    if (failures.client_sap != client_sap || !failures.locked_until_ms) continue;
    if (!hooks_.monotonic_ms || now_ms() < *failures.locked_until_ms) return true;
    failures.locked_until_ms.reset();  // served its time
    failures.times_ms.clear();
  }
  return false;
}

void ServerSecurity::report(SecurityEvent event, std::uint16_t client_sap) {
  if (hooks_.event) hooks_.event(event, client_sap);
  if (event != SecurityEvent::authentication_failure &&
      event != SecurityEvent::deciphering_failure) {
    return;
  }
  auto found = std::find_if(failures_.begin(), failures_.end(),
                            [&](const Failures& f) { return f.client_sap == client_sap; });
  if (found == failures_.end()) {
    Failures fresh;
    fresh.client_sap = client_sap;
    failures_.push_back(fresh);
    found = failures_.end() - 1;
  }
  const std::int64_t now = now_ms();
  std::erase_if(found->times_ms, [&](std::int64_t at) {
    return hooks_.monotonic_ms && now - at >= lockout_.window_ms;
  });
  found->times_ms.push_back(now);
  if (lockout_.failures_max > 0 && found->times_ms.size() >= lockout_.failures_max) {
    found->locked_until_ms = now + lockout_.lockout_ms;
  }
}

Status ServerSecurity::stage_keys(std::span<const WrappedKey> keys) {
  if (!state_.keys.master) return make_error("no master key: keys cannot be transferred");
  if (keys.empty()) return make_error("key_transfer names no key");
  GlobalKeys staged = staged_ ? *staged_ : state_.keys;
  std::vector<KeyId> seen;
  for (const WrappedKey& key : keys) {
    if (std::find(seen.begin(), seen.end(), key.id) != seen.end()) {
      return make_error(fmt::format("key_id {} is given twice", static_cast<int>(key.id)));
    }
    seen.push_back(key.id);
    auto unwrapped = aes_key_unwrap(*state_.keys.master, key.wrapped);
    if (!unwrapped) return unwrapped.error();
    staged[key.id] = *unwrapped;
  }
  staged_ = std::move(staged);
  return {};
}

void ServerSecurity::apply_staged_keys() {
  if (!staged_) return;
  const bool new_unicast_key = staged_->unicast_encryption != state_.keys.unicast_encryption;
  state_.keys = std::move(*staged_);
  staged_.reset();
  state_.keys_transferred = true;
  if (new_unicast_key) {
    state_.server_invocation_counter = 0;
    reserved_until_ = 0;
    for (ClientSecurity& client : state_.clients) {
      client.last_invocation_counter = 0;
      client.counter_seen = false;
    }
  }
  rebuild_suite();
  if (hooks_.event) hooks_.event(SecurityEvent::keys_changed, 0);
  // A failed write leaves the old keys (and their reservation) in the store: after a restart
  // the meter speaks with the keys it had, never reusing an IV under either.
  (void)persist();
}

Result<std::vector<std::uint8_t>> ServerSecurity::random_octets(std::size_t size) {
  if (hooks_.random) return hooks_.random(size);
  return dlms::random_octets(size);
}

}  // namespace gridmeter::dlms
