// DataProcessor: the Kinesis Agent's dataProcessingOptions, applied in order to each record
// of a flow before it is sent. Records come in as the Agent reads them: the line (or the lines
// of a multi-line record) with the trailing '\n'; each conversion keeps a trailing '\n' as the
// Agent's do.
//
//   SINGLELINE   removes the newlines inside a record: each line is trimmed (unless
//                parseOptions has NO_TRIM) and the lines are joined ("\\n" between them with
//                ESCAPE_NEW_LINE, the Agent's two characters '\\' '\\' then 'n').
//   CSVTOJSON    splits the record on `delimiter` (a regular expression, default ","; "\\t"
//                for tabs) into {"name": "value", ...} with `customFieldNames`; missing
//                columns are null.
//   LOGTOJSON    parses COMMONAPACHELOG, COMBINEDAPACHELOG, APACHEERRORLOG, SYSLOG or
//                RFC3339SYSLOG (the Agent's patterns and field names), or `matchPattern`
//                with `customFieldNames`, into a JSON object; a record that does not match is
//                dropped (counted as skipped). Apache fields written "-" are null.
//   ADDMETADATA  {"ts": "<UTC time, ms>" (with "timestamp": "true"), "metadata": <as given>,
//                "data": "<the record>"}.
//   ADDBRACKETS  "{" + the record + "}".
// JSON is written compact (jsonFormat COMPACT). ADDEC2METADATA and USINGPLUGGIN are refused
// (the first would read instance metadata, the second runs Java code).
//
// Thread safety: Process on one thread at a time (the flow's reading thread).
#ifndef KINESIS_PUT_DATA_PROCESSING_H_
#define KINESIS_PUT_DATA_PROCESSING_H_

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::put {

struct ProcessingStep {
  enum class Kind { kSingleLine, kCsvToJson, kLogToJson, kAddMetadata, kAddBrackets };
  Kind kind = Kind::kSingleLine;
  bool no_trim = false;                                 // SINGLELINE
  bool escape_newline = false;                          // SINGLELINE
  std::optional<std::vector<std::string>> field_names;  // CSVTOJSON (required), LOGTOJSON
  std::string delimiter = ",";                          // CSVTOJSON
  std::string log_format;                               // LOGTOJSON
  std::optional<std::string> match_pattern;             // LOGTOJSON
  std::string metadata_json = "null";                   // ADDMETADATA, as written
  bool timestamp = false;                               // ADDMETADATA
};

class DataProcessor {
 public:
  // Checks the steps (patterns compile, field counts fit the log format); errors name the
  // option and the value.
  static Result<std::unique_ptr<DataProcessor>> Create(std::vector<ProcessingStep> steps);
  ~DataProcessor();

  // Converts `data` into `*out`; false when a step drops the record (LOGTOJSON: no match).
  bool Process(std::string_view data, std::string* out);

 private:
  struct Step;
  explicit DataProcessor(std::vector<Step> steps);

  std::vector<Step> steps_;
  std::string scratch_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_DATA_PROCESSING_H_
