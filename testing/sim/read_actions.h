// GetShardIterator and GetRecords over the stored records (storage on only).
//
// Thread safety: each takes state.mu itself.
#ifndef KINESIS_SIM_READ_ACTIONS_H_
#define KINESIS_SIM_READ_ACTIONS_H_

#include "sim/request_args.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

ActionOutput GetShardIterator(SimState& state, const RequestArgs& args);
ActionOutput GetRecords(SimState& state, const RequestArgs& args);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_READ_ACTIONS_H_
