// Region resolution, in the AWS order: explicit setting, AWS_REGION, AWS_DEFAULT_REGION, the
// `region` of the selected profile in the config file (then the credentials file).
//
// Pure function; any thread.
#ifndef KINESIS_AUTH_REGION_H_
#define KINESIS_AUTH_REGION_H_

#include <string>

#include "auth/credentials_provider.h"
#include "kinesis/status.h"

namespace kinesis::auth {

// kNotFound when no source names a region; kInvalidArgument for a name that is not a region
// name (lower-case letters, digits and '-', like "us-east-1"), naming where it came from;
// kIoError / kCorruption for an unreadable or malformed config file.
Result<std::string> ResolveRegion(const std::string& explicit_region, const EnvLookup& env,
                                  const std::string& profile = "");

// True for a syntactically valid region name.
bool IsValidRegionName(std::string_view region);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_REGION_H_
