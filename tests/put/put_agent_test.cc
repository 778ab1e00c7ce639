// kinesis-put --agent-config end to end: the Kinesis Agent's sample agent.json (its example
// configuration, unchanged but for the endpoint, the file and checkpoint folders), the
// Agent's record options through one file, and several flows kept fair: one stream throttled
// does not stall another. Checked by reading the streams back from kinesis-sim.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <regex>

#include "../auth/local_sts.h"
#include "../producer/local_http.h"
#include "agent_example.h"
#include "put_harness.h"

namespace kinesis::put_test {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The records, each cut to 60 bytes, for messages.
std::vector<std::string> Shown(const std::map<std::string, int>& counts) {
  std::vector<std::string> shown;
  for (const auto& [data, n] : counts)
    shown.push_back(data.substr(0, 60) + " x" + std::to_string(n));
  return shown;
}

TEST(PutAgentTest, RunsTheAgentsSampleConfiguration) {
  PutHarness h;
  ASSERT_TRUE(h.sim().CreateStream("aws-kinesis-agent-test1", 2).ok());
  ASSERT_TRUE(h.sim().CreateStream("aws-kinesis-agent-test2", 2).ok());
  // The Agent's example, with the test's folder for /tmp and kinesis-sim for its endpoint.
  std::string config = Replace(put::kAgentExampleJson, "/tmp/", h.dir() + "/");
  config = Replace(config, "https://kinesis.us-west-2.amazonaws.com", h.sim().endpoint());
  WriteFile(h.Path("agent.json"), config);
  // test1 starts at the end: what is there before is not sent.
  WriteFile(h.Path("aws-kinesis-agent-test1.log"), "old\tline\tx\n");
  WriteFile(h.Path("aws-kinesis-agent-test2.log"),
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326\n"
            "not an apache line\n"
            "10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] \"POST /b HTTP/1.1\" 500 -\n");
  std::vector<std::string> args = {"--agent-config", h.Path("agent.json"),  "--poll-ms", "50",
                                   "--summary-json", h.Path("summary.json")};
  pid_t pid = h.Start(args, "agent");
  ASSERT_TRUE(WaitFor([&] {
    return ReadFile(h.Path("agent.err")).find("starting at its end") != std::string::npos;
  }));
  WriteFile(h.Path("aws-kinesis-agent-test1.log"), "a\tb\tc\n1\t2\n", /*append=*/true);
  std::string csv1 = "{\"field1\":\"a\",\"field2\":\"b\",\"field3\":\"c\"}\n";
  std::string csv2 = "{\"field1\":\"1\",\"field2\":\"2\",\"field3\":null}\n";
  std::string log1 =
      "{\"host\":\"127.0.0.1\",\"ident\":null,\"authuser\":\"frank\",\"datetime\":\"10/Oct/"
      "2000:13:55:36 -0700\",\"request\":\"GET /a.gif HTTP/1.0\",\"response\":\"200\","
      "\"bytes\":\"2326\"}\n";
  std::string log2 =
      "{\"host\":\"10.0.0.2\",\"ident\":null,\"authuser\":null,\"datetime\":\"10/Oct/"
      "2000:13:55:37 -0700\",\"request\":\"POST /b HTTP/1.1\",\"response\":\"500\","
      "\"bytes\":null}\n";
  ASSERT_TRUE(WaitFor([&] {
    return h.DataCounts("aws-kinesis-agent-test1").size() == 2 &&
           h.DataCounts("aws-kinesis-agent-test2").size() == 2;
  }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "agent");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(h.DataCounts("aws-kinesis-agent-test1"),
            (std::map<std::string, int>{{csv1, 1}, {csv2, 1}}));
  EXPECT_EQ(h.DataCounts("aws-kinesis-agent-test2"),
            (std::map<std::string, int>{{log1, 1}, {log2, 1}}));
  for (const char* key :
       {"cloudwatch.emitMetrics", "cloudwatch.endpoint", "userDefinedCredentialsProvider.classname",
        "userDefinedCredentialsProvider.location"}) {
    EXPECT_NE(r.err.find(std::string(key) + " is not supported"), std::string::npos) << key;
  }
  EXPECT_EQ(r.err.find("SECRETKEY"), std::string::npos);
  std::string summary = ReadFile(h.Path("summary.json"));
  EXPECT_EQ(JsonNumber(summary, "records_skipped"), 1);
  // Per flow: test1 read 2 records (it started at the end), test2 read 3 (one not converted);
  // nothing is left behind the ends of their files.
  for (const std::string& flow :
       {std::string("aws-kinesis-agent-test1 (") + h.Path("aws-kinesis-agent-test1.log*") +
            ")\", \"records_read\": 2, \"records_succeeded\": 2, \"records_failed\": 0",
        std::string("aws-kinesis-agent-test2 (") + h.Path("aws-kinesis-agent-test2.log*") +
            ")\", \"records_read\": 3, \"records_succeeded\": 2, \"records_failed\": 0"}) {
    EXPECT_NE(summary.find(flow), std::string::npos) << flow << "\n" << summary;
  }
  EXPECT_NE(summary.find("\"lag_bytes\": 0}, {"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"lag_bytes\": 0}]"), std::string::npos) << summary;
  EXPECT_NE(r.err.find("flow aws-kinesis-agent-test2"), std::string::npos) << r.err;
  // Each flow keeps its own checkpoint beside the Agent's checkpointFile.
  int checkpoints = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(h.Path("aws-kinesis-agent-checkpoints"))) {
    checkpoints += e.path().filename().string().rfind("main.log.aws-kinesis-agent-test", 0) == 0;
  }
  EXPECT_EQ(checkpoints, 2);
}

TEST(PutAgentTest, RecordOptionsAndARestartFromTheCheckpoint) {
  PutHarness h;
  std::string config = R"({
    "checkpointFile": ")" +
                       h.Path("cp/agent") + R"(",
    "kinesis.endpoint": ")" +
                       h.sim().endpoint() + R"(", "kinesis.region": "us-east-1",
    "awsAccessKeyId": "AKIDAGENT", "awsSecretAccessKey": "agent-secret",
    "flows": [{
      "filePattern": ")" +
                       h.Path("app.log*") + R"(", "kinesisStream": "s",
      "initialPosition": "START_OF_FILE", "partitionKeyOption": "DETERMINISTIC",
      "multiLineStartPattern": "\\d{4}-", "skipHeaderLines": 1,
      "truncatedRecordTerminator": "<cut>\n", "maxBufferAgeMillis": 1000,
      "dataProcessingOptions": [{"optionName": "SINGLELINE"}]
    }]})";
  WriteFile(h.Path("agent.json"), config);
  WriteFile(h.Path("app.log"), "header line\n2024-01-01 boom\n  at a\n  at b\n2024-01-02 " +
                                   std::string(2 << 20, 'x') + "\n2024-01-03 ok\n");
  WriteFile(h.Path("app.log.1.gz"), std::string("\x1f\x8b\x08\x00\x00\n", 6));
  // Records end at the next start line only: a slow machine cannot split one.
  std::vector<std::string> args = {
      "--agent-config", h.Path("agent.json"), "--poll-ms", "50", "--multiline-flush-ms", "600000"};
  pid_t pid = h.Start(args, "first");
  std::string boom = "2024-01-01 boomat aat b\n";
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts().size() == 2; }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "first");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // The record still being built at the stop is sent after the restart, with what followed.
  WriteFile(h.Path("app.log"), "  more\n2024-01-04 next\n", /*append=*/true);
  pid = h.Start(args, "second");
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts().size() == 3; }, 20))
      << ReadFile(h.Path("first.err")) << ReadFile(h.Path("second.err"))
      << ::testing::PrintToString(Shown(h.DataCounts()));
  kill(pid, SIGTERM);
  r = h.Wait(pid, "second");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::map<std::string, std::string> key_of;
  for (const UserRecord& u : h.ReadBack()) key_of[u.data] = u.partition_key;
  ASSERT_EQ(key_of.size(), 3u);
  EXPECT_TRUE(key_of.count(boom));
  EXPECT_TRUE(key_of.count("2024-01-03 okmore\n"));
  EXPECT_TRUE(key_of.count("2024-01-04 next\n") == 0);  // still being built
  std::string cut;
  for (const auto& [data, key] : key_of) {
    if (data.rfind("2024-01-02 ", 0) == 0) cut = data;
    EXPECT_TRUE(std::regex_match(key, std::regex("[0-9a-f]{32}"))) << key;
  }
  // Truncated to the 1 MiB record limit with its 32-byte key, ending in the terminator.
  EXPECT_EQ(cut.size() + 32, 1048576u);
  EXPECT_EQ(cut.substr(cut.size() - 6), "<cut>\n");
  EXPECT_NE(ReadFile(h.Path("first.err")).find("app.log.1.gz: compressed (.gz); not read"),
            std::string::npos);
  EXPECT_EQ(h.DataCounts().count("header line\n"), 0u);
}

// Two flows share the producer; the stream of one is throttled, every record, with more
// lines waiting than the buffer holds. The other flow's lines still all arrive; once the
// throttling ends, the first flow's arrive too, each once.
TEST(PutAgentTest, OneThrottledStreamDoesNotStallTheOtherFlows) {
  PutHarness h;
  ASSERT_TRUE(h.sim().CreateStream("hot", 2).ok());
  ASSERT_TRUE(h.sim().CreateStream("cool", 2).ok());
  ASSERT_TRUE(h.sim().SetFaults("throttle_streams=hot").ok());
  std::string config = R"({
    "checkpointFile": ")" +
                       h.Path("cp/agent") + R"(",
    "kinesis.endpoint": ")" +
                       h.sim().endpoint() + R"(",
    "flows": [
      {"filePattern": ")" +
                       h.Path("hot.log") + R"(", "kinesisStream": "hot",
       "initialPosition": "START_OF_FILE"},
      {"filePattern": ")" +
                       h.Path("cool.log") + R"(", "kinesisStream": "cool",
       "initialPosition": "START_OF_FILE"}
    ]})";
  WriteFile(h.Path("agent.json"), config);
  // The hot flow is read first, and has more lines than the producer's buffer (20,000).
  WriteFile(h.Path("hot.log"), NumberedLines("h", 0, 60000));
  WriteFile(h.Path("cool.log"), NumberedLines("c", 0, 2000));
  std::vector<std::string> args = {"--agent-config", h.Path("agent.json"),  "--poll-ms", "50",
                                   "--summary-json", h.Path("summary.json")};
  pid_t pid = h.Start(args, "agent");
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("cool").size() == 2000; }))
      << ReadFile(h.Path("agent.err"));
  EXPECT_TRUE(h.DataCounts("hot").empty());
  // More lines for the cool stream while the hot one is still throttled.
  WriteFile(h.Path("cool.log"), NumberedLines("c", 2000, 2000), /*append=*/true);
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("cool").size() == 4000; }));
  h.sim().ClearFaults();
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("hot").size() == 60000; }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "agent");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  for (const auto& stream : {"hot", "cool"}) {
    for (const auto& [data, n] : h.DataCounts(stream)) EXPECT_EQ(n, 1) << data;
  }
  EXPECT_GT(JsonNumber(ReadFile(h.Path("summary.json")), "throttled"), 0);
}

// SIGHUP: the configuration is read again (here, a second flow is added) and reading resumes
// from the checkpoints: no line lost, none sent twice, while the writer keeps writing.
TEST(PutAgentTest, SighupReloadsTheConfigurationWithoutLosingOrResending) {
  PutHarness h;
  ASSERT_TRUE(h.sim().CreateStream("t", 2).ok());
  auto flow = [&](const std::string& file, const std::string& stream) {
    return R"({"filePattern": ")" + h.Path(file) + R"(", "kinesisStream": ")" + stream +
           R"(", "initialPosition": "START_OF_FILE"})";
  };
  auto config = [&](const std::string& flows) {
    return R"({"checkpointFile": ")" + h.Path("cp/agent") + R"(", "kinesis.endpoint": ")" +
           h.sim().endpoint() + R"(", "flows": [)" + flows + "]}";
  };
  WriteFile(h.Path("agent.json"), config(flow("a.log", "s")));
  WriteFile(h.Path("a.log"), NumberedLines("a", 0, 5000));
  WriteFile(h.Path("b.log"), NumberedLines("b", 0, 100));
  std::vector<std::string> args = {"--agent-config", h.Path("agent.json"),  "--poll-ms", "50",
                                   "--summary-json", h.Path("summary.json")};
  pid_t pid = h.Start(args, "agent");
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts().size() == 5000; }));
  WriteFile(h.Path("agent.json"), config(flow("a.log", "s") + ", " + flow("b.log", "t")));
  WriteFile(h.Path("a.log"), NumberedLines("a", 5000, 2000), /*append=*/true);
  kill(pid, SIGHUP);
  WriteFile(h.Path("a.log"), NumberedLines("a", 7000, 2000), /*append=*/true);
  ASSERT_TRUE(WaitFor([&] {
    return h.DataCounts().size() == 9000 && h.DataCounts("t").size() == 100;
  })) << ReadFile(h.Path("agent.err"));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "agent");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("SIGHUP: reloading the configuration"), std::string::npos) << r.err;
  for (const char* stream : {"s", "t"}) {
    for (const auto& [data, n] : h.DataCounts(stream)) EXPECT_EQ(n, 1) << data;
  }
  EXPECT_EQ(JsonNumber(ReadFile(h.Path("summary.json")), "resent_after_restart"), 0);
}

// Two flows on the command line (--flow), each with its stream, format and checkpoint.
TEST(PutAgentTest, SeveralFlowsOnTheCommandLine) {
  PutHarness h;
  ASSERT_TRUE(h.sim().CreateStream("t", 2).ok());
  WriteFile(h.Path("a.log"), NumberedLines("a", 0, 300));
  WriteFile(h.Path("b.jsonl"), "{\"user\": \"u1\", \"n\": 1}\n{\"user\": \"u2\", \"n\": 2}\n");
  // The harness gives the first flow's stream ("s") and the endpoint.
  std::vector<std::string> args = {"--follow",       "--poll-ms",    "50",
                                   "--checkpoint",   h.Path("a.cp"), h.Path("a.log"),
                                   "--flow",         "--stream",     "t",
                                   "--format",       "jsonl",        "--partition-key-field",
                                   "user",           "--checkpoint", h.Path("b.cp"),
                                   h.Path("b.jsonl")};
  pid_t pid = h.Start(args, "flows");
  ASSERT_TRUE(WaitFor([&] {
    return h.DataCounts("s").size() == 300 && h.DataCounts("t").size() == 2;
  })) << ReadFile(h.Path("flows.err"));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "flows");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::map<std::string, std::string> keys;
  for (const UserRecord& u : h.ReadBack("t")) keys[u.partition_key] = u.data;
  EXPECT_EQ(keys, (std::map<std::string, std::string>{{"u1", "{\"user\": \"u1\", \"n\": 1}"},
                                                      {"u2", "{\"user\": \"u2\", \"n\": 2}"}}));
  EXPECT_TRUE(std::filesystem::exists(h.Path("a.cp")));
  EXPECT_TRUE(std::filesystem::exists(h.Path("b.cp")));
}

// The value of the first sample line of `scrape` that starts with `series`, or -1.
double Sample(const std::string& scrape, const std::string& series) {
  size_t at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(scrape.substr(at + series.size() + 2));
}

// Each flow's counts on the Prometheus endpoint (issue 20's "operable"): records read, sent,
// failed, bytes, and how far it is behind the end of its files, which grows for a flow whose
// stream is throttled while the other flow's stays at 0.
TEST(PutAgentTest, EachFlowsCountsAndLagAreOnThePrometheusEndpoint) {
  PutHarness h;
  ASSERT_TRUE(h.sim().CreateStream("t", 2).ok());
  ASSERT_TRUE(h.sim().SetFaults("throttle_streams=t").ok());
  WriteFile(h.Path("a.log"), NumberedLines("a", 0, 300));
  WriteFile(h.Path("b.log"), NumberedLines("b", 0, 200));
  uint16_t port = kinesis::testing::FreePort();
  std::vector<std::string> args = {"--follow",
                                   "--poll-ms",
                                   "50",
                                   "--set",
                                   "PrometheusPort=" + std::to_string(port),
                                   "--checkpoint",
                                   h.Path("a.cp"),
                                   h.Path("a.log"),
                                   "--flow",
                                   "--stream",
                                   "t",
                                   "--checkpoint",
                                   h.Path("b.cp"),
                                   h.Path("b.log")};
  pid_t pid = h.Start(args, "metrics");
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("s").size() == 300; }))
      << ReadFile(h.Path("metrics.err"));
  std::string scrape;
  ASSERT_TRUE(WaitFor([&] {
    scrape = kinesis::testing::HttpGet(port, "/metrics");
    return Sample(scrape, "kinesis_app_kinesis_put_records_succeeded_total{flow=\"s\"}") == 300 &&
           Sample(scrape, "kinesis_app_kinesis_put_lag_bytes_count{flow=\"t\"}") > 0;
  })) << scrape;
  EXPECT_EQ(Sample(scrape, "kinesis_app_kinesis_put_records_read_total{flow=\"s\"}"), 300);
  EXPECT_LE(Sample(scrape, "kinesis_app_kinesis_put_records_failed_total{flow=\"s\"}"), 0);
  EXPECT_GT(Sample(scrape, "kinesis_app_kinesis_put_bytes_succeeded_total{flow=\"s\"}"), 300 * 4);
  EXPECT_EQ(Sample(scrape, "kinesis_app_kinesis_put_records_read_total{flow=\"t\"}"), 200);
  EXPECT_LE(Sample(scrape, "kinesis_app_kinesis_put_records_succeeded_total{flow=\"t\"}"), 0);
  // Throttled, flow t is behind by its whole file (the percentiles are within 3%).
  double file = static_cast<double>(ReadFile(h.Path("b.log")).size());
  double lag = Sample(scrape, "kinesis_app_kinesis_put_lag_bytes{flow=\"t\",quantile=\"0.5\"}");
  EXPECT_NEAR(lag, file, file * 0.03) << scrape;
  h.sim().ClearFaults();
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("t").size() == 200; }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "metrics");
  EXPECT_EQ(r.exit_status, 0) << r.err;
}

// assumeRoleARN and assumeRoleExternalId: the records go out under the role, which STS gives
// for the agent.json's own keys (LocalSts checks the signature of each AssumeRole call).
TEST(PutAgentTest, AssumesTheConfigurationsRole) {
  PutHarness h;
  auth::testing::LocalSts sts;
  sts.Know("AKIDAGENTSOURCE", "agent-source-secret");
  std::string config = R"({
    "awsAccessKeyId": "AKIDAGENTSOURCE", "awsSecretAccessKey": "agent-source-secret",
    "assumeRoleARN": "arn:aws:iam::123456789012:role/agent-writer",
    "assumeRoleExternalId": "agent-external-1",
    "kinesis.endpoint": ")" +
                       h.sim().endpoint() + R"(",
    "flows": [{"filePattern": ")" +
                       h.Path("a.log") + R"(", "kinesisStream": "s",
               "initialPosition": "START_OF_FILE"}]})";
  WriteFile(h.Path("agent.json"), config);
  WriteFile(h.Path("a.log"), NumberedLines("a", 0, 50));
  std::vector<std::string> args = {"--agent-config", h.Path("agent.json"),      "--poll-ms", "50",
                                   "--set",          "StsEndpoint=" + sts.url()};
  pid_t pid = h.Start(args, "role");
  ASSERT_TRUE(WaitFor([&] { return h.DataCounts("s").size() == 50; }))
      << ReadFile(h.Path("role.err"));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "role");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::vector<auth::testing::StsCall> calls = sts.calls();
  ASSERT_FALSE(calls.empty());
  for (const auto& call : calls) {
    EXPECT_TRUE(call.signature_valid) << call.why;
    EXPECT_EQ(call.access_key_id, "AKIDAGENTSOURCE");
    EXPECT_EQ(call.form.at("Action"), "AssumeRole");
    EXPECT_EQ(call.form.at("RoleArn"), "arn:aws:iam::123456789012:role/agent-writer");
    EXPECT_EQ(call.form.at("ExternalId"), "agent-external-1");
  }
  EXPECT_EQ(r.err.find("agent-source-secret"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kinesis::put_test
