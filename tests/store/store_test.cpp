#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace gridmeter::store {
namespace {

PersistedState sample_state() {
  PersistedState state;
  state.meter.connection = Connection::three_phase_4w;
  state.meter.time_utc_us = 1'767'222'000'000'000;
  state.meter.measurement_count = 123'456'789;
  state.meter.power_failure_count = 3;
  state.meter.last_power_down_utc_us = 1'767'000'000'000'000;
  state.meter.last_power_up_utc_us = 1'767'000'100'000'000;
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

}  // namespace
}  // namespace gridmeter::store
