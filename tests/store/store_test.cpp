#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <fstream>

#include "support/measurements.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::store {
namespace {

Measurement three_phase(UtcMicros start, double p_w) {
  Measurement m;
  m.start_utc_us = start;
  m.duration_us = 200'000;
  m.connection = Connection::three_phase_4w;
  for (std::size_t p = 0; p < 3; ++p) {
    m.phases[p] = test::phase(p_w * static_cast<double>(p + 1), -0.3 * p_w);
  }
  m.frequency_hz = 50.0;
  return m;
}

// A meter with something in every register and log: tariffs, demand, billing, load profile,
// analysis log, clock, standard and fraud events.
Meter sample_meter(std::size_t load_profile_depth = 8832) {
  MeterConfig config;
  config.analysis_log.values = {"u_l1_avg", "p_total_avg", "i_l2_max", "a_plus"};
  config.analysis_log.period_min = 5;
  config.load_profile.depth = load_profile_depth;
  config.load_profile.per_phase = true;
  config.demand.sub_periods = 3;
  config.billing.depth = 3;
  const UtcMicros start = test::utc(2026, 3, 28, 20, 0);
  Meter meter(Connection::three_phase_4w, start, config);
  UtcMicros t = start;
  for (; t < start + 7 * micros_per_hour + 100'000'000; t += 200'000)
    meter.advance(three_phase(t, 100.0 + static_cast<double>((t / 200'000) % 300)));
  meter.shift_clock(-90 * micros_per_second);
  meter.record_event(EventCode::association_authentication_failure);
  meter.record_event(EventCode::global_key_changed);
  meter.billing_reset();
  meter.power_outage(t, t + 20 * micros_per_minute);
  t += 20 * micros_per_minute;
  for (UtcMicros end = t + micros_per_hour; t < end; t += 200'000)
    meter.advance(three_phase(t, -50.0));
  return meter;
}

PersistedState sample_state() {
  PersistedState state;
  state.meter = sample_meter().state();
  state.meter.measurement_count = 123'456'789;
  state.meter.power_failure_count = 3;
  for (std::size_t k = 0; k < stored_energy_count; ++k) {
    state.meter.energy.total.accumulators[k] = EnergyAccumulator::from_words(k, ~0ULL - k);
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      state.meter.energy.phases[p].accumulators[k] =
          EnergyAccumulator::from_words(p * 100 + k, k << 40U);
    }
  }
  state.source = Source{"household-pv", 0xFEDCBA9876543210ULL};
  state.clean_shutdown = true;
  return state;
}

void run_sql(const std::string& path, const char* sql) {
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(database);
}

TEST(Store, NewStoreHoldsNothing) {
  testing::TempDir dir;
  auto store = Store::open(dir.file("meter.db"), {});
  ASSERT_TRUE(store) << store.error().message;
  auto loaded = store->load();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
}

TEST(Store, SavedStateLoadsBackExactlyAfterReopen) {
  testing::TempDir dir;
  const PersistedState state = sample_state();
  {
    auto store = Store::open(dir.file("meter.db"), {});
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save(state));
  }
  auto store = Store::open(dir.file("meter.db"), {.durable_commits = false});
  ASSERT_TRUE(store) << store.error().message;
  auto loaded = store->load();
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, state);
}

TEST(Store, LaterSaveReplacesEarlier) {
  testing::TempDir dir;
  auto store = Store::open(dir.file("meter.db"), {});
  ASSERT_TRUE(store);
  PersistedState state = sample_state();
  ASSERT_TRUE(store->save(state));
  state.meter.time_utc_us += 900'000'000;
  state.meter.energy.total.accumulators[0].add(1'000'000, 1'000'000);
  state.clean_shutdown = false;
  ASSERT_TRUE(store->save(state));
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, state);
}

TEST(Store, RefusesAFileThatIsNotADatabase) {
  testing::TempDir dir;
  const std::string path = dir.file("notes.txt");
  std::ofstream(path) << "these are not the bytes of a meter store, but they are long enough to "
                         "look like a file header to anybody who does not check";
  auto store = Store::open(path, {});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("is not a gridmeter store"), std::string::npos)
      << store.error().message;
}

TEST(Store, RefusesAnotherApplicationsDatabase) {
  testing::TempDir dir;
  const std::string path = dir.file("other.db");
  run_sql(path, "CREATE TABLE customers(name TEXT);");
  auto store = Store::open(path, {});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("is not a gridmeter store"), std::string::npos);
}

TEST(Store, RefusesANewerSchema) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  ASSERT_TRUE(Store::open(path, {}));
  run_sql(path, "UPDATE meta SET value = '99' WHERE key = 'schema_version';");
  auto store = Store::open(path, {});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos);
}

TEST(Store, RefusesMissingRegisters) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
  }
  run_sql(path, "DELETE FROM energy WHERE point = 2 AND kind = 3;");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("corrupt"), std::string::npos);
}

TEST(Store, RefusesAnUnknownConnection) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
  }
  run_sql(path, "UPDATE meter SET connection = 7;");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("unknown connection"), std::string::npos);
}

TEST(Store, GarbledPagesGiveAnErrorNotACrash) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
    run_sql(path, "PRAGMA wal_checkpoint(TRUNCATE);");
  }
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096 + 10);  // inside the second page
    const std::string junk(3000, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto store = Store::open(path, {});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("meter.db"), std::string::npos) << store.error().message;
}

TEST(Store, ProfilesAreSavedIncrementallyAndWrapLikeTheMeter) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  // A load profile of 20 entries that wraps between saves.
  Meter meter = sample_meter(20);
  ASSERT_TRUE(store->save(meter.state(), Source{"household", 1}, false));
  UtcMicros t = meter.state().time_utc_us;
  for (int round = 0; round < 3; ++round) {
    for (UtcMicros end = t + 2 * micros_per_hour; t < end; t += 200'000)
      meter.advance(three_phase(t, 700.0));
    ASSERT_TRUE(store->save(meter.state(), Source{"household", 1}, false));
    auto reopened = Store::open(path, {});
    ASSERT_TRUE(reopened);
    auto loaded = reopened->load();
    ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
    EXPECT_EQ((*loaded)->meter, meter.state()) << "round " << round;
  }
  EXPECT_EQ(meter.state().load_profile.size(), 20U);
  EXPECT_GT(meter.state().load_profile.pushed_total(), 40U);
  // The file keeps only what the ring holds.
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  sqlite3_prepare_v2(database, "SELECT count(*) FROM profile_entry WHERE obis = '1-0:99.1.0.255'",
                     -1, &count, nullptr);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(count, 0), 20);
  sqlite3_finalize(count);
  sqlite3_close(database);
}

TEST(Store, ReprogrammedMeterLoadsWithItsNewProfiles) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  Meter meter = sample_meter();
  ASSERT_TRUE(store->save(meter.state(), Source{}, true));
  MeterConfig config = meter.config();
  config.load_profile.period_min = 60;
  config.analysis_log.values = {"f_avg"};
  config.calendar.tariff_names[4] = "peak";
  meter.configure(config);
  UtcMicros t = meter.state().time_utc_us;
  for (UtcMicros end = t + 3 * micros_per_hour; t < end; t += 200'000)
    meter.advance(three_phase(t, 300.0));
  ASSERT_TRUE(store->save(meter.state(), Source{}, true));
  auto loaded = Store::open(path, {})->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->meter, meter.state());
  EXPECT_EQ((*loaded)->meter.config.calendar.tariff_names[4], "peak");
}

TEST(Store, UpgradesAVersionOneStore) {
  testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  // The schema and rows a gridmeter of schema version 1 wrote.
  run_sql(path,
          "CREATE TABLE meta(key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;"
          "INSERT INTO meta VALUES('application', 'gridmeter'), ('schema_version', '1');"
          "CREATE TABLE meter(id INTEGER PRIMARY KEY CHECK (id = 1), connection INTEGER NOT "
          "NULL, time_utc_us INTEGER NOT NULL, measurement_count INTEGER NOT NULL,"
          " power_failure_count INTEGER NOT NULL, last_power_down_utc_us INTEGER NOT NULL,"
          " last_power_up_utc_us INTEGER NOT NULL, scenario TEXT NOT NULL, seed INTEGER NOT NULL,"
          " clean_shutdown INTEGER NOT NULL) STRICT;"
          "CREATE TABLE energy(point INTEGER NOT NULL, kind INTEGER NOT NULL, high INTEGER NOT "
          "NULL, low INTEGER NOT NULL, PRIMARY KEY (point, kind)) STRICT, WITHOUT ROWID;"
          "INSERT INTO meter VALUES(1, 0, 1767222000000000, 42, 0, 0, 0, 'household', 7, 1);"
          "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 31)"
          " INSERT INTO energy SELECT i / 8, i % 8, 0, CASE WHEN i = 0 THEN 3600000000000000000"
          " ELSE 0 END FROM n;");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store) << store.error().message;
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  const MeterState& meter = (*loaded)->meter;
  EXPECT_EQ(meter.time_utc_us, 1'767'222'000'000'000);
  EXPECT_EQ(meter.energy.total[EnergyKind::active_import].watt_hours(), 1000U);
  EXPECT_EQ(meter.config, MeterConfig{});
  EXPECT_TRUE(meter.load_profile.empty());
  // Demand starts from the stored energy, not from zero.
  EXPECT_EQ(meter.demand.sub_period_start[0], meter.energy.total[EnergyKind::active_import]);
  ASSERT_TRUE(store->save(meter, (*loaded)->source, true));
  auto again = Store::open(path, {});
  ASSERT_TRUE(again);
  auto reloaded = again->load();
  ASSERT_TRUE(reloaded && reloaded->has_value());
  EXPECT_EQ((*reloaded)->meter, meter);
}

TEST(Store, RefusesADamagedProfileEntry) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
  }
  run_sql(path,
          "UPDATE profile_entry SET vals = x'0102' WHERE obis = '1-0:99.1.0.255' AND seq = "
          "(SELECT min(seq) FROM profile_entry WHERE obis = '1-0:99.1.0.255');");
  auto loaded = Store::open(path, {})->load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("profile 1-0:99.1.0.255 entry"), std::string::npos)
      << loaded.error().message;
}

TEST(Store, RefusesAMissingProfileEntry) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
  }
  run_sql(path,
          "DELETE FROM profile_entry WHERE obis = '0-0:99.98.0.255' AND seq = "
          "(SELECT max(seq) FROM profile_entry WHERE obis = '0-0:99.98.0.255');");
  auto loaded = Store::open(path, {})->load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("missing entries"), std::string::npos)
      << loaded.error().message;
}

TEST(Store, RefusesDamagedProgramming) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(sample_state()));
  }
  run_sql(path, "UPDATE config SET toml = '[load_profile]\nperiod = 7';");
  auto loaded = Store::open(path, {})->load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("corrupt"), std::string::npos) << loaded.error().message;
}

dlms::SecurityState sample_security() {
  dlms::SecurityState state;
  state.server_system_title = {0x47, 0x52, 0x44, 0, 0, 0, 0, 7};
  dlms::AesKey key{};
  for (std::uint8_t i = 0; i < 16; ++i)
    key[i] = i;
  state.keys.unicast_encryption = key;
  key[0] = 0xAA;
  state.keys.authentication = key;
  key[0] = 0xBB;
  state.keys.master = key;
  state.keys_transferred = true;
  state.server_invocation_counter = 0xFFFF0000U;
  dlms::ClientSecurity management;
  management.client_sap = 1;
  management.policy = dlms::SecurityPolicy::authenticated_encrypted();
  management.last_invocation_counter = 0xFFFFFFFEU;
  management.counter_seen = true;
  management.system_title = dlms::SystemTitle{1, 2, 3, 4, 5, 6, 7, 8};
  state.clients.push_back(management);
  dlms::ClientSecurity reader;
  reader.client_sap = 0x20;
  state.clients.push_back(reader);
  return state;
}

TEST(StoreSecurity, SavedStateLoadsBackExactlyAndIsKeptApartFromTheMeter) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store);
    auto none = store->load_security();
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(store->save_security(sample_security()));
    // The meter's save does not touch it, nor does a meter with nothing saved need it.
    ASSERT_TRUE(store->save(sample_state()));
    auto meter = store->load();
    ASSERT_TRUE(meter);
  }
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load_security();
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, sample_security());
  // Keys live in the file: only its owner may read it.
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST(StoreSecurity, ALaterSaveReplacesTheClientsToo) {
  testing::TempDir dir;
  auto store = Store::open(dir.file("meter.db"), {});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_security(sample_security()));
  dlms::SecurityState fewer = sample_security();
  fewer.clients.pop_back();
  fewer.keys.master.reset();
  ASSERT_TRUE(store->save_security(fewer));
  auto loaded = store->load_security();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(**loaded, fewer);
}

TEST(StoreSecurity, RefusesDamagedKeysAndCounters) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_security(sample_security()));
  }
  run_sql(path, "UPDATE security SET authentication_key = x'0102'");
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store);
    auto loaded = store->load_security();
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("is corrupt: a key is 2 octets, not 16"),
              std::string::npos)
        << loaded.error().message;
  }
  run_sql(path, "UPDATE security SET authentication_key = NULL, server_invocation_counter = -1");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load_security();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("invocation counter is out of range"), std::string::npos);
}

}  // namespace
}  // namespace gridmeter::store
