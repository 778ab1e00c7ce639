#include "data_processing.h"

#include <chrono>
#include <ctime>

#include "json_quote.h"
#include "multiline.h"

namespace kinesis::put {

namespace {

// The Kinesis Agent's log patterns (its PatternConstants), in ECMAScript syntax.
const std::string kInt = "(?:[+-]?(?:[0-9]+))";
const std::string kPosInt = "(?:[1-9][0-9]*)";
const std::string kNonNegInt = "(?:[0-9]+)";
const std::string kAnyData = ".*";
const std::string kWord = "\\w+";
const std::string kNoQuote = "[^\"]+";
const std::string kIp = "(?:[\\d\\.]+)";
const std::string kHostname = "(?:[\\w\\-]+)(?:\\.(?:[\\w\\-]+))*(?:\\.?|\\b)";
const std::string kIpOrHost = "(?:" + kHostname + "|" + kIp + ")";
const std::string kUriHost = "(?:" + kIpOrHost + "(?::" + kPosInt + ")?)";
const std::string kUser = "(?:[a-zA-Z0-9._-]+)";
const std::string kMonthDay = "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])";
const std::string kDay =
    "(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|"
    "Sun(?:day)?)";
const std::string kMonth =
    "\\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
    "Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b";
const std::string kYear = "(?:[1-9]\\d*)";
const std::string kHour = "(?:2[0123]|[01]?[0-9])";
const std::string kMinute = "(?:[0-5][0-9])";
const std::string kSecond = "(?:(?:[0-5]?[0-9]|60)(?:[:\\.,][0-9]+)?)";
const std::string kTime = "(?:" + kHour + ":" + kMinute + ":" + kSecond + ")";
const std::string kHttpDate =
    "(?:" + kMonthDay + "/" + kMonth + "/" + kYear + ":" + kTime + "\\s" + kInt + ")";
const std::string kErrorLogTime =
    "(?:" + kDay + "\\s+" + kMonth + "\\s+" + kMonthDay + "\\s+" + kTime + "\\s+" + kYear + ")";
const std::string kSyslogTime = "(?:" + kMonth + "\\s+" + kMonthDay + "\\s+" + kTime + ")";
const std::string kRfc3339 =
    "(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?:Z|(?:[-+]\\d{2}:\\d{2}))";
const std::string kSyslogFacility = "<" + kNonNegInt + "." + kNonNegInt + ">";
const std::string kSyslogProg = "([\\w\\._/%-]+)(?:\\[(" + kPosInt + ")\\])?";
const std::string kCommonApache = "^(" + kIpOrHost + ") (" + kUser + ") (" + kUser + ") \\[(" +
                                  kHttpDate + ")\\] \"(" + kNoQuote + ")\" (" + kInt + "|\\-) (" +
                                  kInt + "|\\-)";
const std::string kCombinedApache =
    kCommonApache + " \"(" + kNoQuote + ")\" \"(" + kNoQuote + ")\"";
const std::string kApacheError = "^\\[(" + kErrorLogTime + ")\\] \\[(?:(" + kWord + "):)?(" +
                                 kWord + ")\\] \\[pid (" + kNonNegInt + ")(?::tid (" + kNonNegInt +
                                 "))?\\] \\[client (" + kUriHost + ")\\] (" + kAnyData + ")";
std::string SyslogBase(const std::string& time) {
  return "^(" + time + ") (?:" + kSyslogFacility + " )?(" + kUser + ") " + kSyslogProg + ": (" +
         kAnyData + ")";
}

struct LogFormat {
  std::string_view name;
  std::string pattern;
  std::vector<std::string> fields;
  bool dash_is_null;  // Apache writes "-" for a field it does not have
};

const std::vector<LogFormat>& LogFormats() {
  static const std::vector<LogFormat> formats = {
      {"COMMONAPACHELOG",
       kCommonApache + ".*",
       {"host", "ident", "authuser", "datetime", "request", "response", "bytes"},
       true},
      {"COMBINEDAPACHELOG",
       kCombinedApache + ".*",
       {"host", "ident", "authuser", "datetime", "request", "response", "bytes", "referer",
        "agent"},
       true},
      {"APACHEERRORLOG",
       kApacheError,
       {"timestamp", "module", "severity", "processid", "threadid", "client", "message"},
       true},
      {"SYSLOG",
       SyslogBase(kSyslogTime),
       {"timestamp", "hostname", "program", "processid", "message"},
       false},
      {"RFC3339SYSLOG",
       SyslogBase(kRfc3339),
       {"timestamp", "hostname", "program", "processid", "message"},
       false},
  };
  return formats;
}

std::string_view WithoutNewline(std::string_view data) {
  if (!data.empty() && data.back() == '\n') data.remove_suffix(1);
  return data;
}

// Java's String.trim: characters up to ' ' at both ends.
std::string_view Trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

// Java's String.split(regex): trailing empty strings are dropped.
std::vector<std::string_view> Split(std::string_view s, const std::regex& re) {
  std::vector<std::string_view> parts;
  size_t at = 0;
  for (auto it = std::cregex_iterator(s.data(), s.data() + s.size(), re);
       it != std::cregex_iterator(); ++it) {
    size_t pos = static_cast<size_t>(it->position(0));
    if (it->length(0) == 0) continue;
    parts.push_back(s.substr(at, pos - at));
    at = pos + static_cast<size_t>(it->length(0));
  }
  parts.push_back(s.substr(at));
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() == 1 && parts[0].empty() && !s.empty()) parts.clear();
  return parts;
}

std::string UtcNowMillis() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  size_t n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof(text) - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

}  // namespace

struct DataProcessor::Step {
  ProcessingStep options;
  std::shared_ptr<const std::regex> pattern;  // CSVTOJSON: the delimiter; LOGTOJSON: the entry
  std::vector<std::string> fields;            // LOGTOJSON
  bool dash_is_null = false;                  // LOGTOJSON

  // Converts `in` into `out`; false drops the record.
  bool Run(std::string_view in, std::string* out) const;
};

bool DataProcessor::Step::Run(std::string_view in, std::string* out) const {
  out->clear();
  switch (options.kind) {
    case ProcessingStep::Kind::kSingleLine: {
      std::string_view rest = in;
      bool first = true;
      // Java's split("\n") drops trailing empty lines.
      while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
      while (true) {
        size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (!first) out->append(options.escape_newline ? "\\\\n" : "");
        out->append(options.no_trim ? line : Trim(line));
        first = false;
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      *out += '\n';
      return true;
    }
    case ProcessingStep::Kind::kCsvToJson: {
      std::vector<std::string_view> columns = Split(WithoutNewline(in), *pattern);
      *out += '{';
      for (size_t i = 0; i < options.field_names->size(); ++i) {
        if (i > 0) *out += ',';
        *out += JsonQuote((*options.field_names)[i]) + ':';
        *out += i < columns.size() ? JsonQuote(columns[i]) : "null";
      }
      *out += "}\n";
      return true;
    }
    case ProcessingStep::Kind::kLogToJson: {
      std::string_view line = WithoutNewline(in);
      std::cmatch m;
      if (!std::regex_match(line.data(), line.data() + line.size(), m, *pattern)) return false;
      if (m.size() - 1 != fields.size()) return false;
      *out += '{';
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) *out += ',';
        *out += JsonQuote(fields[i]) + ':';
        const auto& group = m[static_cast<int>(i) + 1];
        bool null = !group.matched || (dash_is_null && group.length() == 1 && *group.first == '-');
        *out +=
            null ? std::string("null") : JsonQuote(std::string_view(group.first, group.length()));
      }
      *out += "}\n";
      return true;
    }
    case ProcessingStep::Kind::kAddMetadata:
      *out += '{';
      if (options.timestamp) *out += "\"ts\":" + JsonQuote(UtcNowMillis()) + ',';
      *out += "\"metadata\":" + options.metadata_json +
              ",\"data\":" + JsonQuote(WithoutNewline(in)) + "}\n";
      return true;
    case ProcessingStep::Kind::kAddBrackets:
      *out += '{';
      out->append(in);
      *out += '}';
      return true;
  }
  return false;
}

Result<std::unique_ptr<DataProcessor>> DataProcessor::Create(std::vector<ProcessingStep> steps) {
  std::vector<Step> built;
  for (ProcessingStep& options : steps) {
    Step step;
    if (options.kind == ProcessingStep::Kind::kCsvToJson) {
      if (!options.field_names) {
        return Status::InvalidArgument("dataProcessingOptions CSVTOJSON needs customFieldNames");
      }
      auto re = CompilePattern("CSVTOJSON delimiter", options.delimiter);
      if (!re.ok()) return re.status();
      step.pattern = std::move(re).value();
    }
    if (options.kind == ProcessingStep::Kind::kLogToJson) {
      const LogFormat* format = nullptr;
      std::string names;
      for (const LogFormat& f : LogFormats()) {
        if (f.name == options.log_format) format = &f;
        names += (names.empty() ? "" : ", ") + std::string(f.name);
      }
      if (format == nullptr) {
        return Status::InvalidArgument("dataProcessingOptions LOGTOJSON logFormat '" +
                                       options.log_format + "' is not one of " + names);
      }
      step.dash_is_null = format->dash_is_null;
      if (options.match_pattern) {
        if (!options.field_names) {
          return Status::InvalidArgument(
              "dataProcessingOptions LOGTOJSON matchPattern needs customFieldNames");
        }
        auto re = CompilePattern("LOGTOJSON matchPattern", *options.match_pattern);
        if (!re.ok()) return re.status();
        step.pattern = std::move(re).value();
        step.fields = *options.field_names;
      } else {
        step.pattern = CompilePattern(format->name, format->pattern).value();
        step.fields = format->fields;
        if (options.field_names) {
          if (options.field_names->size() != format->fields.size()) {
            return Status::InvalidArgument("dataProcessingOptions LOGTOJSON customFieldNames has " +
                                           std::to_string(options.field_names->size()) +
                                           " names; " + options.log_format + " has " +
                                           std::to_string(format->fields.size()) +
                                           " fields (or give a matchPattern)");
          }
          step.fields = *options.field_names;
        }
      }
    }
    step.options = std::move(options);
    built.push_back(std::move(step));
  }
  return std::unique_ptr<DataProcessor>(new DataProcessor(std::move(built)));
}

DataProcessor::DataProcessor(std::vector<Step> steps) : steps_(std::move(steps)) {}
DataProcessor::~DataProcessor() = default;

bool DataProcessor::Process(std::string_view data, std::string* out) {
  std::string_view in = data;
  for (size_t i = 0; i < steps_.size(); ++i) {
    // Alternate between the two buffers: each step reads what the one before wrote.
    std::string* target = i % 2 == steps_.size() % 2 ? &scratch_ : out;
    if (!steps_[i].Run(in, target)) return false;
    in = *target;
  }
  if (steps_.empty()) out->assign(data);
  return true;
}

}  // namespace kinesis::put
