// The command line of kinesis-put: flags, their defaults, and --help.
//
// Producer settings come from, lowest first: the defaults, the AWS environment (AWS_REGION,
// AWS_ENDPOINT_URL_KINESIS, credentials: read by the HTTP backend), --config FILE (KPL
// .properties), then the flags, which win.
//
// Thread safety: free functions, no shared state.
#ifndef KINESIS_PUT_OPTIONS_H_
#define KINESIS_PUT_OPTIONS_H_

#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "data_processing.h"
#include "framer.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"
#include "multiline.h"
#include "record_builder.h"

namespace kinesis::put {

enum class ProgressMode { kAuto, kAlways, kNever };

// One flow: files followed into one stream, with how their bytes become records.
struct FlowOptions {
  std::string name;                 // in messages; empty: the stream
  std::string stream;               // a name, or an ARN (--stream-arn)
  std::vector<std::string> inputs;  // files ("-": stdin); globs with --follow; none: stdin
  InputFormat format = InputFormat::kLines;
  KeyOptions keys;
  std::string checkpoint;
  // Multi-line records (multiline.h): null, one record per line.
  std::shared_ptr<const std::regex> multiline_start;
  std::chrono::milliseconds multiline_flush{1000};
  uint64_t skip_header_lines = 0;  // per file
  bool start_at_end = false;       // --initial-position end
  bool truncate = false;           // --truncated-record-terminator given
  std::string truncated_record_terminator;
  // The Kinesis Agent's records (--agent-config): each keeps its line's '\n' and goes
  // through these conversions (data_processing.h).
  bool newline_terminated = false;
  std::vector<ProcessingStep> processing;
};

struct PutOptions {
  std::vector<FlowOptions> flows;  // the command line's one flow, or the agent.json's flows
  // The sent journal is PATH.sent (sent_journal.h); empty: none (no checkpoint).
  std::string journal_base;
  bool follow = false;
  std::chrono::milliseconds poll{250};
  std::chrono::milliseconds rotation_grace{5000};
  std::string summary_json;
  std::string failed_out;
  bool strict = false;
  ProgressMode progress = ProgressMode::kAuto;
  bool quiet = false;
  std::chrono::milliseconds drain_timeout{60000};
  // --count-by-field F: each record put is counted through the producer's application metrics
  // as `count_metric` with the dimension F = the line's value of F (jsonl).
  std::string count_metric = "Records";
  ProducerConfig config;
  std::string agent_config;        // --agent-config FILE
  std::vector<std::string> notes;  // said at the start (agent.json keys without effect)
  bool help = false;
  bool version = false;
  // Set after a SIGHUP reload (not a flag): --failed-out is added to, not started anew.
  bool resumed = false;
};

// Parses argv (without applying anything to the environment). Errors name the flag.
Result<PutOptions> ParseOptions(const std::vector<std::string>& args);

std::string HelpText();

// "\n", "\t", "\r" and "\\" in a command-line value become the characters they name.
std::string Unescape(std::string_view value);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_OPTIONS_H_
