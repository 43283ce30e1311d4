// Kills a running `gridmeter sim --store` with SIGKILL at random instants and checks, after each
// kill, that the store opens, that nothing went backwards, and that the saved state is exactly
// the state of one instant: the registers an uninterrupted meter holds at the saved time.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "app/sim_command.hpp"
#include "meter/meter.hpp"
#include "sim/scenario.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

pid_t start_sim(const std::string& store_path, const char* days) {
  const pid_t child = fork();
  if (child == 0) {
    // Quiet child: its report is not what this test reads.
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(GRIDMETER_BINARY, GRIDMETER_BINARY, "sim", "--scenario", "household", "--seed", "7",
          "--days", days, "--store", store_path.c_str(), "--json", static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

bool no_register_went_backwards(const MeterState& before, const MeterState& after) {
  if (after.time_utc_us < before.time_utc_us) return false;
  if (after.measurement_count < before.measurement_count) return false;
  if (after.power_failure_count < before.power_failure_count) return false;
  for (std::size_t k = 0; k < stored_energy_count; ++k) {
    if (after.energy.total.accumulators[k] < before.energy.total.accumulators[k]) return false;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (after.energy.phases[p].accumulators[k] < before.energy.phases[p].accumulators[k])
        return false;
    }
  }
  return true;
}

// An uninterrupted meter on the same household, advanced on demand to any later time.
class ReferenceMeter {
 public:
  ReferenceMeter() {
    auto made = sim::make_scenario({.name = "household", .seed = 7});
    EXPECT_TRUE(made);
    scenario_ = std::move(*made);
    const TimeZone zone = TimeZone::central_europe();
    meter_ = std::make_unique<Meter>(scenario_->connection(), app::default_sim_start(zone));
  }
  const MeterState& at(UtcMicros time) {
    Measurement m;
    while (meter_->state().time_utc_us < time) {
      scenario_->measure(meter_->state().time_utc_us, m);
      meter_->advance(m);
    }
    return meter_->state();
  }

 private:
  std::unique_ptr<sim::Scenario> scenario_;
  std::unique_ptr<Meter> meter_;
};

TEST(CrashSafety, SigkillAtRandomInstantsLeavesAConsistentStore) {
  testing::TempDir dir;
  const std::string path = dir.file("meter.db");
  const unsigned seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937 random(seed);
  // Up to half a second: a sanitizer build on a loaded CI machine takes a good part of that to
  // start and save the first time, and some rounds must find a saved store.
  std::uniform_int_distribution<int> delay_ms(20, 500);
  SCOPED_TRACE("random seed " + std::to_string(seed));

  ReferenceMeter reference;
  MeterState previous;
  bool saved_before = false;
  int kills = 0;
  for (int round = 0; round < 24; ++round) {
    const pid_t child = start_sim(path, "3650");
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status)) ++kills;

    auto store = store::Store::open(path, {});
    ASSERT_TRUE(store) << "round " << round << ": " << store.error().message;
    auto loaded = store->load();
    ASSERT_TRUE(loaded) << "round " << round << ": " << loaded.error().message;
    if (!loaded->has_value()) {
      ASSERT_FALSE(saved_before) << "round " << round << ": the saved state vanished";
      continue;
    }
    const MeterState& now = (*loaded)->meter;
    if (saved_before) {
      ASSERT_TRUE(no_register_went_backwards(previous, now)) << "round " << round;
    }
    const MeterState& expected = reference.at(now.time_utc_us);
    ASSERT_EQ(now.time_utc_us, expected.time_utc_us) << "round " << round;
    ASSERT_EQ(now.measurement_count, expected.measurement_count) << "round " << round;
    ASSERT_EQ(now.energy, expected.energy) << "round " << round;
    // The voltage-quality registration too: detectors, aggregates, counters and its log.
    ASSERT_EQ(now.voltage_quality, expected.voltage_quality) << "round " << round;
    ASSERT_EQ(now.voltage_quality_log, expected.voltage_quality_log) << "round " << round;
    previous = now;
    saved_before = true;
  }
  EXPECT_GE(kills, 20);
  ASSERT_TRUE(saved_before);

  // A clean run after all that finishes on exactly the uninterrupted meter's registers, and has
  // counted the power failures (kills that found a saved, unclosed store).
  const pid_t child = start_sim(path, "0.5");
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto store = store::Store::open(path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_TRUE((*loaded)->clean_shutdown);
  const MeterState& final_state = (*loaded)->meter;
  EXPECT_EQ(final_state.energy, reference.at(final_state.time_utc_us).energy);
  EXPECT_EQ(final_state.voltage_quality, reference.at(final_state.time_utc_us).voltage_quality);
  EXPECT_GE(final_state.power_failure_count, 1U);
  EXPECT_LE(final_state.power_failure_count, static_cast<std::uint64_t>(kills));
}

}  // namespace
}  // namespace gridmeter
