// The Kinesis Agent's configuration file (agent.json), read unchanged by
// `kinesis-put --agent-config FILE`: every Kinesis Data Streams flow becomes a FlowOptions,
// and the global keys become producer settings. docs/kinesis-put.md lists every key.
//
// Global keys: checkpointFile, kinesis.endpoint, kinesis.region (or awsRegion; else derived
// from an endpoint kinesis.REGION.amazonaws.com), sts.endpoint, awsAccessKeyId,
// awsSecretAccessKey, assumeRoleARN, assumeRoleExternalId, flows.
// Flow keys: filePattern, kinesisStream, partitionKeyOption, initialPosition,
// multiLineStartPattern, skipHeaderLines, truncatedRecordTerminator, maxBufferAgeMillis,
// maxBufferSizeRecords, maxBufferSizeBytes, dataProcessingOptions.
// A Firehose flow (deliveryStream) is an error that names it; any other key is named in a
// note (options->notes), one line each, and has no effect.
//
// Thread safety: free functions, no shared state.
#ifndef KINESIS_PUT_AGENT_CONFIG_H_
#define KINESIS_PUT_AGENT_CONFIG_H_

#include <string>
#include <string_view>

#include "kinesis/status.h"
#include "options.h"

namespace kinesis::put {

// The Agent's default checkpoint file.
inline constexpr std::string_view kAgentCheckpointFile = "/var/run/aws-kinesis-agent/checkpoints";

// Reads agent.json `text` (from `origin`, for messages) into `options`: its flows,
// journal_base, notes, and the producer settings in options->config (applied over what is
// there). Errors name the file, the flow (1-based) and the key.
Status ApplyAgentConfig(std::string_view text, const std::string& origin, PutOptions* options);
// Reads the file at `path`, then as above.
Status LoadAgentConfig(const std::string& path, PutOptions* options);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_AGENT_CONFIG_H_
