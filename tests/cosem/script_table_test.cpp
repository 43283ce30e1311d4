// Script tables (class 9): the tariffication scripts the calendar references and the end of
// billing period script, byte for byte, and what executing them does to the meter.
#include "cosem/script_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>  // std::int64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

class ScriptTableTest : public ::testing::Test {
 protected:
  // Wednesday 2026-01-07 10:00 CET: the day tariff (1).
  ScriptTableTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        tariffs_(tariffication_script_table()),
        billing_(end_of_billing_script_table(access_)) {}

  Meter& meter() { return access_.meter(); }

  test::TestAccess access_;
  std::unique_ptr<ScriptTable> tariffs_;
  std::unique_ptr<ScriptTable> billing_;
};

TEST_F(ScriptTableTest, TariffScriptsWriteTheActiveTariff) {
  EXPECT_EQ(tariffs_->class_id(), 9);
  EXPECT_EQ(tariffs_->version(), 0);
  EXPECT_EQ(wire(*tariffs_, 1), hex("09 06 00000A0064FF"));
  // Script t: write (1) class 1, 0-0:96.14.0.255, attribute 2, unsigned t.
  std::string scripts = "01 08";
  for (int t = 1; t <= 8; ++t) {
    const std::string n = "0" + std::to_string(t);
    scripts += " 02 02 12 00" + n + " 01 01 02 05 16 01 12 0001 09 06 0000600E00FF 0F 02 11 " + n;
  }
  EXPECT_EQ(wire(*tariffs_, 2), hex(scripts));
}

TEST_F(ScriptTableTest, BillingScriptCapturesTheBillingProfile) {
  EXPECT_EQ(billing_->logical_name(), (Obis{0, 0, 10, 0, 1, 255}));
  // Script 1: execute (2) class 7, 0-0:98.1.0.255, method 2 (capture), integer 0.
  EXPECT_EQ(wire(*billing_, 2),
            hex("01 01 02 02 12 0001 01 01 02 05 16 02 12 0007 09 06 0000620100FF 0F 02 0F 00"));
}

TEST_F(ScriptTableTest, ExecutingTheBillingScriptResetsTheBillingPeriod) {
  ASSERT_TRUE(meter().state().billing_profile.empty());
  EXPECT_EQ(billing_->action(1, Data::unsigned16(1)).result, ActionResult::success);
  EXPECT_EQ(meter().state().billing_count, 1U);
  EXPECT_EQ(meter().state().billing_profile.size(), 1U);
  EXPECT_EQ(test::standard_event_codes(meter()), (std::vector<std::int64_t>{200}));
  EXPECT_EQ(billing_->action(1, Data::unsigned16(1)).result, ActionResult::success);
  EXPECT_EQ(meter().state().billing_profile.size(), 2U);
}

TEST_F(ScriptTableTest, NullScriptAndUnknownScripts) {
  // Script 0 is the null script: nothing happens, successfully.
  EXPECT_EQ(billing_->action(1, Data::unsigned16(0)).result, ActionResult::success);
  EXPECT_EQ(billing_->action(1, Data::unsigned16(2)).result, ActionResult::other_reason);
  EXPECT_EQ(billing_->action(1, Data::unsigned8(1)).result, ActionResult::type_unmatched);
  EXPECT_EQ(billing_->action(1, std::nullopt).result, ActionResult::type_unmatched);
  EXPECT_EQ(billing_->action(2, Data::unsigned16(1)).result, ActionResult::object_undefined);
  EXPECT_EQ(meter().state().billing_count, 0U);
  EXPECT_TRUE(test::standard_event_codes(meter()).empty());
}

TEST_F(ScriptTableTest, TariffScriptsAreTheCalendarsToRun) {
  // The meter core has no forced tariff: the calendar's tariff stays, the client is told so.
  const MeterState before = meter().state();
  for (std::uint16_t t = 1; t <= 8; ++t)
    EXPECT_EQ(tariffs_->action(1, Data::unsigned16(t)).result, ActionResult::other_reason) << t;
  EXPECT_EQ(tariffs_->action(1, Data::unsigned16(9)).result, ActionResult::other_reason);
  EXPECT_EQ(tariffs_->action(1, Data::unsigned16(0)).result, ActionResult::success);
  EXPECT_EQ(meter().state(), before);
  EXPECT_EQ(meter().state().active_tariff, 1);
}

TEST_F(ScriptTableTest, ScriptsAreReadOnly) {
  const Data scripts = test::value_of(*billing_, 2);
  EXPECT_EQ(billing_->set(2, scripts), DataAccessResult::read_write_denied);
  EXPECT_EQ(billing_->set(3, scripts), DataAccessResult::object_undefined);
  EXPECT_EQ(test::error_of(billing_->get(3, std::nullopt)), DataAccessResult::object_undefined);
}

}  // namespace
}  // namespace gridmeter::cosem
