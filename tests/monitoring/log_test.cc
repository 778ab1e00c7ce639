#include "common/log.h"

#include <gtest/gtest.h>

#include <thread>

namespace kinesis {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A logger writing into a vector, on a clock the test moves.
class LogTest : public ::testing::Test {
 protected:
  LogTest() {
    logger_.SetSink([this](const LogEntry& e) { entries_.push_back(e); });
    logger_.SetClockForTesting([this] { return now_; });
  }
  Logger logger_;
  std::vector<LogEntry> entries_;  // the sink runs under the logger's lock
  std::chrono::steady_clock::time_point now_{seconds(1000)};
};

TEST_F(LogTest, LineHasTimeLevelComponentMessageAndFields) {
  logger_.Log(LogLevel::kWarning, "pipeline", "record throttled",
              {{"stream", "orders"},
               {"shard", "shardId-000000000001"},
               {"code", "ProvisionedThroughputExceededException"},
               {"attempt", "3"}});
  ASSERT_EQ(entries_.size(), 1u);
  const std::string& line = entries_[0].line;
  // 2026-11-25T06:30:00.123Z: 24 characters, then the level.
  ASSERT_GT(line.size(), 25u);
  EXPECT_EQ(line[4], '-');
  EXPECT_EQ(line[10], 'T');
  EXPECT_EQ(line[23], 'Z');
  EXPECT_EQ(line.substr(24),
            " WARNING [pipeline] record throttled stream=orders shard=shardId-000000000001 "
            "code=ProvisionedThroughputExceededException attempt=3");
  EXPECT_EQ(entries_[0].fields.size(), 4u);
  EXPECT_EQ(entries_[0].component, "pipeline");
}

TEST_F(LogTest, BelowLevelIsDropped) {
  logger_.SetLevel(LogLevel::kWarning);
  logger_.Log(LogLevel::kInfo, "c", "info");
  logger_.Log(LogLevel::kDebug, "c", "debug");
  logger_.Log(LogLevel::kError, "c", "error");
  ASSERT_EQ(entries_.size(), 1u);
  EXPECT_EQ(entries_[0].level, LogLevel::kError);
  EXPECT_FALSE(logger_.Enabled(LogLevel::kInfo));
  EXPECT_TRUE(logger_.Enabled(LogLevel::kWarning));
}

TEST_F(LogTest, ValuesAreQuotedAndNewlinesCannotForgeLines) {
  logger_.Log(LogLevel::kError, "http", "bad\nanswer", {{"body", "a \"b\"\nERROR forged"}});
  ASSERT_EQ(entries_.size(), 1u);
  EXPECT_EQ(entries_[0].line.find('\n'), std::string::npos);
  EXPECT_NE(entries_[0].line.find("bad\\nanswer body=\"a \\\"b\\\"\\nERROR forged\""),
            std::string::npos)
      << entries_[0].line;
}

TEST_F(LogTest, StormBecomesBurstThenSuppressedCount) {
  logger_.SetRateLimit({3, seconds(10)});
  for (int i = 0; i < 100; ++i) {
    logger_.Log(LogLevel::kWarning, "pipeline", "record throttled", {{"attempt", "1"}});
  }
  logger_.Log(LogLevel::kError, "pipeline", "other problem");  // its own key
  ASSERT_EQ(entries_.size(), 4u);
  EXPECT_EQ(entries_[3].message, "other problem");
  EXPECT_EQ(logger_.lines_suppressed(), 97u);

  now_ += seconds(11);  // the window is over: the next line reports what was left out
  logger_.Log(LogLevel::kWarning, "pipeline", "record throttled", {{"attempt", "2"}});
  ASSERT_EQ(entries_.size(), 6u);
  EXPECT_EQ(entries_[4].message, "record throttled (97 similar messages suppressed)");
  EXPECT_EQ(entries_[4].suppressed, 97u);
  EXPECT_EQ(entries_[5].message, "record throttled");
  EXPECT_EQ(logger_.lines_written(), 6u);
}

TEST_F(LogTest, FlushSuppressedReportsPendingCounts) {
  logger_.SetRateLimit({1, seconds(10)});
  for (int i = 0; i < 5; ++i) logger_.Log(LogLevel::kError, "auth", "refresh failed");
  ASSERT_EQ(entries_.size(), 1u);
  logger_.FlushSuppressed();
  ASSERT_EQ(entries_.size(), 2u);
  EXPECT_EQ(entries_[1].message, "refresh failed (4 similar messages suppressed)");
  EXPECT_EQ(entries_[1].level, LogLevel::kError);
  logger_.FlushSuppressed();  // nothing left to report
  EXPECT_EQ(entries_.size(), 2u);
}

TEST_F(LogTest, ZeroBurstMeansNoLimit) {
  logger_.SetRateLimit({0, seconds(10)});
  for (int i = 0; i < 50; ++i) logger_.Log(LogLevel::kInfo, "c", "same");
  EXPECT_EQ(entries_.size(), 50u);
}

TEST_F(LogTest, SecretsNeverReachTheSink) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const std::string token = "FQoGZXIvYXdzEPT//////////wEaDEXAMPLETOKEN";
  const std::string password = "hunter2-proxy-pass";
  logger_.AddSecret(password);
  logger_.Log(LogLevel::kError, "auth", "refresh failed",
              {{"aws_secret_access_key", secret},
               {"SessionToken", token},
               {"Authorization", "AWS4-HMAC-SHA256 Signature=abc"},
               {"proxy-password", password},
               {"note", "proxy password is " + password}});
  logger_.Log(LogLevel::kError, "config", "connecting with " + password);
  ASSERT_EQ(entries_.size(), 2u);
  for (const LogEntry& e : entries_) {
    for (const std::string& s : {secret, token, password, std::string("Signature=abc")}) {
      EXPECT_EQ(e.line.find(s), std::string::npos) << e.line;
      EXPECT_EQ(e.message.find(s), std::string::npos);
      for (const auto& [key, value] : e.fields) EXPECT_EQ(value.find(s), std::string::npos);
    }
  }
  EXPECT_EQ(entries_[0].fields[0].second, "<redacted>");
  EXPECT_EQ(entries_[0].fields[4].second, "proxy password is <redacted>");
  EXPECT_EQ(entries_[1].message, "connecting with <redacted>");
}

TEST(LogFieldNames, SecretNames) {
  for (const char* name :
       {"secret", "AwsSecretKey", "aws_secret_access_key", "ProxyPassword", "x-amz-security-token",
        "session_token", "Authorization", "credentials", "private-key"}) {
    EXPECT_TRUE(IsSecretFieldName(name)) << name;
  }
  for (const char* name : {"stream", "shard", "code", "attempt", "access_key_id", "region"}) {
    EXPECT_FALSE(IsSecretFieldName(name)) << name;
  }
}

TEST(LogConcurrency, ManyThreadsEveryLineWhole) {
  Logger logger;
  std::vector<std::string> lines;
  logger.SetSink([&](const LogEntry& e) { lines.push_back(e.line); });
  logger.SetRateLimit({0, seconds(1)});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&logger, t] {
      for (int i = 0; i < 200; ++i) {
        logger.Log(LogLevel::kInfo, "t", "message", {{"thread", std::to_string(t)}});
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(lines.size(), 800u);
  for (const std::string& line : lines)
    EXPECT_NE(line.find("INFO [t] message thread="), std::string::npos);
}

TEST(LogDefault, GlobalLoggerIsOneInstance) {
  EXPECT_EQ(&Logger::Get(), &Logger::Get());
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "DEBUG");
}

}  // namespace
}  // namespace kinesis
