#include "options.h"

#include <gtest/gtest.h>

namespace kinesis::kpl {
namespace {

Result<DaemonOptions> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "kinesis-kpl-daemon");
  return ParseOptions(static_cast<int>(args.size()), args.data());
}

TEST(KplDaemonOptionsTest, TheJavaSidesCommandLineParses) {
  // KPL 0.15.12 and 1.0.x (Daemon.startChildProcess) pass exactly this, in this order.
  auto o = Parse({"-o", "/tmp/amz-aws-kpl-out-pipe-1", "-i", "/tmp/amz-aws-kpl-in-pipe-1", "-c",
                  "08003200", "-k", "0801", "-t", "-w", "0802", "-l", "info"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->java_out_pipe, "/tmp/amz-aws-kpl-out-pipe-1");
  EXPECT_EQ(o->java_in_pipe, "/tmp/amz-aws-kpl-in-pipe-1");
  EXPECT_EQ(o->configuration_hex, "08003200");
  EXPECT_EQ(o->kinesis_credentials_hex, "0801");
  EXPECT_EQ(o->cloudwatch_credentials_hex, "0802");
  EXPECT_EQ(o->log_level, "info");
  EXPECT_TRUE(o->enable_stack_trace);
  EXPECT_TRUE(o->unknown.empty());
}

TEST(KplDaemonOptionsTest, LongFormsAndOurs) {
  auto o = Parse({"--input-pipe", "in", "--output-pipe=out", "--configuration", "00",
                  "--kinesis-credentials", "01", "--ca-path", "/etc/ssl/certs",
                  "--close-timeout-ms", "250", "--future-flag"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->java_in_pipe, "in");
  EXPECT_EQ(o->java_out_pipe, "out");
  EXPECT_EQ(o->ca_path, "/etc/ssl/certs");
  EXPECT_EQ(o->close_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(o->unknown, std::vector<std::string>{"--future-flag"});
}

TEST(KplDaemonOptionsTest, ErrorsNameTheOption) {
  EXPECT_EQ(Parse({"-i", "in", "-o", "out", "-c", "00"}).status().message(),
            "option -k (--kinesis-credentials) is required");
  EXPECT_EQ(Parse({"-i"}).status().message(), "option -i needs a value");
  EXPECT_EQ(Parse({"-i", "a", "-o", "b", "-c", "0", "-k", "1", "--close-timeout-ms", "700000"})
                .status()
                .message(),
            "--close-timeout-ms: \"700000\" is not a number of milliseconds from 0 to 600000");
}

}  // namespace
}  // namespace kinesis::kpl
