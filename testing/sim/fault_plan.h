// FaultPlan: decides, request by request and record by record, which faults to inject.
//
// Faults come from a FaultConfig, built in C++ or parsed from a spec, the same text the command
// line (`--fault`) and the control API (`POST /_sim/faults`) take:
//   "seed=7,record_throttle_rate=0.1,throttle_shards=shardId-000000000001|shardId-000000000002"
// Keys are FaultConfig's field names; lists are separated by '|'. Later keys override.
//
// Thread safety: none; the simulator calls it under its state lock, so decisions follow the
// order requests are processed in (deterministic for one client on one connection).
#ifndef KINESIS_SIM_FAULT_PLAN_H_
#define KINESIS_SIM_FAULT_PLAN_H_

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "kinesis/status.h"
#include "sim/sim_types.h"

namespace kinesis::sim {

// Applies "key=value,..." to `config`. The error names the bad key or value.
Status ApplyFaultSpec(std::string_view spec, FaultConfig* config);
// Applies one key and value.
Status ApplyFault(std::string_view key, std::string_view value, FaultConfig* config);

// What to do with one Kinesis API request, decided before it is processed.
struct RequestFaults {
  bool reset_before = false;
  int error_status = 0;  // 0: none
  std::string error_type;
  bool reset_after = false;
  bool stall = false;
  int64_t stall_ms = 0;  // 0 with stall: forever
  int64_t delay_ms = 0;
};

class FaultPlan {
 public:
  void Set(const FaultConfig& config, int64_t now_us);
  const FaultConfig& config() const { return config_; }
  // Requests counted when the plan was set, so "after N requests" counts from then.
  void set_requests_at_set(uint64_t n) { requests_at_set_ = n; }

  RequestFaults NextRequest();
  // Per record; `shard_id` is where the record routes.
  bool FailRecord(std::string_view shard_id);
  bool ThrottleRecord(std::string_view stream, std::string_view shard_id);
  // Timed events: true once when the trigger is reached (then disarmed).
  bool ReshardDue(uint64_t requests, int64_t now_us);
  bool VanishDue(uint64_t requests, int64_t now_us);

 private:
  bool Draw(double rate);

  FaultConfig config_;
  std::mt19937_64 rng_{1};
  int64_t set_us_ = 0;
  uint64_t requests_at_set_ = 0;
  bool reshard_done_ = false;
  bool vanish_done_ = false;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_FAULT_PLAN_H_
