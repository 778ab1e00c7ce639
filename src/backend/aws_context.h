// AwsContext: what a producer's AWS clients share, so that each producer resolves its region
// and its credentials once: the Kinesis back-end (CreateHttpBackend) and the CloudWatch
// uploader (src/producer/producer_monitoring) read the same RefreshingCredentialsProvider,
// which refreshes once for both and is refreshed at once when either is told its credentials
// expired.
#ifndef KINESIS_BACKEND_AWS_CONTEXT_H_
#define KINESIS_BACKEND_AWS_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include "auth/http_fetcher.h"
#include "auth/refreshing_credentials_provider.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"

namespace kinesis {

struct AwsContext {
  std::string region;   // empty when none resolved (region_status says why)
  Status region_status;  // Region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
  // What signs each request: the chain's current credentials, or the application's
  // (CreateHttpBackend with a CredentialsCallback). Never empty; quick, thread-safe.
  std::function<Result<auth::Credentials>()> credentials;
  // The chain behind `credentials`, refreshed at once when a service says they expired; null
  // when the application supplies them.
  std::shared_ptr<auth::RefreshingCredentialsProvider> refreshing;
  // How the producer's calls besides Kinesis reach AWS (STS, the credentials sources,
  // CloudWatch): through ProxyHost with ProxyUserName/ProxyPassword when set. Never null.
  std::shared_ptr<auth::HttpFetcher> http;
};

// The region and the credentials chain of `config` (AwsAccessKeyId/AwsSecretKey, StsEndpoint,
// then the environment's chain). Starts the provider's first fetch; does not wait for it.
std::shared_ptr<const AwsContext> MakeAwsContext(const ProducerConfig& config);

// The context a back-end made by CreateHttpBackend holds; null for any other back-end (a test's
// or an application's own), whose producer then makes its own for CloudWatch.
std::shared_ptr<const AwsContext> AwsContextOf(const KinesisBackend& backend);

}  // namespace kinesis

#endif  // KINESIS_BACKEND_AWS_CONTEXT_H_
