// Shared set-up for kinesis-sim tests: a simulator on a free port with a manual clock.
#ifndef KINESIS_TESTS_SIM_SIM_TEST_UTIL_H_
#define KINESIS_TESTS_SIM_SIM_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <memory>
#include <string>

#include "raw_client.h"
#include "sim/kinesis_sim.h"

namespace kinesis::sim::testing {

class SimTest : public ::testing::Test {
 protected:
  // Starts the simulator; `edit` may change the options first.
  void StartSim(const std::function<void(SimOptions&)>& edit = nullptr) {
    SimOptions options;
    options.clock_us = [this] { return now_us_.load(); };
    if (edit) edit(options);
    auto sim = KinesisSim::Start(options);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(*sim);
    client_ = std::make_unique<RawClient>(sim_->port());
  }
  void SetUp() override { StartSim(); }

  RawResponse Call(std::string_view action, std::string_view body) {
    return client_->Call(action, body);
  }
  // The parsed body; fails the test when it is not JSON.
  simdjson::dom::element Json(const RawResponse& r) {
    auto result = parser_.parse(r.body);
    EXPECT_FALSE(result.error()) << r.body;
    return result.value_unsafe();
  }
  void CreateStream(const std::string& name, int shards) {
    RawResponse r = Call("CreateStream", "{\"StreamName\":\"" + name +
                                             "\",\"ShardCount\":" + std::to_string(shards) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::atomic<int64_t> now_us_{1'000'000'000};
  std::unique_ptr<KinesisSim> sim_;
  std::unique_ptr<RawClient> client_;
  simdjson::dom::parser parser_;
};

}  // namespace kinesis::sim::testing

#endif  // KINESIS_TESTS_SIM_SIM_TEST_UTIL_H_
