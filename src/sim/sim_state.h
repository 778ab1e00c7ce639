// SimState: everything kinesis-sim knows (streams, faults, counters), under one lock.
//
// Thread safety: `mu` guards every field below it; options are fixed after construction.
#ifndef KINESIS_SIM_SIM_STATE_H_
#define KINESIS_SIM_SIM_STATE_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/status.h"

#include "sim/api_error.h"
#include "sim/fault_plan.h"
#include "sim/sim_types.h"
#include "sim/stream_registry.h"

namespace kinesis::sim {

// What an action answers: a 200 body, or an error (status, type) with its body.
struct ActionOutput {
  int status = 200;
  std::string body;
  std::string error_type;  // empty on success
};
ActionOutput ErrorOutput(const ApiError& error);

struct SimState {
  explicit SimState(SimOptions opts);

  int64_t NowUs() const { return options.clock_us(); }
  static int64_t WallMs();

  // Copies of the counters (with per-shard ones) and of a stream's stored records in sequence
  // order (empty when the stream does not exist). Take mu.
  SimCounters Counters();
  std::vector<StoredRecord> Records(std::string_view stream);
  // Applies a fault spec (see fault_plan.h) on top of the current faults, or of none when
  // `replace`; restarts the PRNG and the "after N requests" and "at T ms" clocks. Takes mu.
  Status ApplyFaults(std::string_view spec, bool replace);
  void SetFaults(const FaultConfig& config);

  const SimOptions options;
  std::mutex mu;
  StreamRegistry registry;  // guarded by mu
  FaultPlan faults;         // guarded by mu
  SimCounters counters;     // guarded by mu
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_SIM_STATE_H_
