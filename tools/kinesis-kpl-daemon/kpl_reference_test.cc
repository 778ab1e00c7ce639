// The hand-written codec against libprotobuf on the protocol's schema (kpl_protocol_reference
// .proto): what the Java side's generated classes send decodes here, and what the daemon sends
// parses there, required fields included (the Java side's parseFrom refuses a message without
// them).
#include <gtest/gtest.h>

#include <algorithm>

#include "config_mapping.h"
#include "kpl_messages.h"
#include "kpl_peer.h"
#include "kpl_protocol_reference.pb.h"

namespace kinesis::kpl {
namespace {

namespace ref = ::kinesis::kpl::reference;

TEST(KplReferenceTest, PutRecordFromTheJavaSideDecodes) {
  for (bool with_key : {false, true}) {
    ref::Message m;
    m.set_id(123456789012345ull);
    ref::PutRecord* p = m.mutable_put_record();
    p->set_stream_name("orders");
    p->set_partition_key("user-7");
    if (with_key) p->set_explicit_hash_key("340282366920938463463374607431768211455");
    p->set_data(std::string("\x00\x80\xff", 3));
    std::string bytes = m.SerializeAsString();
    EXPECT_EQ(bytes,
              EncodePutRecordMessage(
                  123456789012345ull,
                  PutRecord{"orders", "user-7",
                            with_key ? std::optional<std::string_view>(p->explicit_hash_key())
                                     : std::nullopt,
                            p->data()}));
    Result<Message> ours = DecodeMessage(bytes);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(ours->id, 123456789012345ull);
    Result<PutRecord> put = DecodePutRecord(ours->body);
    ASSERT_TRUE(put.ok());
    EXPECT_EQ(put->data, p->data());
    EXPECT_EQ(put->explicit_hash_key.has_value(), with_key);
  }
}

TEST(KplReferenceTest, CredentialsAndRequestsFromTheJavaSideDecode) {
  ref::Message m;
  m.set_id(INT64_MAX);
  m.mutable_set_credentials()->set_for_metrics(true);
  ref::Credentials* c = m.mutable_set_credentials()->mutable_credentials();
  c->set_akid("AKID");
  c->set_secret_key("secret");
  c->set_token("token");
  std::string bytes = m.SerializeAsString();
  EXPECT_EQ(bytes, EncodeSetCredentialsMessage(INT64_MAX, {true, "AKID", "secret", "token"}));
  Result<Message> ours = DecodeMessage(bytes);
  ASSERT_TRUE(ours.ok());
  Result<SetCredentials> creds = DecodeSetCredentials(ours->body);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->session_token, "token");

  ref::Message r;
  r.set_id(5);
  r.mutable_metrics_request()->set_name("UserRecordsPut");
  r.mutable_metrics_request()->set_seconds(1);
  EXPECT_EQ(r.SerializeAsString(), EncodeMetricsRequestMessage(5, {"UserRecordsPut", 1}));
  ref::Message f;
  f.set_id(6);
  f.mutable_flush();
  EXPECT_EQ(f.SerializeAsString(), EncodeFlushMessage(6, Flush{}));
  ref::Message s;
  s.set_id(7);
  s.mutable_stream_metadata()->set_stream_name("orders");
  s.mutable_stream_metadata()->set_stream_id("id-1");
  EXPECT_EQ(s.SerializeAsString(), EncodeStreamMetadataMessage(7, {"orders", "id-1"}));
}

TEST(KplReferenceTest, ConfigurationFromTheJavaSideMapsEveryField) {
  ref::Message m;
  m.set_id(0);
  ref::Configuration* c = m.mutable_configuration();
  c->set_aggregation_enabled(false);
  c->set_aggregation_max_count(4294967295ull);
  c->set_record_ttl(45000);
  c->set_region("eu-central-1");
  c->set_kinesis_endpoint("");
  c->set_thread_config(ref::Configuration::POOLED);
  c->set_thread_pool_size(8);
  c->set_sts_port(8443);
  c->set_proxy_password("hunter2");
  ref::AdditionalDimension* d = c->add_additional_metric_dims();
  d->set_key("Service");
  d->set_value("checkout");
  d->set_granularity("global");
  std::string bytes = m.SerializeAsString();
  Result<Message> ours = DecodeMessage(bytes);
  ASSERT_TRUE(ours.ok());
  ASSERT_EQ(ours->kind, MessageKind::kConfiguration);
  ProducerConfig config;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(ours->body, config, skipped).ok());
  EXPECT_TRUE(skipped.empty()) << skipped.front();
  EXPECT_FALSE(config.aggregation_enabled);
  EXPECT_EQ(config.record_ttl_ms, 45000u);
  EXPECT_EQ(config.region, "eu-central-1");
  EXPECT_NE(std::find(config.settings_without_effect.begin(),
                      config.settings_without_effect.end(),
                      std::pair<std::string, std::string>{"ThreadPoolSize", "8"}),
            config.settings_without_effect.end());
  EXPECT_EQ(config.sts_port, 8443u);
  EXPECT_EQ(config.proxy_password, "hunter2");
  ASSERT_EQ(config.metrics_extra_dimensions.size(), 1u);
}

TEST(KplReferenceTest, PutRecordResultParsesWithItsRequiredFields) {
  auto arrival = std::chrono::system_clock::now();
  PutResult failed;
  failed.error_code = "Expired";
  failed.error_message = "expired";
  PutResult ok;
  ok.success = true;
  ok.shard_id = "shardId-000000000003";
  ok.sequence_number = "4960";
  ok.attempts.push_back(Attempt{arrival, std::chrono::milliseconds(12), true, "", ""});
  std::string frames;
  AppendPutRecordResult(1, 10, failed, arrival, frames);
  AppendPutRecordResult(2, 11, ok, arrival, frames);
  AppendRefusedResult(3, 12, "QueueFull", "full", frames);

  FrameReader reader;
  reader.Feed(frames);
  std::vector<ref::Message> parsed;
  while (true) {
    auto next = reader.Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    ref::Message m;
    ASSERT_TRUE(m.ParseFromArray((*next)->data(), static_cast<int>((*next)->size())))
        << "missing required fields: " << m.InitializationErrorString();
    parsed.push_back(m);
  }
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].source_id(), 10u);
  EXPECT_FALSE(parsed[0].put_record_result().success());
  ASSERT_EQ(parsed[0].put_record_result().attempts_size(), 1);
  EXPECT_EQ(parsed[0].put_record_result().attempts(0).error_code(), "Expired");
  const ref::PutRecordResult& r = parsed[1].put_record_result();
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.shard_id(), "shardId-000000000003");
  EXPECT_EQ(r.sequence_number(), "4960");
  ASSERT_EQ(r.attempts_size(), 1);
  EXPECT_EQ(r.attempts(0).duration(), 12u);
  EXPECT_TRUE(r.attempts(0).success());
  EXPECT_FALSE(r.attempts(0).has_error_code());
  EXPECT_EQ(parsed[2].put_record_result().attempts(0).error_message(), "full");
}

TEST(KplReferenceTest, MetricsResponseParsesWithItsRequiredFields) {
  MetricValue v;
  v.name = "ErrorsByCode";
  v.dimensions = {{"ErrorCode", "Expired"}, {"StreamName", "s"}};
  v.count = 2;
  v.sum = 2;
  v.mean = 1;
  v.min = 1;
  v.max = 1;
  std::string frame;
  AppendMetricsResponse(4, 9, {v}, 30, frame);
  ref::Message m;
  ASSERT_TRUE(m.ParseFromString(frame.substr(4))) << m.InitializationErrorString();
  EXPECT_EQ(m.source_id(), 9u);
  ASSERT_EQ(m.metrics_response().metrics_size(), 1);
  const ref::Metric& metric = m.metrics_response().metrics(0);
  EXPECT_EQ(metric.name(), "ErrorsByCode");
  EXPECT_EQ(metric.seconds(), 30u);
  ASSERT_EQ(metric.dimensions_size(), 2);
  EXPECT_EQ(metric.dimensions(0).key(), "StreamName");
  EXPECT_EQ(metric.dimensions(1).key(), "ErrorCode");
  EXPECT_EQ(metric.stats().count(), 2);
  EXPECT_EQ(metric.stats().max(), 1);
  // An empty answer is a valid message too (the health check's, with no data yet).
  std::string empty;
  AppendMetricsResponse(5, 10, {}, 1, empty);
  ref::Message e;
  ASSERT_TRUE(e.ParseFromString(empty.substr(4)));
  EXPECT_TRUE(e.has_metrics_response());
}

}  // namespace
}  // namespace kinesis::kpl
