// The control API of kinesis-sim, under the reserved path /_sim/ (no authorization):
//   GET  /_sim/counters             counters as JSON (see CountersJson)
//   POST /_sim/faults               body: a fault spec "k=v,..." or a JSON object {"k": v};
//                                   merged into the current faults ("clear": true first clears)
//   POST /_sim/faults/clear         no faults
//   GET  /_sim/records?stream=NAME  stored records: {"Records":[{"ShardId","SequenceNumber",
//                                   "PartitionKey","ExplicitHashKey","Data"(base64),"ArrivalMs"}]}
//
// Thread safety: HandleControl takes state.mu itself.
#ifndef KINESIS_SIM_CONTROL_API_H_
#define KINESIS_SIM_CONTROL_API_H_

#include <string>

#include "sim/http_server.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

void HandleControl(SimState& state, const HttpRequest& request, HttpResponse* response);

// {"requests":N,"put_requests":N,"records_accepted":N,"records_throttled":N,"records_failed":N,
//  "bytes_accepted":N,"resets":N,"stalls":N,"answer_lost_records_written":N,
//  "answer_lost_records_not_written":N,"errors":{"Code":N},"shards":{"stream/shardId-..":
//  {"records_accepted":N,"records_throttled":N,"records_failed":N,"bytes_accepted":N}}}
std::string CountersJson(const SimCounters& counters);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_CONTROL_API_H_
