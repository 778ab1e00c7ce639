// CreateHttpBackend with application-supplied credentials (CredentialsCallback) against the
// kinesis-sim of the CTest fixture: the callback is read for every request, so credentials
// replaced while the back-end runs sign the next request; without credentials a request fails
// retriably with MissingCredentials carrying the callback's reason.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <optional>

#include "backend_client.h"
#include "kinesis/http_backend.h"

namespace kinesis::wire::testing {
namespace {

PutRecordsOutcome PutOne(KinesisBackend& backend, const std::string& stream) {
  std::promise<PutRecordsOutcome> done;
  auto future = done.get_future();
  std::string data = "payload", key = "key";
  backend.PutRecords(stream, {OutgoingRecord{data, key, ""}},
                     [&done](PutRecordsOutcome o) { done.set_value(std::move(o)); });
  return future.get();
}

TEST(BackendCredentialsCallbackTest, EveryRequestReadsTheCallbacksCurrentCredentials) {
  Backend admin("kinesis_sim", Protocol::kJson);
  std::string stream = "credentials-callback-" + std::to_string(::getpid());
  admin.CreateActiveStream(stream, 1);

  ProducerConfig config;
  config.region = "us-east-1";
  config.kinesis_endpoint = admin.url;
  std::mutex mu;
  std::optional<AwsCredentials> current;  // guarded by mu
  int calls = 0;                          // guarded by mu
  auto callback = [&]() -> Result<AwsCredentials> {
    std::lock_guard<std::mutex> lock(mu);
    ++calls;
    if (!current) return Status::Unavailable("no credentials from the application yet");
    return *current;
  };
  Result<std::shared_ptr<KinesisBackend>> backend = CreateHttpBackend(config, callback);
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();

  PutRecordsOutcome none = PutOne(**backend, stream);
  EXPECT_EQ(none.failure, RequestFailure::kRetriable);
  EXPECT_EQ(none.error_code, "MissingCredentials");
  EXPECT_NE(none.error_message.find("no credentials from the application yet"), std::string::npos)
      << none.error_message;

  {
    std::lock_guard<std::mutex> lock(mu);
    current = AwsCredentials{"AKIDFIRST", "secret-1", ""};
  }
  PutRecordsOutcome first = PutOne(**backend, stream);
  ASSERT_EQ(first.failure, RequestFailure::kNone) << first.error_code << " " << first.error_message;
  ASSERT_EQ(first.records.size(), 1u);
  EXPECT_EQ(first.records[0].shard_id, "shardId-000000000000");

  int calls_before;
  {
    std::lock_guard<std::mutex> lock(mu);
    current = AwsCredentials{"AKIDROTATED", "secret-2", "session-token"};
    calls_before = calls;
  }
  PutRecordsOutcome rotated = PutOne(**backend, stream);
  EXPECT_EQ(rotated.failure, RequestFailure::kNone) << rotated.error_message;
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(calls, calls_before + 1);  // read once for that request
  }
  EXPECT_EQ((*backend)->credential_refreshes(), 0u);

  Result<std::shared_ptr<KinesisBackend>> no_callback = CreateHttpBackend(config, nullptr);
  ASSERT_FALSE(no_callback.ok());
  EXPECT_EQ(no_callback.status().message(), "CreateHttpBackend: no credentials callback");
}

}  // namespace
}  // namespace kinesis::wire::testing
