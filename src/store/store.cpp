#include "store/store.hpp"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <utility>

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
)sql";

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
      "INSERT OR IGNORE INTO meta VALUES('schema_version', '{}'); COMMIT;",
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
  auto meter =
      prepare(database_.get(), "INSERT OR REPLACE INTO meter VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!meter) return meter.error();
  auto energy = prepare(database_.get(), "INSERT OR REPLACE INTO energy VALUES(?, ?, ?, ?)");
  if (!energy) return energy.error();
  save_meter_ = std::move(*meter);
  save_energy_ = std::move(*energy);
  return {};
}

Status Store::save(const PersistedState& state) {
  sqlite3* database = database_.get();
  if (Status status = execute(database, "BEGIN IMMEDIATE"); !status) return status;
  const MeterState& meter = state.meter;
  sqlite3_stmt* row = save_meter_.get();
  sqlite3_bind_int64(row, 1, static_cast<std::int64_t>(meter.connection));
  sqlite3_bind_int64(row, 2, meter.time_utc_us);
  sqlite3_bind_int64(row, 3, to_column(meter.measurement_count));
  sqlite3_bind_int64(row, 4, to_column(meter.power_failure_count));
  sqlite3_bind_int64(row, 5, meter.last_power_down_utc_us);
  sqlite3_bind_int64(row, 6, meter.last_power_up_utc_us);
  sqlite3_bind_text(row, 7, state.source.scenario.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(row, 8, to_column(state.source.seed));
  sqlite3_bind_int64(row, 9, state.clean_shutdown ? 1 : 0);
  Status status = step_done(database, row);
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
  if (status) status = execute(database, "COMMIT");
  if (!status) {
    (void)execute(database, "ROLLBACK");
    return make_error(fmt::format("store '{}': {}", path_, status.error().message));
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

  PersistedState state;
  const std::int64_t connection = sqlite3_column_int64(row, 0);
  if (connection < 0 || connection > 2) return corrupt(path_, "unknown connection type");
  state.meter.connection = static_cast<Connection>(connection);
  state.meter.time_utc_us = sqlite3_column_int64(row, 1);
  state.meter.measurement_count = from_column(sqlite3_column_int64(row, 2));
  state.meter.power_failure_count = from_column(sqlite3_column_int64(row, 3));
  state.meter.last_power_down_utc_us = sqlite3_column_int64(row, 4);
  state.meter.last_power_up_utc_us = sqlite3_column_int64(row, 5);
  const auto* scenario = sqlite3_column_text(row, 6);
  state.source.scenario = scenario != nullptr ? reinterpret_cast<const char*>(scenario) : "";
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
    EnergySet& set = point == 0 ? state.meter.energy.total
                                : state.meter.energy.phases[static_cast<std::size_t>(point - 1)];
    set.accumulators[static_cast<std::size_t>(kind)] = EnergyAccumulator::from_words(
        from_column(sqlite3_column_int64(energy, 2)), from_column(sqlite3_column_int64(energy, 3)));
    ++seen;
  }
  if (step != SQLITE_DONE) return sqlite_error(database, "reading the store");
  if (seen != point_count * stored_energy_count) return corrupt(path_, "energy registers missing");
  return std::optional<PersistedState>{std::move(state)};
}

}  // namespace gridmeter::store
