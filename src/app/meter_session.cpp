#include "app/meter_session.hpp"

#include <fmt/format.h>

namespace gridmeter::app {
namespace {

// The stored source wins; an explicit option that contradicts it is an error rather than a
// silent switch to another household halfway through a meter's life.
Result<store::Source> resolve_source(const SessionOptions& options,
                                     const std::optional<store::PersistedState>& saved) {
  const bool saved_waveform = saved && saved->source.scenario.empty();
  if (options.waveform_connection) {
    if (saved && !saved_waveform) {
      return make_error(fmt::format(
          "store '{}' holds a meter fed by scenario '{}'; cannot feed it from waveforms",
          options.store_path, saved->source.scenario));
    }
    return store::Source{};
  }
  if (saved_waveform) {
    return make_error(
        fmt::format("store '{}' holds a meter fed by waveforms; give it an --input, not a scenario",
                    options.store_path));
  }
  store::Source source{std::string(default_scenario), 1};
  if (saved) source = saved->source;
  if (options.scenario) {
    if (saved && *options.scenario != source.scenario) {
      return make_error(
          fmt::format("store '{}' holds a meter fed by scenario '{}'; cannot continue it with '{}'",
                      options.store_path, source.scenario, *options.scenario));
    }
    source.scenario = *options.scenario;
  }
  if (options.seed) {
    if (saved && *options.seed != source.seed) {
      return make_error(
          fmt::format("store '{}' holds a meter fed with seed {}; cannot continue it with seed {}",
                      options.store_path, source.seed, *options.seed));
    }
    source.seed = *options.seed;
  }
  return source;
}

}  // namespace

Result<MeterSession> MeterSession::open(const SessionOptions& options,
                                        std::optional<UtcMicros> power_up_time) {
  MeterSession session;
  session.flush_interval_us_ = options.flush_interval_us;
  std::optional<store::PersistedState> saved;
  if (!options.store_path.empty()) {
    auto opened =
        store::Store::open(options.store_path, {.durable_commits = options.durable_commits});
    if (!opened) return opened.error();
    session.store_.emplace(std::move(*opened));
    auto loaded = session.store_->load();
    if (!loaded) return loaded.error();
    saved = std::move(*loaded);
  }

  auto source = resolve_source(options, saved);
  if (!source) return source.error();
  session.source_ = *source;
  Connection connection = options.waveform_connection.value_or(Connection::single_phase_2w);
  if (!options.waveform_connection) {
    auto scenario =
        sim::make_scenario(sim::ScenarioConfig{.name = source->scenario, .seed = source->seed});
    if (!scenario) return scenario.error();
    session.scenario_ = std::move(*scenario);
    connection = session.scenario_->connection();
  }

  if (saved) {
    if (saved->meter.connection != connection) {
      return make_error(
          fmt::format("store '{}' holds a meter of another connection type", options.store_path));
    }
    if (options.start && *options.start != saved->meter.time_utc_us) {
      return make_error(
          fmt::format("store '{}' resumes the meter at its saved time; --start cannot move it",
                      options.store_path));
    }
    session.meter_ = std::make_unique<Meter>(saved->meter);
    session.resumed_ = true;
    if (!saved->clean_shutdown) {
      const UtcMicros down = saved->meter.time_utc_us;
      session.meter_->power_outage(down, std::max(down, power_up_time.value_or(down)));
      session.recovered_ = true;
    } else if (power_up_time && *power_up_time > saved->meter.time_utc_us) {
      // An orderly stop is still a supply outage for the meter while time passes.
      session.meter_->power_outage(saved->meter.time_utc_us, *power_up_time);
    }
    if (options.config || options.zone) {
      MeterConfig config = options.config.value_or(session.meter_->config());
      if (options.zone) config.zone = *options.zone;
      if (Status valid = config.validate(); !valid) return valid.error();
      session.meter_->configure(config);
    }
  } else {
    MeterConfig config = options.config.value_or(MeterConfig{});
    if (options.zone) config.zone = *options.zone;
    if (Status valid = config.validate(); !valid) return valid.error();
    session.meter_ =
        std::make_unique<Meter>(connection, options.start.value_or(options.default_start), config);
  }
  session.start_time_ = session.meter_->state().time_utc_us;
  session.next_flush_utc_us_ = session.start_time_ + session.flush_interval_us_;
  // Persist at once: a new store then holds the meter from its first instant, and a recovered
  // one records the power failure before anything else can be lost.
  if (Status status = session.flush(false); !status) return status.error();
  return session;
}

Status MeterSession::flush_if_due() {
  if (meter_->state().time_utc_us < next_flush_utc_us_) return {};
  return flush(false);
}

Status MeterSession::flush(bool orderly_stop) {
  next_flush_utc_us_ = meter_->state().time_utc_us + flush_interval_us_;
  if (!store_) return {};
  return store_->save(meter_->state(), source_, orderly_stop);
}

Result<std::optional<dlms::SecurityState>> MeterSession::load_security() {
  if (!store_) return std::optional<dlms::SecurityState>{};
  return store_->load_security();
}

Status MeterSession::save_security(const dlms::SecurityState& state) {
  if (!store_) return make_error("no store: the security state cannot be kept");
  return store_->save_security(state);
}

}  // namespace gridmeter::app
