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

// How a request body, and so its answer, is written: by the request's Content-Type.
enum class WireFormat {
  kJson,  // application/x-amz-json-1.1 (record data in base64)
  kCbor,  // application/x-amz-cbor-1.1 (record data as raw bytes)
};

// What an action answers: a 200 body in `format`, or an error (status, type, message) whose
// body the router writes in the request's format.
struct ActionOutput {
  int status = 200;
  std::string body;        // empty for an error
  std::string error_type;  // empty on success
  std::string error_message;
  WireFormat format = WireFormat::kJson;
  // PutRecords and PutRecord: records written, and records failed or throttled (not written).
  uint64_t records_written = 0;
  uint64_t records_not_written = 0;
};
ActionOutput ErrorOutput(const ApiError& error);
ActionOutput SuccessOutput(std::string body, WireFormat format = WireFormat::kJson);

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
