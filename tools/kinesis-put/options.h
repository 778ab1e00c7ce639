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
#include <string>
#include <vector>

#include "framer.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"
#include "record_builder.h"

namespace kinesis::put {

enum class ProgressMode { kAuto, kAlways, kNever };

struct PutOptions {
  std::string stream;               // a name, or an ARN (--stream-arn)
  std::vector<std::string> inputs;  // files ("-": stdin); globs with --follow; none: stdin
  InputFormat format = InputFormat::kLines;
  KeyOptions keys;
  bool follow = false;
  std::string checkpoint;
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
  bool help = false;
  bool version = false;
};

// Parses argv (without applying anything to the environment). Errors name the flag.
Result<PutOptions> ParseOptions(const std::vector<std::string>& args);

std::string HelpText();

}  // namespace kinesis::put

#endif  // KINESIS_PUT_OPTIONS_H_
