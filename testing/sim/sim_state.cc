#include "sim/sim_state.h"

#include <algorithm>
#include <chrono>

namespace kinesis::sim {
namespace {

SimOptions WithClock(SimOptions opts) {
  if (!opts.clock_us) {
    opts.clock_us = [] {
      return std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  return opts;
}

}  // namespace

ActionOutput ErrorOutput(const ApiError& error) {
  ActionOutput out;
  out.status = error.http_status;
  out.error_type = error.type;
  out.error_message = error.message;
  return out;
}

ActionOutput SuccessOutput(std::string body, WireFormat format) {
  ActionOutput out;
  out.body = std::move(body);
  out.format = format;
  return out;
}

SimState::SimState(SimOptions opts) : options(WithClock(std::move(opts))), registry(options) {
  faults.Set(options.faults, NowUs());
}

SimCounters SimState::Counters() {
  std::lock_guard<std::mutex> lock(mu);
  SimCounters out = counters;
  for (const auto& [name, stream] : registry.streams()) {
    for (const Shard& shard : stream.shards) out.shards[name + "/" + shard.id] = shard.counters;
  }
  return out;
}

std::vector<StoredRecord> SimState::Records(std::string_view stream) {
  std::lock_guard<std::mutex> lock(mu);
  std::vector<StoredRecord> out;
  const Stream* s = registry.Find(stream);
  if (!s) return out;
  for (const Shard& shard : s->shards)
    out.insert(out.end(), shard.records.begin(), shard.records.end());
  // The stream-wide counter leads the sequence number: this is arrival order.
  std::sort(out.begin(), out.end(), [](const StoredRecord& a, const StoredRecord& b) {
    return a.sequence_number < b.sequence_number;
  });
  return out;
}

Status SimState::ApplyFaults(std::string_view spec, bool replace) {
  std::lock_guard<std::mutex> lock(mu);
  FaultConfig config = replace ? FaultConfig() : faults.config();
  KINESIS_RETURN_IF_ERROR(ApplyFaultSpec(spec, &config));
  faults.Set(config, NowUs());
  faults.set_requests_at_set(counters.requests);
  return Status::Ok();
}

void SimState::SetFaults(const FaultConfig& config) {
  std::lock_guard<std::mutex> lock(mu);
  faults.Set(config, NowUs());
  faults.set_requests_at_set(counters.requests);
}

int64_t SimState::WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace kinesis::sim
