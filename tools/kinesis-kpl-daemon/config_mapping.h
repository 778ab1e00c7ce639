// The KPL's Configuration message (what the Java side passes hex-encoded with -c) onto our
// ProducerConfig: every field goes through ApplySetting under the KPL property name it carries
// (the Configuration's fields are the KPL .properties keys), so the daemon accepts exactly
// what a KPL .properties file with the same values would.
//
// Thread safety: plain functions.
#ifndef KINESIS_TOOLS_KPL_DAEMON_CONFIG_MAPPING_H_
#define KINESIS_TOOLS_KPL_DAEMON_CONFIG_MAPPING_H_

#include <string>
#include <string_view>
#include <vector>

#include "kinesis/producer_config.h"
#include "kinesis/status.h"

namespace kinesis::kpl {

// The KPL property name of Configuration field `number` ("RecordTtl" for 22), empty when the
// field is not one of the KPL's (0.15.x or 1.0.x).
std::string_view ConfigFieldKey(uint32_t number);

// Applies every field of `configuration` (the Configuration message's bytes) onto `config`.
// A field ApplySetting refuses, or a field number we do not know, is not applied: one line in
// `skipped` says which and why (secrets are never echoed), and the others still apply. Fails
// only when the bytes are not a Configuration message. Does not call Validate().
Status MapConfiguration(std::string_view configuration, ProducerConfig& config,
                        std::vector<std::string>& skipped);

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_CONFIG_MAPPING_H_
