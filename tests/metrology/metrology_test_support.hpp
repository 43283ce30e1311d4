// Helpers shared by the metrology tests: run a generator through an engine and collect what
// comes out.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>     // std::size_t
#include <functional>  // std::function
#include <memory>      // std::unique_ptr
#include <vector>      // std::vector

#include "meter/measurement.hpp"
#include "metrology/metrology_engine.hpp"
#include "metrology/samples.hpp"
#include "sim/waveform_generator.hpp"

namespace gridmeter::metrology::testing {

inline std::unique_ptr<sim::WaveformGenerator> make_generator(const sim::WaveformConfig& config) {
  auto generator = sim::WaveformGenerator::create(config);
  EXPECT_TRUE(generator) << (generator ? "" : generator.error().message);
  return generator ? std::move(*generator) : nullptr;
}

// The engine config that matches a generator config.
inline MetrologyConfig engine_config_for(const sim::WaveformConfig& waveform) {
  return MetrologyConfig{.connection = waveform.connection,
                         .nominal_frequency_hz = waveform.nominal_frequency_hz,
                         .sample_rate_hz = waveform.sample_rate_hz,
                         .has_neutral_current = waveform.has_neutral_current,
                         .start_utc_us = waveform.start_utc_us};
}

inline MetrologyEngine make_engine(const MetrologyConfig& config) {
  auto engine = MetrologyEngine::create(config);
  EXPECT_TRUE(engine) << (engine ? "" : engine.error().message);
  return std::move(*engine);
}

// Feeds the whole generator output through `engine` in blocks of `block` sample instants,
// calling `each` (if any) inside the callback, where the engine's accessors describe the
// interval just delivered.
inline std::vector<Measurement> run(MetrologyEngine& engine, sim::WaveformGenerator& generator,
                                    std::size_t block = 4096,
                                    const std::function<void(const Measurement&)>& each = nullptr) {
  std::vector<Measurement> out;
  SampleBuffer buffer(block);
  for (;;) {
    auto read = generator.read(buffer);
    EXPECT_TRUE(read);
    if (!read || *read == 0) break;
    engine.process(buffer, [&](const Measurement& m) {
      if (each) each(m);
      out.push_back(m);
    });
  }
  return out;
}

inline std::vector<Measurement> run(const sim::WaveformConfig& waveform, std::size_t block = 4096) {
  auto generator = make_generator(waveform);
  MetrologyEngine engine = make_engine(engine_config_for(waveform));
  return run(engine, *generator, block);
}

}  // namespace gridmeter::metrology::testing
