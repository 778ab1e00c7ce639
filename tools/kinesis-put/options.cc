#include "options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include "agent_config.h"

namespace kinesis::put {

namespace {

constexpr uint64_t kDefaultBufferRecords = 20000;

// Flags that take a value; every other flag is a switch.
constexpr std::string_view kValued[] = {
    "--stream",
    "--stream-arn",
    "--region",
    "--endpoint",
    "--config",
    "--aggregation",
    "--buffering-ms",
    "--rate-limit",
    "--protocol",
    "--record-ttl-ms",
    "--set",
    "--format",
    "--partition-key",
    "--partition-key-field",
    "--explicit-hash-key-field",
    "--count-by-field",
    "--count-metric",
    "--checkpoint",
    "--poll-ms",
    "--rotation-grace-ms",
    "--summary-json",
    "--failed-out",
    "--progress",
    "--drain-timeout-ms",
    "--max-record-size",
    "--role-arn",
    "--role-external-id",
    "--multiline-start",
    "--multiline-flush-ms",
    "--initial-position",
    "--skip-header-lines",
    "--truncated-record-terminator",
    "--agent-config",
};

bool Valued(std::string_view flag) {
  for (std::string_view v : kValued) {
    if (v == flag) return true;
  }
  return false;
}

Result<uint64_t> Number(std::string_view flag, std::string_view value) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) {
    return Status::InvalidArgument(std::string(flag) + " takes a whole number, not '" +
                                   std::string(value) + "'");
  }
  return n;
}

// The index of `value` among `choices` (in the order of the enum it selects), or an error that
// lists them.
Result<int> Choice(std::string_view flag, std::string_view value,
                   std::initializer_list<std::string_view> choices) {
  int index = 0;
  std::string all;
  for (std::string_view c : choices) {
    if (c == value) return index;
    all += (index++ == 0 ? "" : ", ") + std::string(c);
  }
  return Status::InvalidArgument(std::string(flag) + " takes one of " + all + ", not '" +
                                 std::string(value) + "'");
}

// A secret on the command line shows in `ps`, /proc/PID/cmdline and shell history. Besides the
// library's secret properties, any name that looks like one (AwsSessionToken, any case) is
// refused here rather than reported as an unknown setting with its value already exposed.
bool LooksSecret(std::string_view key) {
  if (IsSecretSetting(key)) return true;
  std::string lower(key);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"secret", "password", "token"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

Status SecretRefused(std::string_view key) {
  return Status::InvalidArgument(
      "--set " + std::string(key) +
      ": secrets are not taken on the command line (ps shows them); put credentials in the "
      "environment (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or a profile (AWS_PROFILE, "
      "~/.aws/credentials), and other secrets in a properties file readable only by you "
      "(chmod 600) given with --config");
}

// The checks of one flow of the command line, once every flag is read. `where` prefixes the
// messages ("flow 2: ") when there are several.
Status CheckFlow(FlowOptions& flow, bool key_field, bool fixed_key, bool follow,
                 const std::string& where) {
  auto error = [&](const std::string& m) { return Status::InvalidArgument(where + m); };
  if (flow.stream.empty()) return error("--stream NAME (or --stream-arn) is required");
  if (key_field && fixed_key) return error("give one of --partition-key, --partition-key-field");
  if ((key_field || !flow.keys.hash_key_field.empty() || !flow.keys.count_field.empty()) &&
      flow.format != InputFormat::kJsonLines) {
    return error(
        "--partition-key-field, --explicit-hash-key-field and --count-by-field need --format "
        "jsonl");
  }
  if (flow.format != InputFormat::kLines &&
      (flow.multiline_start != nullptr || flow.truncate || flow.skip_header_lines > 0)) {
    return error(
        "--multiline-start, --skip-header-lines and --truncated-record-terminator need "
        "--format lines");
  }
  if (flow.start_at_end && !follow) return error("--initial-position needs --follow");
  if (flow.inputs.empty() && !follow) flow.inputs.push_back("-");
  bool has_stdin = false;
  for (const std::string& in : flow.inputs) has_stdin |= in == "-";
  if (follow && (flow.inputs.empty() || has_stdin)) {
    return error("--follow needs files (or globs), not standard input");
  }
  if (!flow.checkpoint.empty() && has_stdin) {
    return error("--checkpoint needs files, not standard input");
  }
  return Status::Ok();
}

}  // namespace

std::string Unescape(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      char next = value[i + 1];
      char named = next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next;
      if (named != next || next == '\\') {
        out += named;
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::string HelpText() {
  return R"(kinesis-put: put records into an Amazon Kinesis data stream.

usage: kinesis-put --stream NAME [options] [FILE...]
       kinesis-put --stream NAME --follow --checkpoint STATE 'LOGS/*.log'
       kinesis-put --agent-config /etc/aws-kinesis/agent.json [options]

Reads records from the files (or standard input when there are none, or for "-"), one per
line by default, and puts them with the producer library: aggregated, batched, rate-limited,
retried. Exit status: 0 when every record succeeded, 1 when any record failed, any input
was bad or lines were lost to a truncation, 2 for a bad command line or configuration, 3 when
it could not start.

Stream and service:
  --stream NAME             the stream to write to
  --stream-arn ARN          the stream, by ARN (instead of --stream)
  --region REGION           else AWS_REGION, AWS_DEFAULT_REGION, or the profile's region
  --endpoint URL            e.g. http://127.0.0.1:4567; else AWS_ENDPOINT_URL_KINESIS
  --config FILE             a KPL .properties file (same keys as the KPL's); flags win over it
  --set KEY=VALUE           any KPL property, e.g. --set RecordTtl=60000 (repeatable)
  --aggregation on|off      KPL aggregation of records into one Kinesis record (default on)
  --buffering-ms N          the longest a record waits to be batched (default 100)
  --rate-limit PERCENT      per-shard send rate, % of the shard's limits (default 150)
  --protocol auto|cbor|json wire protocol (default auto: cbor to AWS, json elsewhere)
  --record-ttl-ms N         give up on a record after N ms (default 30000; with --follow,
                            retried for a day unless set)
  --max-record-size BYTES   largest data + partition key (default 1048576)
  BufferMaxRecords defaults to 20000 here (the library's is 1000000), so reading waits for
  the shards instead of buffering records past their RecordTtl.
  Credentials come from the usual AWS chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
  AWS_PROFILE and the shared files, web identity, container and instance metadata (off with
  AWS_EC2_METADATA_DISABLED=true), including profiles' assumed roles (role_arn).
  --role-arn ARN            assume this IAM role over those credentials (STS AssumeRole)
  --role-external-id ID     the ExternalId the role's trust policy asks for
  Secrets are never taken on the command line: --set
  AwsSecretKey=, ProxyPassword= (or any *Secret*, *Password*, *Token* key) is refused; put
  them in the environment, a profile, or a --config file readable only by you.

Input:
  --format lines|jsonl|binary
                            lines: one record per line, without the newline (default);
                            jsonl: one JSON document per line, checked, sent as written;
                            binary: each record is a 4-byte big-endian length, then the bytes
  --partition-key KEY       one fixed partition key for every record
  --partition-key-field F   jsonl: the key is field F of each line ("user.id" for nested)
  --explicit-hash-key-field F
                            jsonl: the explicit hash key (decimal) is field F
  --random-partition-key    a random key per record, spreading records over all shards
                            (the default)
  --count-by-field F        jsonl: count each record put by its value of field F, through the
                            producer's application metrics (CloudWatch, Prometheus, JSON
                            statistics), as metric --count-metric with dimension F; the counts
                            are printed at the end
  --count-metric NAME       the metric of --count-by-field (default Records)

Following files (like the Kinesis Agent):
  --follow                  keep reading the files (globs, quote them) as they grow; new
                            files matching are picked up; rename-and-create and
                            copy-and-truncate rotation are followed (what was not read before
                            a truncation is read from the copy, found by its content; without
                            a copy the loss is reported, exit status 1). Stops on
                            SIGINT/SIGTERM.
  --checkpoint FILE         remembers how far every record has a result (saved every
                            100 ms; FILE.sent counts what went out); a restart (even after
                            kill -9) resumes there: nothing is lost, and only records in
                            flight or acknowledged in the last 100 ms are sent twice (counted
                            in resent_after_restart)
  --poll-ms N               how often to look for new data and files (default 250)
  --rotation-grace-ms N     a rotated file is read until idle this long (default 5000)
  --initial-position start|end
                            where to begin files found at start when the checkpoint is
                            empty or absent (default start; end: after their last complete
                            line, as the Kinesis Agent's END_OF_FILE); a checkpoint wins;
                            files appearing later are read from their start
  Compressed files matching the globs (.gz, .bz2, .zip, .xz) are not read (one line each).

Records (--format lines):
  --multiline-start REGEX   a line matching REGEX at its start begins a record; other lines
                            join the record before them (after a newline), as a stack trace
  --multiline-flush-ms N    a record still being built is sent when its file has had no new
                            line for N ms, or when the file is finished (default 1000)
  --skip-header-lines N     the first N lines of every file are not records
  --truncated-record-terminator STR
                            a record over --max-record-size is cut to it and ends in STR
                            ("\n", "\t", "\r" and "\\" are understood) instead of being
                            reported and dropped

Several flows (each its own files, stream, format, keys, checkpoint and record options; one
producer, shared fairly):
  --flow                    begins another flow: the flow flags after it (--stream, files,
                            --format, --partition-key*, --checkpoint, the record options)
                            up to the next --flow are that flow's; the others hold for all:
                            --follow --stream app --checkpoint a.cp 'app/*.log'
                            --flow --stream web --checkpoint w.cp 'web/*.log'

The Kinesis Agent's configuration:
  --agent-config FILE       follows every Kinesis Data Streams flow of the Kinesis Agent's
                            agent.json, unchanged, in one process sharing one producer (its
                            keys: docs/kinesis-put.md); flags for the producer, the endpoint
                            and the output still apply and win over the file, and
                            --multiline-flush-ms holds for its flows

Output and errors:
  --summary-json FILE       write the final summary as JSON
  --failed-out FILE         write records that failed, in the input format, to send again
  --strict                  stop at the first bad input (unreadable file, malformed JSON,
                            missing key field, oversized record); else report and go on
  --progress auto|always|never
                            live progress on standard error (auto: when it is a terminal)
  --quiet                   no progress and no summary on standard error
  --drain-timeout-ms N      at the end, wait this long for the last results (default 60000)
  --help, --version
)";
}

Result<PutOptions> ParseOptions(const std::vector<std::string>& args) {
  PutOptions o;
  FlowOptions flow;
  // Flows before the last --flow, with their key flags.
  struct Earlier {
    FlowOptions flow;
    bool key_field;
    bool fixed_key;
  };
  std::vector<Earlier> earlier;
  std::vector<std::pair<std::string, std::string>> settings;  // applied after --config
  std::string config_file;
  bool ttl_set = false;
  bool key_field = false;
  bool fixed_key = false;
  bool only_files = false;
  bool max_size_set = false;
  bool flush_set = false;
  bool multiline_flush_override = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (only_files || flag == "-" || flag.rfind("--", 0) != 0) {
      flow.inputs.push_back(flag);
      continue;
    }
    if (flag == "--") {
      only_files = true;
      continue;
    }
    std::string value;
    size_t eq = flag.find('=');
    if (eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      if (!Valued(flag)) return Status::InvalidArgument(flag + " takes no value");
    } else if (Valued(flag)) {
      if (i + 1 >= args.size()) return Status::InvalidArgument(flag + " needs a value");
      value = args[++i];
    }
    auto number = [&]() { return Number(flag, value); };
    if (flag == "--help" || flag == "-h") {
      o.help = true;
    } else if (flag == "--version") {
      o.version = true;
    } else if (flag == "--stream" || flag == "--stream-arn") {
      if (!flow.stream.empty()) {
        return Status::InvalidArgument(
            "give one of --stream, --stream-arn (for another stream, begin another flow with "
            "--flow)");
      }
      if (flag == "--stream-arn" && value.rfind("arn:", 0) != 0) {
        return Status::InvalidArgument("--stream-arn takes an ARN (arn:...), not '" + value + "'");
      }
      flow.stream = value;
    } else if (flag == "--region") {
      settings.emplace_back("Region", value);
    } else if (flag == "--endpoint") {
      settings.emplace_back("KinesisEndpoint", value);
    } else if (flag == "--role-arn" || flag == "--role-external-id") {
      settings.emplace_back(flag == "--role-arn" ? "RoleArn" : "RoleExternalId", value);
    } else if (flag == "--config") {
      config_file = value;
    } else if (flag == "--set") {
      size_t at = value.find('=');
      if (at == std::string::npos || at == 0) {
        return Status::InvalidArgument("--set takes KEY=VALUE, not '" + value + "'");
      }
      if (LooksSecret(value.substr(0, at))) return SecretRefused(value.substr(0, at));
      settings.emplace_back(value.substr(0, at), value.substr(at + 1));
      ttl_set |= value.substr(0, at) == "RecordTtl";
    } else if (flag == "--aggregation") {
      auto c = Choice(flag, value, {"off", "on"});
      if (!c.ok()) return c.status();
      settings.emplace_back("AggregationEnabled", c.value() == 1 ? "true" : "false");
    } else if (flag == "--buffering-ms") {
      if (auto n = number(); !n.ok()) return n.status();
      settings.emplace_back("RecordMaxBufferedTime", value);
    } else if (flag == "--rate-limit") {
      if (auto n = number(); !n.ok()) return n.status();
      settings.emplace_back("RateLimit", value);
    } else if (flag == "--protocol") {
      settings.emplace_back("Protocol", value);
    } else if (flag == "--record-ttl-ms") {
      if (auto n = number(); !n.ok()) return n.status();
      settings.emplace_back("RecordTtl", value);
      ttl_set = true;
    } else if (flag == "--max-record-size") {
      if (auto n = number(); !n.ok()) return n.status();
      settings.emplace_back("MaxUserRecordSize", value);
      max_size_set = true;
    } else if (flag == "--format") {
      auto c = Choice(flag, value, {"lines", "jsonl", "binary"});
      if (!c.ok()) return c.status();
      flow.format = static_cast<InputFormat>(c.value());
    } else if (flag == "--partition-key") {
      if (value.empty()) return Status::InvalidArgument("--partition-key must not be empty");
      flow.keys.mode = KeyMode::kFixed;
      flow.keys.fixed_key = value;
      fixed_key = true;
    } else if (flag == "--partition-key-field") {
      flow.keys.mode = KeyMode::kField;
      flow.keys.key_field = value;
      key_field = true;
    } else if (flag == "--random-partition-key") {
      flow.keys.mode = KeyMode::kRandom;
    } else if (flag == "--explicit-hash-key-field") {
      flow.keys.hash_key_field = value;
    } else if (flag == "--count-by-field") {
      if (value.empty()) return Status::InvalidArgument("--count-by-field must not be empty");
      flow.keys.count_field = value;
    } else if (flag == "--count-metric") {
      if (value.empty()) return Status::InvalidArgument("--count-metric must not be empty");
      o.count_metric = value;
    } else if (flag == "--follow") {
      o.follow = true;
    } else if (flag == "--checkpoint") {
      flow.checkpoint = value;
    } else if (flag == "--poll-ms" || flag == "--rotation-grace-ms" ||
               flag == "--drain-timeout-ms") {
      auto n = number();
      if (!n.ok()) return n.status();
      auto ms = std::chrono::milliseconds(n.value());
      (flag == "--poll-ms"             ? o.poll
       : flag == "--rotation-grace-ms" ? o.rotation_grace
                                       : o.drain_timeout) = ms;
    } else if (flag == "--multiline-start") {
      auto re = CompilePattern(flag, value);
      if (!re.ok()) return re.status();
      flow.multiline_start = std::move(re).value();
    } else if (flag == "--multiline-flush-ms") {
      auto n = number();
      if (!n.ok()) return n.status();
      flow.multiline_flush = std::chrono::milliseconds(n.value());
      flush_set = true;
    } else if (flag == "--initial-position") {
      auto c = Choice(flag, value, {"start", "end"});
      if (!c.ok()) return c.status();
      flow.start_at_end = c.value() == 1;
    } else if (flag == "--skip-header-lines") {
      auto n = number();
      if (!n.ok()) return n.status();
      flow.skip_header_lines = n.value();
    } else if (flag == "--truncated-record-terminator") {
      flow.truncate = true;
      flow.truncated_record_terminator = Unescape(value);
    } else if (flag == "--summary-json") {
      o.summary_json = value;
    } else if (flag == "--failed-out") {
      o.failed_out = value;
    } else if (flag == "--strict") {
      o.strict = true;
    } else if (flag == "--progress") {
      auto c = Choice(flag, value, {"auto", "always", "never"});
      if (!c.ok()) return c.status();
      o.progress = static_cast<ProgressMode>(c.value());
    } else if (flag == "--quiet") {
      o.quiet = true;
    } else if (flag == "--agent-config") {
      o.agent_config = value;
    } else if (flag == "--flow") {
      earlier.push_back({std::move(flow), key_field, fixed_key});
      flow = FlowOptions();
      key_field = fixed_key = false;
    } else {
      return Status::InvalidArgument("unknown flag " + flag + " (see --help)");
    }
  }
  if (o.help || o.version) return o;
  if (!o.agent_config.empty()) {
    // The flows come from the file: flags that describe one would be silently overruled.
    if (!flow.stream.empty() || !flow.inputs.empty() || !flow.checkpoint.empty() ||
        flow.format != InputFormat::kLines || flow.keys.mode != KeyMode::kRandom ||
        flow.multiline_start != nullptr || flow.truncate || flow.skip_header_lines > 0 ||
        flow.start_at_end || !flow.keys.count_field.empty()) {
      return Status::InvalidArgument(
          "--agent-config takes the streams, files, checkpoint and record options from its "
          "flows; give no --stream, files, --checkpoint, --format, --partition-key*, "
          "--multiline-start, --skip-header-lines, --initial-position, "
          "--truncated-record-terminator or --count-by-field with it");
    }
    if (!earlier.empty()) {
      return Status::InvalidArgument(
          "--flow is for the command line's flows, not with "
          "--agent-config (its flows are in the file)");
    }
    o.follow = true;
    multiline_flush_override = flush_set;
  } else {
    earlier.push_back({std::move(flow), key_field, fixed_key});
    std::vector<std::string> checkpoints;
    int stdin_flows = 0;
    for (size_t i = 0; i < earlier.size(); ++i) {
      Earlier& e = earlier[i];
      std::string where = earlier.size() > 1 ? "flow " + std::to_string(i + 1) + ": " : "";
      Status s = CheckFlow(e.flow, e.key_field, e.fixed_key, o.follow, where);
      if (!s.ok()) return s;
      stdin_flows += std::count(e.flow.inputs.begin(), e.flow.inputs.end(), "-") > 0;
      if (!e.flow.checkpoint.empty()) {
        if (std::count(checkpoints.begin(), checkpoints.end(), e.flow.checkpoint) > 0) {
          return Status::InvalidArgument(where + "--checkpoint " + e.flow.checkpoint +
                                         " is another flow's already");
        }
        checkpoints.push_back(e.flow.checkpoint);
      }
      o.flows.push_back(std::move(e.flow));
    }
    if (stdin_flows > 1) {
      return Status::InvalidArgument("standard input can be read by one flow only");
    }
    if (!checkpoints.empty()) o.journal_base = checkpoints.front();
  }
  if (!config_file.empty()) {
    auto loaded = LoadProducerConfig(config_file);
    if (!loaded.ok()) return loaded.status();
    o.config = std::move(loaded).value();
  }
  // Following is an agent's job: keep retrying through long outages rather than give up.
  if (o.follow && !ttl_set && o.config.record_ttl_ms == ProducerConfig().record_ttl_ms) {
    o.config.record_ttl_ms = 24ull * 3600 * 1000;
  }
  // A command reads input far faster than shards take it: a smaller buffer makes reading wait
  // (Put blocks) instead of letting records sit in the buffer past their RecordTtl.
  if (o.config.buffer_max_records == ProducerConfig().buffer_max_records) {
    o.config.buffer_max_records = kDefaultBufferRecords;
  }
  if (!o.agent_config.empty()) {
    Status loaded = LoadAgentConfig(o.agent_config, &o);
    if (!loaded.ok()) return loaded;
    // The Agent has no such key: the command line's holds for every flow.
    if (multiline_flush_override) {
      for (FlowOptions& f : o.flows) f.multiline_flush = flow.multiline_flush;
    }
  }
  for (const auto& [key, value] : settings) {
    Status s = ApplySetting(o.config, key, value);
    if (!s.ok()) return s;
  }
  // A smaller record limit from the command line caps the aggregate too, which must fit.
  if (max_size_set && o.config.aggregation_max_size > o.config.max_user_record_size) {
    o.config.aggregation_max_size = o.config.max_user_record_size;
  }
  Status valid = o.config.Validate();
  if (!valid.ok()) return valid;
  for (const FlowOptions& f : o.flows) {
    if (f.truncate && f.truncated_record_terminator.size() >= o.config.max_user_record_size) {
      return Status::InvalidArgument("--truncated-record-terminator of " +
                                     std::to_string(f.truncated_record_terminator.size()) +
                                     " bytes is not shorter than the record limit of " +
                                     std::to_string(o.config.max_user_record_size) + " bytes");
    }
  }
  return o;
}

}  // namespace kinesis::put
