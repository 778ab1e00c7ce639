// The control-plane actions of kinesis-sim: CreateStream, DeleteStream, ListStreams,
// DescribeStreamSummary, DescribeStream, ListShards, SplitShard, MergeShards, UpdateShardCount.
//
// Thread safety: each takes state.mu itself; call from any worker thread.
#ifndef KINESIS_SIM_STREAM_ACTIONS_H_
#define KINESIS_SIM_STREAM_ACTIONS_H_

#include <string>

#include "sim/request_args.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

ActionOutput CreateStream(SimState& state, const RequestArgs& args);
ActionOutput DeleteStream(SimState& state, const RequestArgs& args);
ActionOutput ListStreams(SimState& state, const RequestArgs& args);
ActionOutput DescribeStreamSummary(SimState& state, const RequestArgs& args);
ActionOutput DescribeStream(SimState& state, const RequestArgs& args);
ActionOutput ListShards(SimState& state, const RequestArgs& args);
ActionOutput SplitShard(SimState& state, const RequestArgs& args);
ActionOutput MergeShards(SimState& state, const RequestArgs& args);
ActionOutput UpdateShardCount(SimState& state, const RequestArgs& args);

// The stream an action names, by StreamName or StreamARN.
MaybeError StreamNameArg(const RequestArgs& args, std::string* name);
// The stream name at the end of "arn:...:stream/NAME"; InvalidArgumentException otherwise.
MaybeError StreamNameFromArn(std::string_view arn, std::string* name);
// Appends a "%.3f" epoch-seconds timestamp field, as the service writes them.
void AppendTimestamp(std::string* out, std::string_view key, int64_t wall_ms);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_STREAM_ACTIONS_H_
