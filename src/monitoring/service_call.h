// What the monitoring's AWS clients (CloudWatch's PutMetricData, CloudWatch Logs'
// PutLogEvents) share: reading an endpoint setting, and one signed POST.
//
// Thread safety: pure functions; PostSigned is as thread-safe as the fetcher it is given.
#ifndef KINESIS_MONITORING_SERVICE_CALL_H_
#define KINESIS_MONITORING_SERVICE_CALL_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "auth/http_fetcher.h"
#include "auth/sigv4_signer.h"
#include "kinesis/status.h"

namespace kinesis::monitoring {

struct ServiceEndpoint {
  std::string url;   // scheme://authority/
  std::string host;  // authority, as signed in the Host header
};

// "https://host[:port]" or "http://host[:port]" (tests); a bare host means https; empty means
// https://`default_host`. Errors name `setting` (e.g. "CloudWatch endpoint") and the value.
Result<ServiceEndpoint> ParseServiceEndpoint(const std::string& endpoint,
                                             const std::string& default_host,
                                             const std::string& setting);

// Checks a region name ("us-east-1"); errors name `service` and the value.
Status CheckRegion(const std::string& region, const std::string& service);

struct SignedPost {
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Host and Content-Type
  std::string body;
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds timeout{6000};
  bool use_proxy = true;
};

// POSTs `post` to `endpoint` with SigV4 (`signer`'s service and region) and `credentials`.
// Any HTTP status is a response; transport and signing failures are errors.
Result<auth::HttpFetchResponse> PostSigned(auth::HttpFetcher& http, const auth::SigV4Signer& signer,
                                           const auth::Credentials& credentials,
                                           const ServiceEndpoint& endpoint, const SignedPost& post);

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_SERVICE_CALL_H_
