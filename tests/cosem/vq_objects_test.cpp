// The voltage-quality registers and log through their COSEM objects: a three-phase meter sees
// one dip of L2 and one 10-minute outage; the counters, thresholds and the last event read the
// meter's registration, and the reading client may read them all.
#include <gtest/gtest.h>

#include "core/date_time.hpp"
#include "cosem/access_rights.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/object_list.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using test::value_of;

Measurement flat(UtcMicros start, double l2_volts) {
  Measurement m = gridmeter::test::single_phase(start, 1000.0);
  m.connection = Connection::three_phase_4w;
  m.half_cycle_count = 20;
  m.frequency_hz = 50.0;
  for (std::size_t p = 0; p < 3; ++p) {
    const double volts = p == 1 ? l2_volts : 230.0;
    m.phases[p].voltage_v = volts;
    for (std::size_t k = 0; k < 20; ++k)
      m.half_cycle_voltage_v[p][k] = static_cast<float>(volts);
  }
  return m;
}

class VoltageQualityObjectsTest : public ::testing::Test {
 protected:
  VoltageQualityObjectsTest() : access_(Connection::three_phase_4w, start_) {
    UtcMicros t = start_;
    for (const double volts : {230.0, 230.0, 161.0, 161.0, 230.0, 230.0}) {
      access_.advance(flat(t, volts));
      t += gridmeter::test::interval_us;
    }
    down_ = t;
    access_.meter().power_outage(down_, down_ + 10 * micros_per_minute);
    objects_ = build_meter_objects(access_, DeviceIdentity{});
  }

  CosemObject& object(std::uint16_t class_id, Obis obis) {
    CosemObject* found = objects_.find(class_id, obis);
    EXPECT_NE(found, nullptr) << to_string(obis);
    return found != nullptr ? *found : *objects_.begin()->get();
  }

  const UtcMicros start_ = gridmeter::test::utc(2026, 6, 1, 8, 0);
  UtcMicros down_ = 0;
  test::TestAccess access_;
  ObjectList objects_;
};

TEST_F(VoltageQualityObjectsTest, CountersReadTheRegistration) {
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 32, 32, 0, 255}), 2), Data::unsigned32(0));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 52, 32, 0, 255}), 2), Data::unsigned32(1));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 72, 32, 0, 255}), 2), Data::unsigned32(0));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 12, 32, 0, 255}), 2), Data::unsigned32(1));
  // 400 ms of dip, in ms (scaler -3, seconds).
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 52, 33, 0, 255}), 2), Data::unsigned32(400));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 52, 33, 0, 255}), 3),
            Data::structure({Data::integer8(-3), Data::enumeration(7)}));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 32, 36, 0, 255}), 2), Data::unsigned32(0));
  // The outage: one power failure of every phase, long (10 minutes).
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 7, 21, 255}), 2), Data::unsigned16(1));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 7, 9, 255}), 2), Data::unsigned16(1));
  EXPECT_EQ(value_of(object(3, Obis{0, 0, 96, 7, 20, 255}), 2), Data::unsigned32(180));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 72, 40, 128, 255}), 2), Data::unsigned32(1));
  EXPECT_EQ(value_of(object(1, Obis{1, 0, 12, 40, 128, 255}), 2), Data::unsigned32(1));
  const CosemObject& l3_failures = object(4, Obis{0, 0, 96, 7, 3, 255});
  EXPECT_EQ(value_of(l3_failures, 2), Data::unsigned32(1));
  EXPECT_EQ(value_of(l3_failures, 5),
            date_time_octets(to_cosem(down_, access_.meter().config().zone)));
  // Thresholds: 90 % and 110 % of 230 V in 0.1 V.
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 12, 31, 0, 255}), 2), Data::unsigned16(2070));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 12, 35, 0, 255}), 2), Data::unsigned16(2530));
}

TEST_F(VoltageQualityObjectsTest, TheLastEventAndTheLog) {
  // The newest entry is the long interruption (code 243), 10 minutes, all phases, 0 V.
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 11, 4, 255}), 2), Data::unsigned16(243));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 128, 5, 0, 255}), 2), Data::unsigned8(7));
  EXPECT_EQ(value_of(object(3, Obis{0, 0, 128, 5, 2, 255}), 2), Data::unsigned32(600'000));
  EXPECT_EQ(value_of(object(3, Obis{0, 0, 128, 5, 3, 255}), 2), Data::unsigned32(0));
  const CosemObject& log = object(7, Obis{0, 0, 99, 98, 4, 255});
  EXPECT_EQ(value_of(log, 7), Data::unsigned32(2));    // entries_in_use: the dip, the outage
  EXPECT_EQ(value_of(log, 8), Data::unsigned32(400));  // profile_entries
}

TEST_F(VoltageQualityObjectsTest, TheReadingAndManagementClientsMayReadThem) {
  const ClientRights reader(ClientRole::reader);
  const ClientRights management(ClientRole::management);
  for (const Obis obis :
       {Obis{1, 0, 32, 32, 0, 255}, Obis{0, 0, 96, 7, 9, 255}, Obis{0, 0, 96, 7, 21, 255},
        Obis{0, 0, 99, 98, 4, 255}, Obis{0, 0, 96, 11, 4, 255}}) {
    const CosemObject* found = objects_.find(obis);
    ASSERT_NE(found, nullptr) << to_string(obis);
    EXPECT_TRUE(reader.visible(*found)) << to_string(obis);
    EXPECT_TRUE(management.visible(*found)) << to_string(obis);
    EXPECT_NE(reader.attribute_access(*found, 2), AttributeAccess::none) << to_string(obis);
  }
}

TEST_F(VoltageQualityObjectsTest, TheManagementClientProgramsTheThresholds) {
  CosemObject& dip = object(3, Obis{1, 0, 12, 31, 0, 255});
  CosemObject& swell = object(3, Obis{1, 0, 12, 35, 0, 255});
  CosemObject& missing = object(3, Obis{1, 0, 12, 39, 0, 255});
  CosemObject& long_failure = object(3, Obis{0, 0, 96, 7, 20, 255});
  EXPECT_EQ(ClientRights(ClientRole::management).attribute_access(dip, 2),
            AttributeAccess::read_write);
  EXPECT_EQ(ClientRights(ClientRole::reader).attribute_access(dip, 2), AttributeAccess::read);
  EXPECT_EQ(dip.attribute_access(3), AttributeAccess::read);  // scaler_unit stays read-only
  EXPECT_EQ(value_of(missing, 2), Data::unsigned16(115));     // 5 % of 230 V
  const VoltageQualityConfig& vq = access_.meter().config().voltage_quality;

  // 200.0 V: 86.96 % of Udin, read back as written.
  EXPECT_EQ(dip.set(2, Data::unsigned16(2000)), dlms::DataAccessResult::success);
  EXPECT_NEAR(vq.dip_threshold_percent, 100.0 * 200.0 / 230.0, 1e-12);
  EXPECT_EQ(value_of(dip, 2), Data::unsigned16(2000));
  EXPECT_EQ(swell.set(2, Data::unsigned16(2645)), dlms::DataAccessResult::success);
  EXPECT_NEAR(vq.swell_threshold_percent, 115.0, 1e-12);
  EXPECT_EQ(missing.set(2, Data::unsigned16(230)), dlms::DataAccessResult::success);
  EXPECT_NEAR(vq.interruption_threshold_percent, 10.0, 1e-12);
  EXPECT_EQ(long_failure.set(2, Data::unsigned32(60)), dlms::DataAccessResult::success);
  EXPECT_EQ(vq.long_interruption_s, 60);

  // What the programming refuses changes nothing.
  const VoltageQualityConfig before = vq;
  EXPECT_EQ(dip.set(2, Data::unsigned32(2000)), dlms::DataAccessResult::type_unmatched);
  EXPECT_EQ(dip.set(2, Data::unsigned16(2600)), dlms::DataAccessResult::other_reason);  // 113 %
  EXPECT_EQ(swell.set(2, Data::unsigned16(2200)), dlms::DataAccessResult::other_reason);
  EXPECT_EQ(missing.set(2, Data::unsigned16(2100)), dlms::DataAccessResult::other_reason);
  EXPECT_EQ(long_failure.set(2, Data::unsigned32(0)), dlms::DataAccessResult::other_reason);
  EXPECT_EQ(long_failure.set(2, Data::unsigned32(4'000'000'000)),
            dlms::DataAccessResult::other_reason);
  EXPECT_EQ(vq, before);

  // The new dip threshold is the one the registration uses: 205 V is no dip any more.
  const std::uint64_t dips = access_.meter().state().voltage_quality.counters.dips_total;
  UtcMicros t = access_.meter().state().time_utc_us;
  for (const double volts : {230.0, 205.0, 205.0, 230.0, 230.0}) {
    access_.advance(flat(t, volts));
    t += gridmeter::test::interval_us;
  }
  EXPECT_EQ(access_.meter().state().voltage_quality.counters.dips_total, dips);
}

}  // namespace
}  // namespace gridmeter::cosem
