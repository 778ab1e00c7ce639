// The final summary of a kinesis-put run, as text for people and as JSON for programs
// (--summary-json). docs/kinesis-put.md lists the JSON fields.
//
// Thread safety: call once the producer is closed (no more updates to `stats`).
#ifndef KINESIS_PUT_SUMMARY_H_
#define KINESIS_PUT_SUMMARY_H_

#include <string>

#include "run_stats.h"

namespace kinesis::put {

std::string SummaryText(RunStats& stats, double seconds);
std::string SummaryJson(RunStats& stats, double seconds, int exit_status);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_SUMMARY_H_
