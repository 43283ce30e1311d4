#include "store/store.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::max
#include <array>      // std::array
#include <bit>        // std::bit_cast
#include <charconv>   // std::from_chars
#include <span>       // std::span
#include <utility>    // std::move
#include <vector>     // std::vector

#include "config/meter_config_file.hpp"
#include "store/state_codec.hpp"
#include "store/supply_codec.hpp"
#include "store/vq_codec.hpp"

namespace gridmeter::store {
namespace {

constexpr std::size_t point_count = phase_count_max + 1;  // total, L1, L2, L3

constexpr std::string_view schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS meter(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  connection INTEGER NOT NULL,
  time_utc_us INTEGER NOT NULL,
  measurement_count INTEGER NOT NULL,
  power_failure_count INTEGER NOT NULL,
  last_power_down_utc_us INTEGER NOT NULL,
  last_power_up_utc_us INTEGER NOT NULL,
  scenario TEXT NOT NULL,
  seed INTEGER NOT NULL,
  clean_shutdown INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS energy(
  point INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  high INTEGER NOT NULL,
  low INTEGER NOT NULL,
  PRIMARY KEY (point, kind)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS registers(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  clock_offset_us INTEGER NOT NULL,
  active_tariff INTEGER NOT NULL,
  billing_count INTEGER NOT NULL,
  last_billing_utc_us INTEGER NOT NULL,
  load_profile_pending_status INTEGER NOT NULL,
  analysis_pending_status INTEGER NOT NULL,
  demand BLOB NOT NULL,
  analysis BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS config(id INTEGER PRIMARY KEY CHECK (id = 1), toml TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS tariff_energy(
  tariff INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  high INTEGER NOT NULL,
  low INTEGER NOT NULL,
  PRIMARY KEY (tariff, kind)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS profile(
  obis TEXT PRIMARY KEY,
  pushed_total INTEGER NOT NULL,
  width INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS profile_entry(
  obis TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time_utc_us INTEGER NOT NULL,
  utc_offset_min INTEGER NOT NULL,
  clock_status INTEGER NOT NULL,
  vals BLOB NOT NULL,
  PRIMARY KEY (obis, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS supply(id INTEGER PRIMARY KEY CHECK (id = 1), state BLOB NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS voltage_quality(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  state BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS security(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  server_system_title BLOB NOT NULL,
  unicast_encryption_key BLOB,
  broadcast_encryption_key BLOB,
  authentication_key BLOB,
  master_key BLOB,
  keys_transferred INTEGER NOT NULL,
  server_invocation_counter INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS security_client(
  client_sap INTEGER PRIMARY KEY,
  policy INTEGER NOT NULL,
  last_invocation_counter INTEGER NOT NULL,
  counter_seen INTEGER NOT NULL,
  system_title BLOB
) STRICT;
)sql";

// Words as little-endian bytes, whatever the host.
std::vector<unsigned char> to_bytes(std::span<const std::uint64_t> words) {
  std::vector<unsigned char> bytes;
  bytes.reserve(words.size() * 8);
  for (std::uint64_t word : words) {
    for (int shift = 0; shift < 64; shift += 8)
      bytes.push_back(static_cast<unsigned char>(word >> static_cast<unsigned>(shift)));
  }
  return bytes;
}

// The inverse; nullopt when the length is not a whole number of words.
std::optional<std::vector<std::uint64_t>> from_bytes(const void* data, int size) {
  if (size < 0 || size % 8 != 0) return std::nullopt;
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(size) / 8);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::uint64_t word = 0;
    for (std::size_t b = 0; b < 8; ++b)
      word |= std::uint64_t{bytes[i * 8 + b]} << (8 * b);
    words[i] = word;
  }
  return words;
}

std::optional<std::vector<std::uint64_t>> column_words(sqlite3_stmt* row, int column) {
  return from_bytes(sqlite3_column_blob(row, column), sqlite3_column_bytes(row, column));
}

std::string column_string(sqlite3_stmt* row, int column) {
  const auto* text = sqlite3_column_text(row, column);
  return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

std::vector<std::uint64_t> signed_words(std::span<const std::int64_t> values) {
  std::vector<std::uint64_t> words;
  words.reserve(values.size());
  for (std::int64_t value : values)
    words.push_back(std::bit_cast<std::uint64_t>(value));
  return words;
}

// SQLite integers are signed 64-bit; unsigned counters travel bit for bit.
std::int64_t to_column(std::uint64_t value) { return std::bit_cast<std::int64_t>(value); }
std::uint64_t from_column(std::int64_t value) { return std::bit_cast<std::uint64_t>(value); }

Error corrupt(const std::string& path, std::string_view what) {
  return make_error(fmt::format("store '{}' is corrupt: {}", path, what));
}

// Reads one text row of a single-column query; empty when no row.
Result<std::optional<std::string>> query_text(sqlite3* database, std::string_view sql) {
  auto statement = prepare(database, sql);
  if (!statement) return statement.error();
  const int code = sqlite3_step(statement->get());
  if (code == SQLITE_DONE) return std::optional<std::string>{};
  if (code != SQLITE_ROW) return sqlite_error(database, "reading the store");
  const auto* text = sqlite3_column_text(statement->get(), 0);
  return std::optional<std::string>{text != nullptr ? reinterpret_cast<const char*>(text) : ""};
}

Status check_identity(sqlite3* database, const std::string& path) {
  auto tables = query_text(database, "SELECT count(*) FROM sqlite_schema");
  if (!tables) {
    return make_error(
        fmt::format("'{}' is not a gridmeter store: {}", path, tables.error().message));
  }
  if (tables->value_or("0") == "0") return {};  // a new, empty file
  auto application = query_text(database, "SELECT value FROM meta WHERE key = 'application'");
  if (!application || !application->has_value() || **application != "gridmeter") {
    return make_error(fmt::format("'{}' is not a gridmeter store", path));
  }
  auto version = query_text(database, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!version || !version->has_value()) return corrupt(path, "no schema version");
  int schema = 0;
  const std::string& text = **version;
  if (std::from_chars(text.data(), text.data() + text.size(), schema).ec != std::errc{}) {
    return corrupt(path, "unreadable schema version");
  }
  if (schema > store_schema_version) {
    return make_error(fmt::format("store '{}' has schema version {}; this gridmeter reads up to {}",
                                  path, **version, store_schema_version));
  }
  auto check = query_text(database, "PRAGMA quick_check");
  if (!check || !check->has_value() || **check != "ok") {
    return corrupt(path, check && check->has_value() ? **check : "integrity check failed");
  }
  return {};
}

}  // namespace

Store::Store(std::string path, DatabaseHandle database)
    : path_(std::move(path)), database_(std::move(database)) {}

Result<Store> Store::open(const std::string& path, StoreOptions options) {
  sqlite3* raw = nullptr;
  const int code =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DatabaseHandle database(raw);
  if (code != SQLITE_OK) {
    return make_error(fmt::format("cannot open store '{}': {}", path,
                                  raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(database.get(), 5000);
  if (Status identity = check_identity(database.get(), path); !identity) return identity.error();
  const std::string pragmas = fmt::format("PRAGMA journal_mode=WAL; PRAGMA synchronous={};",
                                          options.durable_commits ? "FULL" : "NORMAL");
  if (Status status = execute(database.get(), pragmas); !status) {
    return make_error(fmt::format("store '{}': {}", path, status.error().message));
  }
  const std::string create = fmt::format(
      "BEGIN IMMEDIATE; {} INSERT OR IGNORE INTO meta VALUES('application', 'gridmeter'); "
      "INSERT OR REPLACE INTO meta VALUES('schema_version', '{}'); COMMIT;",
      schema_sql, store_schema_version);
  if (Status status = execute(database.get(), create); !status) {
    (void)execute(database.get(), "ROLLBACK");
    return make_error(fmt::format("store '{}': {}", path, status.error().message));
  }
  Store store(path, std::move(database));
  if (Status status = store.prepare_statements(); !status) return status.error();
  return store;
}

Status Store::prepare_statements() {
  sqlite3* database = database_.get();
  struct Statement {
    StatementHandle* handle;
    std::string_view sql;
  };
  const std::array<Statement, 9> statements{{
      {&save_meter_, "INSERT OR REPLACE INTO meter VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
      {&save_registers_, "INSERT OR REPLACE INTO registers VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?)"},
      {&save_energy_, "INSERT OR REPLACE INTO energy VALUES(?, ?, ?, ?)"},
      {&save_tariff_energy_, "INSERT OR REPLACE INTO tariff_energy VALUES(?, ?, ?, ?)"},
      {&save_profile_state_, "INSERT OR REPLACE INTO profile VALUES(?, ?, ?)"},
      {&save_entry_, "INSERT OR REPLACE INTO profile_entry VALUES(?, ?, ?, ?, ?, ?)"},
      {&trim_entries_, "DELETE FROM profile_entry WHERE obis = ? AND seq < ?"},
      {&save_supply_, "INSERT OR REPLACE INTO supply VALUES(1, ?)"},
      {&save_voltage_quality_, "INSERT OR REPLACE INTO voltage_quality VALUES(1, ?)"},
  }};
  for (const Statement& statement : statements) {
    auto prepared = prepare(database, statement.sql);
    if (!prepared) return prepared.error();
    *statement.handle = std::move(*prepared);
  }
  auto saved = prepare(database, "SELECT obis, pushed_total FROM profile");
  if (!saved) return saved.error();
  while (sqlite3_step(saved->get()) == SQLITE_ROW) {
    auto obis = parse_obis(column_string(saved->get(), 0));
    if (obis) saved_entries_[*obis] = from_column(sqlite3_column_int64(saved->get(), 1));
  }
  return {};
}

Status Store::save_profile(const Profile& profile) {
  sqlite3* database = database_.get();
  const std::string obis = to_string(profile.obis());
  const auto saved = saved_entries_.find(profile.obis());
  const std::uint64_t already = saved != saved_entries_.end() ? saved->second : 0;
  Status status;
  for (std::uint64_t seq = std::max(already, profile.first_sequence());
       status && seq < profile.pushed_total(); ++seq) {
    const ProfileEntry entry = profile.at_sequence(seq);
    const std::vector<unsigned char> bytes = to_bytes(signed_words(entry.values));
    sqlite3_stmt* row = save_entry_.get();
    sqlite3_bind_text(row, 1, obis.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(row, 2, to_column(seq));
    sqlite3_bind_int64(row, 3, entry.stamp.time_utc_us);
    sqlite3_bind_int64(row, 4, entry.stamp.utc_offset_min);
    sqlite3_bind_int64(row, 5, entry.stamp.clock_status);
    sqlite3_bind_blob(row, 6, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    status = step_done(database, row);
  }
  // Entries the ring overwrote, or that a reprogrammed (rebuilt) profile left behind.
  if (status && profile.first_sequence() > 0) {
    sqlite3_stmt* trim = trim_entries_.get();
    sqlite3_bind_text(trim, 1, obis.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(trim, 2, to_column(profile.first_sequence()));
    status = step_done(database, trim);
  }
  if (status) {
    sqlite3_stmt* state = save_profile_state_.get();
    sqlite3_bind_text(state, 1, obis.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(state, 2, to_column(profile.pushed_total()));
    sqlite3_bind_int64(state, 3, static_cast<std::int64_t>(profile.width()));
    status = step_done(database, state);
  }
  return status;
}

Status Store::save(const MeterState& meter, const Source& source, bool clean_shutdown) {
  sqlite3* database = database_.get();
  if (Status status = execute(database, "BEGIN IMMEDIATE"); !status) return status;
  sqlite3_stmt* row = save_meter_.get();
  sqlite3_bind_int64(row, 1, static_cast<std::int64_t>(meter.connection));
  sqlite3_bind_int64(row, 2, meter.time_utc_us);
  sqlite3_bind_int64(row, 3, to_column(meter.measurement_count));
  sqlite3_bind_int64(row, 4, to_column(meter.power_failure_count));
  sqlite3_bind_int64(row, 5, meter.last_power_down_utc_us);
  sqlite3_bind_int64(row, 6, meter.last_power_up_utc_us);
  sqlite3_bind_text(row, 7, source.scenario.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(row, 8, to_column(source.seed));
  sqlite3_bind_int64(row, 9, clean_shutdown ? 1 : 0);
  Status status = step_done(database, row);

  if (status) {
    const std::vector<unsigned char> demand = to_bytes(encode_demand(meter.demand));
    const std::vector<double> analysis_values = meter.analysis.save();
    const std::vector<unsigned char> analysis = to_bytes(encode_doubles(analysis_values));
    sqlite3_stmt* registers = save_registers_.get();
    sqlite3_bind_int64(registers, 1, meter.clock_offset_us);
    sqlite3_bind_int64(registers, 2, meter.active_tariff);
    sqlite3_bind_int64(registers, 3, to_column(meter.billing_count));
    sqlite3_bind_int64(registers, 4, meter.last_billing_utc_us);
    sqlite3_bind_int64(registers, 5, meter.load_profile_pending_status);
    sqlite3_bind_int64(registers, 6, meter.analysis_pending_status);
    sqlite3_bind_blob(registers, 7, demand.data(), static_cast<int>(demand.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_blob(registers, 8, analysis.data(), static_cast<int>(analysis.size()),
                      SQLITE_TRANSIENT);
    status = step_done(database, registers);
  }
  for (std::size_t point = 0; status && point < point_count; ++point) {
    const EnergySet& set = point == 0 ? meter.energy.total : meter.energy.phases[point - 1];
    for (std::size_t kind = 0; status && kind < stored_energy_count; ++kind) {
      sqlite3_stmt* energy = save_energy_.get();
      sqlite3_bind_int64(energy, 1, static_cast<std::int64_t>(point));
      sqlite3_bind_int64(energy, 2, static_cast<std::int64_t>(kind));
      sqlite3_bind_int64(energy, 3, to_column(set.accumulators[kind].high_word()));
      sqlite3_bind_int64(energy, 4, to_column(set.accumulators[kind].low_word()));
      status = step_done(database, energy);
    }
  }
  for (std::size_t tariff = 0; status && tariff < tariff_count; ++tariff) {
    for (std::size_t kind = 0; status && kind < tariff_energy_count; ++kind) {
      const EnergyAccumulator& accumulator = meter.tariffs.energy[tariff][kind];
      sqlite3_stmt* energy = save_tariff_energy_.get();
      sqlite3_bind_int64(energy, 1, static_cast<std::int64_t>(tariff + 1));
      sqlite3_bind_int64(energy, 2, static_cast<std::int64_t>(kind));
      sqlite3_bind_int64(energy, 3, to_column(accumulator.high_word()));
      sqlite3_bind_int64(energy, 4, to_column(accumulator.low_word()));
      status = step_done(database, energy);
    }
  }
  if (status) {
    const std::vector<unsigned char> supply = to_bytes(encode_supply(meter.supply));
    sqlite3_stmt* row_supply = save_supply_.get();
    sqlite3_bind_blob(row_supply, 1, supply.data(), static_cast<int>(supply.size()),
                      SQLITE_TRANSIENT);
    status = step_done(database, row_supply);
  }
  if (status) {
    const std::vector<unsigned char> vq = to_bytes(encode_voltage_quality(meter.voltage_quality));
    sqlite3_stmt* row_vq = save_voltage_quality_.get();
    sqlite3_bind_blob(row_vq, 1, vq.data(), static_cast<int>(vq.size()), SQLITE_TRANSIENT);
    status = step_done(database, row_vq);
  }
  const bool config_changed = !saved_config_ || *saved_config_ != meter.config;
  if (status && config_changed) {
    auto statement = prepare(database, "INSERT OR REPLACE INTO config VALUES(1, ?)");
    if (!statement) {
      status = statement.error();
    } else {
      const std::string text = config::format_meter_config(meter.config);
      sqlite3_bind_text(statement->get(), 1, text.c_str(), -1, SQLITE_TRANSIENT);
      status = step_done(database, statement->get());
    }
  }
  const std::vector<const Profile*> profiles = stored_profiles(meter);
  for (const Profile* profile : profiles) {
    if (status) status = save_profile(*profile);
  }
  if (status) status = execute(database, "COMMIT");
  if (!status) {
    (void)execute(database, "ROLLBACK");
    return make_error(fmt::format("store '{}': {}", path_, status.error().message));
  }
  for (const Profile* profile : profiles)
    saved_entries_[profile->obis()] = profile->pushed_total();
  if (config_changed) saved_config_ = meter.config;
  return {};
}

Status Store::load_profile(Profile& profile) {
  sqlite3* database = database_.get();
  const std::string obis = to_string(profile.obis());
  auto state = prepare(database, "SELECT pushed_total, width FROM profile WHERE obis = ?");
  if (!state) return state.error();
  sqlite3_bind_text(state->get(), 1, obis.c_str(), -1, SQLITE_TRANSIENT);
  const int code = sqlite3_step(state->get());
  if (code == SQLITE_DONE) return {};  // never saved (a version 1 store)
  if (code != SQLITE_ROW) return sqlite_error(database, "reading the store");
  const std::uint64_t pushed_total = from_column(sqlite3_column_int64(state->get(), 0));
  if (sqlite3_column_int64(state->get(), 1) != static_cast<std::int64_t>(profile.width())) {
    return corrupt(path_, fmt::format("profile {} does not match its programming", obis));
  }
  auto entries = prepare(database,
                         "SELECT seq, time_utc_us, utc_offset_min, clock_status, vals"
                         " FROM profile_entry WHERE obis = ? ORDER BY seq");
  if (!entries) return entries.error();
  sqlite3_stmt* row = entries->get();
  sqlite3_bind_text(row, 1, obis.c_str(), -1, SQLITE_TRANSIENT);
  bool first = true;
  std::uint64_t expected = 0;
  std::vector<std::int64_t> values(profile.width());
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(row)) == SQLITE_ROW) {
    const std::uint64_t seq = from_column(sqlite3_column_int64(row, 0));
    if (first) {
      profile.begin_restore(seq);
      expected = seq;
      first = false;
    }
    auto words = column_words(row, 4);
    if (seq != expected || !words || words->size() != profile.width()) {
      return corrupt(path_, fmt::format("profile {} entry {} is damaged", obis, seq));
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i] = std::bit_cast<std::int64_t>((*words)[i]);
    const EntryStamp stamp{
        .time_utc_us = sqlite3_column_int64(row, 1),
        .utc_offset_min = static_cast<std::int16_t>(sqlite3_column_int64(row, 2)),
        .clock_status = static_cast<std::uint8_t>(sqlite3_column_int64(row, 3))};
    profile.restore_push(stamp, values);
    ++expected;
  }
  if (step != SQLITE_DONE) return sqlite_error(database, "reading the store");
  if (first) profile.begin_restore(pushed_total);
  if (profile.pushed_total() != pushed_total) {
    return corrupt(path_, fmt::format("profile {} is missing entries", obis));
  }
  return {};
}

Result<std::optional<PersistedState>> Store::load() {
  sqlite3* database = database_.get();
  auto meter_row = prepare(database,
                           "SELECT connection, time_utc_us, measurement_count, power_failure_count,"
                           " last_power_down_utc_us, last_power_up_utc_us, scenario, seed,"
                           " clean_shutdown FROM meter WHERE id = 1");
  if (!meter_row) return meter_row.error();
  sqlite3_stmt* row = meter_row->get();
  const int code = sqlite3_step(row);
  if (code == SQLITE_DONE) return std::optional<PersistedState>{};
  if (code != SQLITE_ROW) return sqlite_error(database, "reading the store");

  const std::int64_t connection = sqlite3_column_int64(row, 0);
  if (connection < 0 || connection > 2) return corrupt(path_, "unknown connection type");
  const UtcMicros time = sqlite3_column_int64(row, 1);

  // The programming first: it shapes the profiles.
  MeterConfig config;
  auto config_text = query_text(database, "SELECT toml FROM config WHERE id = 1");
  if (!config_text) return config_text.error();
  if (config_text->has_value()) {
    auto parsed = config::parse_meter_config(**config_text, "stored programming");
    if (!parsed) return corrupt(path_, parsed.error().message);
    config = std::move(*parsed);
    saved_config_ = config;
  }
  PersistedState state;
  state.meter = Meter(static_cast<Connection>(connection), time, config).state();
  MeterState& meter = state.meter;
  meter.measurement_count = from_column(sqlite3_column_int64(row, 2));
  meter.power_failure_count = from_column(sqlite3_column_int64(row, 3));
  meter.last_power_down_utc_us = sqlite3_column_int64(row, 4);
  meter.last_power_up_utc_us = sqlite3_column_int64(row, 5);
  state.source.scenario = column_string(row, 6);
  state.source.seed = from_column(sqlite3_column_int64(row, 7));
  state.clean_shutdown = sqlite3_column_int64(row, 8) != 0;

  auto energy_rows = prepare(database, "SELECT point, kind, high, low FROM energy");
  if (!energy_rows) return energy_rows.error();
  std::size_t seen = 0;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(energy_rows->get())) == SQLITE_ROW) {
    sqlite3_stmt* energy = energy_rows->get();
    const std::int64_t point = sqlite3_column_int64(energy, 0);
    const std::int64_t kind = sqlite3_column_int64(energy, 1);
    if (point < 0 || point >= static_cast<std::int64_t>(point_count) || kind < 0 ||
        kind >= static_cast<std::int64_t>(stored_energy_count)) {
      return corrupt(path_, "energy register out of range");
    }
    EnergySet& set =
        point == 0 ? meter.energy.total : meter.energy.phases[static_cast<std::size_t>(point - 1)];
    set.accumulators[static_cast<std::size_t>(kind)] = EnergyAccumulator::from_words(
        from_column(sqlite3_column_int64(energy, 2)), from_column(sqlite3_column_int64(energy, 3)));
    ++seen;
  }
  if (step != SQLITE_DONE) return sqlite_error(database, "reading the store");
  if (seen != point_count * stored_energy_count) return corrupt(path_, "energy registers missing");

  auto registers =
      prepare(database,
              "SELECT clock_offset_us, active_tariff, billing_count,"
              " last_billing_utc_us, load_profile_pending_status,"
              " analysis_pending_status, demand, analysis FROM registers WHERE id = 1");
  if (!registers) return registers.error();
  sqlite3_stmt* r = registers->get();
  step = sqlite3_step(r);
  if (step == SQLITE_ROW) {
    meter.clock_offset_us = sqlite3_column_int64(r, 0);
    meter.active_tariff = static_cast<int>(sqlite3_column_int64(r, 1));
    meter.billing_count = from_column(sqlite3_column_int64(r, 2));
    meter.last_billing_utc_us = sqlite3_column_int64(r, 3);
    meter.load_profile_pending_status = static_cast<std::uint8_t>(sqlite3_column_int64(r, 4));
    meter.analysis_pending_status = static_cast<std::uint8_t>(sqlite3_column_int64(r, 5));
    auto demand = column_words(r, 6);
    if (!demand || !decode_demand(*demand, meter.demand)) {
      return corrupt(path_, "demand registers damaged");
    }
    auto analysis = column_words(r, 7);
    if (!analysis || !meter.analysis.restore(decode_doubles(*analysis))) {
      return corrupt(path_, "analysis log statistics damaged");
    }
    if (meter.active_tariff < 0 || meter.active_tariff > tariff_max) {
      return corrupt(path_, "active tariff out of range");
    }
  } else if (step == SQLITE_DONE) {
    // A version 1 store: registers from now on, demand from the stored energy.
    meter.demand.start(meter.energy, time);
  } else {
    return sqlite_error(database, "reading the store");
  }

  auto tariff_rows = prepare(database, "SELECT tariff, kind, high, low FROM tariff_energy");
  if (!tariff_rows) return tariff_rows.error();
  while ((step = sqlite3_step(tariff_rows->get())) == SQLITE_ROW) {
    sqlite3_stmt* energy = tariff_rows->get();
    const std::int64_t tariff = sqlite3_column_int64(energy, 0);
    const std::int64_t kind = sqlite3_column_int64(energy, 1);
    if (tariff < tariff_min || tariff > tariff_max || kind < 0 ||
        kind >= static_cast<std::int64_t>(tariff_energy_count)) {
      return corrupt(path_, "tariff register out of range");
    }
    meter.tariffs.energy[static_cast<std::size_t>(tariff - 1)][static_cast<std::size_t>(kind)] =
        EnergyAccumulator::from_words(from_column(sqlite3_column_int64(energy, 2)),
                                      from_column(sqlite3_column_int64(energy, 3)));
  }
  if (step != SQLITE_DONE) return sqlite_error(database, "reading the store");

  // Supply control (schema 3). A store of an earlier schema has none: the breaker starts
  // connected, nothing held, no credit, and the pulse train starts from the stored registers.
  auto supply_row = prepare(database, "SELECT state FROM supply WHERE id = 1");
  if (!supply_row) return supply_row.error();
  step = sqlite3_step(supply_row->get());
  if (step == SQLITE_ROW) {
    auto words = column_words(supply_row->get(), 0);
    if (!words) return corrupt(path_, "supply control damaged");
    if (Status decoded = decode_supply(*words, meter.config, meter.supply); !decoded) {
      return corrupt(path_, decoded.error().message);
    }
  } else if (step != SQLITE_DONE) {
    return sqlite_error(database, "reading the store");
  }

  // Voltage quality (schema 4). An earlier store has none: the registration starts afresh.
  auto vq_row = prepare(database, "SELECT state FROM voltage_quality WHERE id = 1");
  if (!vq_row) return vq_row.error();
  step = sqlite3_step(vq_row->get());
  if (step == SQLITE_ROW) {
    auto words = column_words(vq_row->get(), 0);
    if (!words) return corrupt(path_, "voltage quality damaged");
    if (Status decoded = decode_voltage_quality(*words, meter.voltage_quality); !decoded) {
      return corrupt(path_, decoded.error().message);
    }
  } else if (step != SQLITE_DONE) {
    return sqlite_error(database, "reading the store");
  }

  for (Profile* profile : stored_profiles(meter)) {
    if (Status status = load_profile(*profile); !status) return status.error();
  }
  return std::optional<PersistedState>{std::move(state)};
}

}  // namespace gridmeter::store
