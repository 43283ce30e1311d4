// Store: the meter's non-volatile memory, one SQLite file.
//
//   auto store = Store::open("gridmeter.db", {.durable_commits = false});
//   if (!store) fail(store.error().message);
//   auto saved = store->load();                 // std::nullopt for a new store
//   ...
//   store->save(meter.state(), source, /*clean_shutdown=*/false);
//
// Every save is one transaction: the meter's time, every register, every log and the
// programming move forward together, never one without the others (SQLite's atomic commit, WAL
// journal). A process killed at any instant leaves the last committed state; with
// durable_commits each commit also survives a power loss of the machine (synchronous=FULL),
// otherwise only process death (NORMAL).
//
// Profiles and logs are saved incrementally: each save appends the entries pushed since the
// last one and deletes those the ring has overwritten, so a flush costs what changed, not the
// size of a 90-day load profile. The programming (MeterConfig) is kept as its TOML text
// (config/meter_config_file.hpp) and rewritten only when it changed.
#pragma once

#include <cstdint>   // std::uint64_t
#include <map>       // std::map
#include <optional>  // std::optional
#include <string>    // std::string

#include "core/result.hpp"
#include "dlms/security_state.hpp"
#include "meter/meter.hpp"
#include "store/sqlite_handle.hpp"

namespace gridmeter::store {

// What feeds the meter, kept so that a resumed simulation continues the same household.
struct Source {
  std::string scenario;  // empty for a meter fed by waveforms or a live feed
  std::uint64_t seed = 0;
  friend bool operator==(const Source&, const Source&) = default;
};

struct PersistedState {
  MeterState meter;
  Source source;
  // Set by an orderly stop; a start that finds it false knows the process died (a power
  // failure, from the meter's point of view).
  bool clean_shutdown = false;
  friend bool operator==(const PersistedState&, const PersistedState&) = default;
};

struct StoreOptions {
  bool durable_commits = true;
};

class Store {
 public:
  // Opens or creates the store at `path`. A file that is not a gridmeter store, was written by
  // a newer schema, or fails SQLite's integrity check is refused with a clear error.
  static Result<Store> open(const std::string& path, StoreOptions options);

  // The saved state, or std::nullopt if nothing was saved yet.
  Result<std::optional<PersistedState>> load();

  // Replaces the saved state with this one, atomically.
  Status save(const MeterState& meter, const Source& source, bool clean_shutdown);
  Status save(const PersistedState& state) {
    return save(state.meter, state.source, state.clean_shutdown);
  }

  // The DLMS server's security state (store/security_tables.cpp): its own transaction, kept
  // apart from the meter's so that the server can persist a counter reservation or a key at
  // once, between two saves of the meter. Keys are stored as they are: the store file is the
  // meter's non-volatile memory, readable by its owner only.
  Status save_security(const dlms::SecurityState& state);
  // The saved state, or std::nullopt if none was saved yet.
  Result<std::optional<dlms::SecurityState>> load_security();

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Store(std::string path, DatabaseHandle database);
  Status prepare_statements();
  Status save_profile(const Profile& profile);
  Status load_profile(Profile& profile);

  std::string path_;
  DatabaseHandle database_;
  StatementHandle save_meter_;
  StatementHandle save_registers_;
  StatementHandle save_energy_;
  StatementHandle save_tariff_energy_;
  StatementHandle save_profile_state_;
  StatementHandle save_entry_;
  StatementHandle trim_entries_;
  StatementHandle save_supply_;
  StatementHandle save_voltage_quality_;
  // What the file holds already: entries saved per profile (pushed_total at the last save) and
  // the programming, so a save writes only what changed.
  std::map<Obis, std::uint64_t> saved_entries_;
  std::optional<MeterConfig> saved_config_;
};

// 2: clock offset, tariffs, demand, billing, profiles and logs, programming (a version 1 store
// is upgraded in place on open: its meter keeps its registers and gets the default programming).
// 3: supply control (the supply table: breaker, limiter, credit and tokens, tamper inputs,
// fraud signs, S0 pulse train) and the disconnector and token logs; a version 1 or 2 store is
// upgraded in place: its meter starts with the breaker connected and no credit.
// 4: voltage quality (the voltage_quality table: detectors, aggregates, counters, weekly
// statistics) and the voltage quality log; an earlier store is upgraded in place: its meter
// starts the registration afresh.
inline constexpr int store_schema_version = 4;

}  // namespace gridmeter::store
