// StsCall: one call of the STS query API (POST form, XML answer) that returns credentials, as
// AssumeRole and AssumeRoleWithWebIdentity both do. AssumeRole is signed with SigV4 (service
// "sts") by the source credentials; AssumeRoleWithWebIdentity is unsigned (its token is the
// proof).
//
// Thread safety: a function; the fetcher decides (CurlHttpFetcher may be shared).
#ifndef KINESIS_AUTH_STS_CALL_H_
#define KINESIS_AUTH_STS_CALL_H_

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"

namespace kinesis::auth {

// The STS endpoint: `configured` (StsEndpoint) when set, else AWS_ENDPOINT_URL_STS, else
// https://sts.<region>.amazonaws.com (the global https://sts.amazonaws.com without a region).
std::string StsEndpoint(const std::string& configured, const EnvLookup& env,
                        const std::string& region);

// "kinesis-producer-<unix seconds>": the session name when none is configured.
std::string DefaultSessionName();

struct StsRequest {
  std::string endpoint;  // without the trailing '/'
  std::string action;    // "AssumeRole"
  std::string role_arn;  // for messages
  // Form fields after Action and Version, in order, e.g. {"RoleArn", arn}.
  std::vector<std::pair<std::string, std::string>> fields;
  // Signs the call when set: the region of the signature ("us-east-1" when empty).
  const Credentials* signing_credentials = nullptr;
  std::string region;
  std::chrono::milliseconds timeout{5000};
  // Never put in a message even if the server echoes them (a web identity token).
  std::vector<std::string> secrets;
};

// Sends the call and reads the credentials of the answer. kPermissionDenied when STS refuses
// (4xx other than throttling: its error code and message are kept); kUnavailable for 5xx,
// throttling and transport failures (kDeadlineExceeded for timeouts); kCorruption for a
// malformed answer.
Result<Credentials> CallSts(HttpFetcher& http, const StsRequest& request);

// Reads the credentials out of an AssumeRoleWithWebIdentity (or AssumeRole) answer.
Result<Credentials> ParseStsCredentials(std::string_view xml);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_STS_CALL_H_
