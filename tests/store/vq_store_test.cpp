// The store keeps the voltage-quality registration (schema 4): a meter saved in the middle of
// a dip, restored, goes on exactly as one that never stopped; a damaged blob is refused; a
// store without the table (schema 3) starts the registration afresh.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/vq_codec.hpp"
#include "support/measurements.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::store {
namespace {

Measurement flat(UtcMicros start, double volts) {
  Measurement m = test::single_phase(start, 1000.0);
  m.connection = Connection::three_phase_4w;
  m.half_cycle_count = 20;
  m.frequency_hz = 50.0;
  for (std::size_t p = 0; p < 3; ++p) {
    m.phases[p] = test::phase(1000.0);
    m.phases[p].voltage_v = volts;
    for (std::size_t k = 0; k < 20; ++k)
      m.half_cycle_voltage_v[p][k] = static_cast<float>(volts + 0.01 * static_cast<double>(k));
    m.voltage_harmonic_percent[p][3] = 1.25F;
    m.voltage_harmonic_percent[p][5] = 2.5F + static_cast<float>(p);
  }
  m.voltage_harmonics = true;
  return m;
}

void feed(Meter& meter, double volts, int count) {
  for (int i = 0; i < count; ++i)
    meter.advance(flat(meter.state().time_utc_us, volts));
}

// A meter with a history: dips, an RVC, a 10-minute value, and a dip in progress now.
Meter busy_meter() {
  Meter meter(Connection::three_phase_4w, test::utc(2026, 5, 4, 11, 58));
  feed(meter, 230.0, 600);
  feed(meter, 180.0, 3);
  feed(meter, 230.0, 20);
  feed(meter, 240.0, 20);  // an RVC
  feed(meter, 230.0, 20);
  feed(meter, 150.0, 2);  // in the middle of a dip
  return meter;
}

std::string load_error(const std::string& path) {
  auto store = Store::open(path, {});
  if (!store) return store.error().message;
  auto loaded = store->load();
  return loaded ? std::string("loaded") : loaded.error().message;
}

void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(database);
}

void store_vq(const std::string& path, const std::vector<std::uint64_t>& words) {
  std::vector<unsigned char> bytes;
  for (const std::uint64_t word : words) {
    for (int shift = 0; shift < 64; shift += 8)
      bytes.push_back(static_cast<unsigned char>(word >> static_cast<unsigned>(shift)));
  }
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(database, "UPDATE voltage_quality SET state = ?", -1, &statement, nullptr),
      SQLITE_OK);
  sqlite3_bind_blob(statement, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_DONE);
  sqlite3_finalize(statement);
  sqlite3_close(database);
}

TEST(VoltageQualityStore, AMeterSavedMidDipContinuesTheSame) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  Meter meter = busy_meter();
  const VoltageQualityState& vq = meter.state().voltage_quality;
  ASSERT_TRUE(vq.dip.active);
  ASSERT_EQ(vq.counters.dips_total, 1U);
  ASSERT_EQ(vq.counters.rvcs_total, 2U);
  ASSERT_TRUE(vq.aggregation.last_minutes.valid);
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store);
    // Not a clean shutdown: what a killed process leaves.
    ASSERT_TRUE(store->save(meter.state(), Source{}, false));
  }
  auto store = Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->meter, meter.state());
  Meter restored((*loaded)->meter);
  feed(meter, 230.0, 30);
  feed(restored, 230.0, 30);
  EXPECT_EQ(restored.state(), meter.state());
  EXPECT_EQ(restored.state().voltage_quality.counters.dips_total, 2U);
  EXPECT_EQ(restored.state().voltage_quality_log.size(), 4U);  // 2 dips, 2 RVCs
  // Saved again, only the new entries are appended; it loads back equal.
  ASSERT_TRUE(store->save(restored.state(), Source{}, true));
  auto again = Store::open(path, {})->load();
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->meter, restored.state());
}

TEST(VoltageQualityStore, AnOlderStoreStartsTheRegistrationAfresh) {
  testing::TempDir dir;
  const std::string path = dir.file("v3.db");
  Meter meter = busy_meter();
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(meter.state(), Source{}, true));
  }
  run_sql(path,
          "DROP TABLE voltage_quality;"
          "DELETE FROM profile WHERE obis = '0-0:99.98.4.255';"
          "DELETE FROM profile_entry WHERE obis = '0-0:99.98.4.255';"
          "UPDATE meta SET value = '3' WHERE key = 'schema_version';");
  auto loaded = Store::open(path, {})->load();
  ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->meter.voltage_quality, VoltageQualityState{});
  EXPECT_TRUE((*loaded)->meter.voltage_quality_log.empty());
  EXPECT_EQ((*loaded)->meter.energy, meter.state().energy);
}

TEST(VoltageQualityStore, RefusesADamagedBlob) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  const Meter meter = busy_meter();
  {
    auto store = Store::open(path, {});
    ASSERT_TRUE(store && store->save(meter.state(), Source{}, false));
  }
  std::vector<std::uint64_t> words = encode_voltage_quality(meter.state().voltage_quality);
  words.pop_back();
  store_vq(path, words);
  EXPECT_NE(load_error(path).find("corrupt"), std::string::npos) << load_error(path);
  EXPECT_NE(load_error(path).find("voltage quality"), std::string::npos) << load_error(path);
}

TEST(VoltageQualityCodec, EncodesEveryStateBackToTheSameWords) {
  const Meter meter = busy_meter();
  const std::vector<std::uint64_t> words = encode_voltage_quality(meter.state().voltage_quality);
  VoltageQualityState decoded;
  ASSERT_TRUE(decode_voltage_quality(words, decoded));
  EXPECT_EQ(decoded, meter.state().voltage_quality);
  EXPECT_EQ(encode_voltage_quality(decoded), words);
  EXPECT_TRUE(decoded.aggregation.last_minutes.harmonics);
  // The default state is the layout's marker, then all zeros.
  const std::vector<std::uint64_t> fresh = encode_voltage_quality(VoltageQualityState{});
  ASSERT_GT(fresh.size(), 1U);
  EXPECT_EQ(fresh[0], 0x5651'4c41'594f'0002U);
  EXPECT_EQ(std::vector<std::uint64_t>(fresh.begin() + 1, fresh.end()),
            std::vector<std::uint64_t>(fresh.size() - 1, 0));
}

TEST(VoltageQualityCodec, ReadsAStoreWrittenBeforeTheHarmonics) {
  const Meter meter = busy_meter();
  const VoltageQualityState& state = meter.state().voltage_quality;
  const std::vector<std::uint64_t> old = encode_voltage_quality_without_harmonics(state);
  EXPECT_LT(old.size(), encode_voltage_quality(state).size());
  VoltageQualityState decoded;
  ASSERT_TRUE(decode_voltage_quality(old, decoded));
  // Everything but the harmonics comes back; those start empty.
  VoltageQualityState expected = state;
  for (VqAccumulator* a :
       {&expected.aggregation.cycles, &expected.aggregation.minutes, &expected.aggregation.hours}) {
    a->harmonic_sq = {};
    a->harmonic_count = 0;
  }
  for (VqAggregate* a : {&expected.aggregation.last_cycles, &expected.aggregation.last_minutes,
                         &expected.aggregation.last_hours}) {
    a->harmonics = false;
    a->harmonic_percent = {};
  }
  for (VqWeek* w : {&expected.running_week, &expected.last_week}) {
    w->harmonic_values = {};
    w->harmonic_within = {};
  }
  EXPECT_EQ(decoded, expected);
  EXPECT_NE(decoded, state);
}

TEST(VoltageQualityCodec, RefusesWhatNoMeterCouldHold) {
  const Meter meter = busy_meter();
  const std::vector<std::uint64_t> good = encode_voltage_quality(meter.state().voltage_quality);
  VoltageQualityState out;
  auto refused = [&](std::vector<std::uint64_t> words) {
    const VoltageQualityState before = out;
    const Status status = decode_voltage_quality(words, out);
    if (!status) {
      EXPECT_EQ(out, before);  // unchanged
    }
    return status ? std::string("accepted") : status.error().message;
  };
  EXPECT_EQ(refused({}), "voltage quality: bad length");
  std::vector<std::uint64_t> longer = good;
  longer.push_back(0);
  EXPECT_EQ(refused(longer), "voltage quality: too long");
  // After the layout marker, the history's values (3 × 128), then its index, size, count.
  const std::size_t history_words = 1 + 3 * vq_history_size;
  std::vector<std::uint64_t> words = good;
  words[history_words] = vq_history_size;  // head past the ring
  EXPECT_EQ(refused(words), "voltage quality: bad history index");
  words = good;
  words[1] = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(refused(words), "voltage quality: bad history");
  words = good;
  words[2] = std::bit_cast<std::uint64_t>(0.1);  // not a float's value
  EXPECT_EQ(refused(words), "voltage quality: bad history");
  // The dip event after the history: its flag.
  const std::size_t dip_words =
      history_words + 3 + 2 * 3 * vq_interval_stats_size + vq_interval_stats_size + 1;
  words = good;
  words[dip_words] = 2;
  EXPECT_EQ(refused(words), "voltage quality: bad open event");
  words = good;
  words[dip_words + 1] = 8;  // phases beyond L1..L3
  EXPECT_EQ(refused(words), "voltage quality: bad open event phases");
  EXPECT_EQ(refused(good), "accepted");
}

}  // namespace
}  // namespace gridmeter::store
