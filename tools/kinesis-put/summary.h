// The final summary of a kinesis-put run, as text for people and as JSON for programs
// (--summary-json). docs/kinesis-put.md lists the JSON fields.
//
// Thread safety: call once the producer is closed (no more updates to `stats`).
#ifndef KINESIS_PUT_SUMMARY_H_
#define KINESIS_PUT_SUMMARY_H_

#include <string>
#include <vector>

#include "run_stats.h"

namespace kinesis::put {

// `flows`: each flow's counts; the text shows them when there are several, the JSON always
// (as "flows").
std::string SummaryText(RunStats& stats, double seconds, const std::vector<FlowCounts>& flows = {});
std::string SummaryJson(RunStats& stats, double seconds, int exit_status,
                        const std::vector<FlowCounts>& flows = {});

}  // namespace kinesis::put

#endif  // KINESIS_PUT_SUMMARY_H_
