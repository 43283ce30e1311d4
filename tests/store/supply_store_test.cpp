// The store keeps the supply control (schema 3): breaker, limiter, credit and token memory,
// tamper inputs, fraud signs, the S0 pulse train, the disconnector and token logs; a schema 2
// store is upgraded in place; a damaged supply blob is refused.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/store.hpp"
#include "store/supply_codec.hpp"
#include "support/measurements.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::store {
namespace {

void run_sql(const std::string& path, const char* sql) {
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(database);
}

std::string query(const std::string& path, const char* sql) {
  sqlite3* database = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(database, sql, -1, &statement, nullptr), SQLITE_OK);
  std::string text;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(database);
  return text;
}

void feed(Meter& meter, double power_w, int count) {
  for (int i = 0; i < count; ++i)
    meter.advance(test::single_phase(meter.state().time_utc_us, power_w, 0.0, 60'000'000));
}

// A meter whose supply control has been through everything: prepayment with tokens, a limiter
// trip, tamper inputs, the emergency credit, a pulse train in the middle of a pulse.
Meter supply_meter() {
  MeterConfig config;
  config.disconnector.mode = 5;
  config.prepayment.enabled = true;
  config.prepayment.low_credit_wh = 500;
  config.prepayment.emergency_credit_wh = 300;
  config.limiter.enabled = true;
  config.limiter.threshold_normal = 4000.0;
  config.limiter.min_over_s = 120;
  config.limiter.min_under_s = 60;
  config.tamper.disconnect[index_of(TamperInput::terminal_cover)] = true;
  config.pulse_output.constant = 800;
  Meter meter(Connection::single_phase_2w, test::utc(2026, 2, 3, 10, 0), config);
  EXPECT_TRUE(meter.top_up(101, 2'000));
  EXPECT_TRUE(meter.top_up(99, 1'000));
  feed(meter, 1500.0, 30);
  feed(meter, 5000.0, 5);   // the limiter trips, then reconnects by itself (mode 5)
  feed(meter, 2000.0, 45);  // 450 Wh left: low credit
  EXPECT_TRUE(meter.take_emergency_credit());
  EXPECT_TRUE(meter.tamper_input(TamperInput::meter_cover, true));
  EXPECT_TRUE(meter.tamper_input(TamperInput::magnetic_field, true));
  meter.tamper_input_while_off(TamperInput::meter_cover, false);
  feed(meter, 700.0, 7);
  meter.advance(test::single_phase(meter.state().time_utc_us, 1234.5, 0.0, 3'333'333));
  return meter;
}

TEST(SupplyStore, EverySupplyStateLoadsBackAndContinuesTheSame) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  Meter meter = supply_meter();
  const SupplyState& supply = meter.state().supply;
  // The sample covers what it is meant to.
  ASSERT_GT(supply.prepayment.top_up_count, 1U);
  ASSERT_TRUE(supply.prepayment.emergency_taken);
  ASSERT_GT(supply.pulse_output.emitted, 0U);
  ASSERT_TRUE(supply.tamper.seen_while_off);
  ASSERT_FALSE(meter.state().disconnector_events.empty());
  ASSERT_EQ(meter.state().token_log.size(), 2U);
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE(store->save(meter.state(), Source{"household", 3}, false));
  }
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->meter, meter.state());
  // The restored meter goes on exactly as the one that never stopped: the token memory, the
  // pulse train and the limiter's runs are all where they were.
  Meter restored((*loaded)->meter);
  feed(meter, 3000.0, 100);
  feed(restored, 3000.0, 100);
  EXPECT_EQ(restored.state(), meter.state());
  EXPECT_EQ(restored.top_up(101, 5).error().message, "token 101 was applied before; refused");
  EXPECT_EQ(query(path, "SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(store_schema_version));
}

TEST(SupplyStore, UpgradesAVersionTwoStoreInPlace) {
  testing::TempDir dir;
  const std::string path = dir.file("v2.db");
  Meter meter(Connection::single_phase_2w, test::utc(2026, 2, 3, 10, 0));
  feed(meter, 1000.0, 90);
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save(meter.state(), Source{"household", 1}, true));
  }
  // What a gridmeter of schema 2 left: no supply table, no disconnector or token log.
  run_sql(path,
          "DROP TABLE supply;"
          "DELETE FROM profile WHERE obis IN ('0-0:99.98.2.255', '0-0:99.98.128.255');"
          "UPDATE meta SET value = '2' WHERE key = 'schema_version';");
  auto store = Store::open(path, {});
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(query(path, "SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(store_schema_version));
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  const MeterState& upgraded = (*loaded)->meter;
  EXPECT_EQ(upgraded.energy, meter.state().energy);
  EXPECT_EQ(upgraded.supply.disconnector, DisconnectorState{});
  EXPECT_EQ(upgraded.supply.prepayment, PrepaymentState{});
  EXPECT_EQ(upgraded.supply.pulse_output, start_pulse_train(PulseOutputConfig{}));
  EXPECT_TRUE(upgraded.disconnector_events.empty());
  EXPECT_TRUE(upgraded.token_log.empty());
  // Saved again it is a schema 3 store that loads back equal.
  ASSERT_TRUE(store->save(upgraded, (*loaded)->source, true));
  auto again = Store::open(path, {})->load();
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->meter, upgraded);
}

// Replaces the stored supply blob with `words`.
void store_supply(const std::string& path, const std::vector<std::uint64_t>& words) {
  std::vector<unsigned char> bytes;
  for (const std::uint64_t word : words) {
    for (int shift = 0; shift < 64; shift += 8)
      bytes.push_back(static_cast<unsigned char>(word >> static_cast<unsigned>(shift)));
  }
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(database, "UPDATE supply SET state = ?", -1, &statement, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(statement, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_DONE);
  sqlite3_finalize(statement);
  sqlite3_close(database);
}

std::string load_error(const std::string& path) {
  auto loaded = Store::open(path, {})->load();
  return loaded ? std::string("loaded") : loaded.error().message;
}

TEST(SupplyStore, RefusesADamagedSupplyState) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  const Meter meter = supply_meter();
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(meter.state(), Source{"household", 3}, false));
  }
  const std::vector<std::uint64_t> good = encode_supply(meter.state().supply);
  std::vector<std::uint64_t> words = good;
  words.pop_back();
  store_supply(path, words);
  EXPECT_NE(load_error(path).find("supply control: 110 words, expected 111"), std::string::npos)
      << load_error(path);
  words = good;
  words[0] = 3;  // no such control state
  store_supply(path, words);
  EXPECT_NE(load_error(path).find("supply control: bad control state"), std::string::npos)
      << load_error(path);
  words = good;
  words[1] = words[1] == 0 ? 1 : 0;  // the output contradicts the state
  store_supply(path, words);
  EXPECT_NE(load_error(path).find("output state contradicts the control state"), std::string::npos)
      << load_error(path);
  run_sql(path, "UPDATE supply SET state = x'0102';");
  EXPECT_NE(load_error(path).find("supply control damaged"), std::string::npos) << load_error(path);
  store_supply(path, good);
  EXPECT_EQ(load_error(path), "loaded");
}

TEST(SupplyCodec, RefusesWhatNoMeterCouldHold) {
  const MeterConfig config;
  SupplyState supply;
  supply.pulse_output = start_pulse_train(config.pulse_output);
  const std::vector<std::uint64_t> good = encode_supply(supply);
  SupplyState decoded;
  ASSERT_TRUE(decode_supply(good, config, decoded));
  EXPECT_EQ(decoded, supply);
  // Every single word set to an impossible value is refused (or, where any value is possible,
  // read back as written), never crashes.
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::vector<std::uint64_t> words = good;
    words[i] = ~std::uint64_t{0};
    SupplyState out = supply;
    const Status status = decode_supply(words, config, out);
    if (!status) {
      EXPECT_EQ(out, supply) << "word " << i;  // refused: unchanged
    }
  }
  // Something in a token slot past the tokens held: refused, not dropped on the way.
  std::vector<std::uint64_t> words = good;
  words[4 + 5 + 11 + 10] = 77;
  SupplyState out = supply;
  EXPECT_FALSE(decode_supply(words, config, out));
  EXPECT_EQ(out, supply);
  // A pulse train the constant cannot produce.
  SupplyState bad = supply;
  bad.pulse_output.step = config.pulse_output.constant;
  EXPECT_FALSE(decode_supply(encode_supply(bad), config, decoded));
  bad = supply;
  bad.pulse_output.to_next_pj = 0;
  EXPECT_FALSE(decode_supply(encode_supply(bad), config, decoded));
}

}  // namespace
}  // namespace gridmeter::store
