#include "data_processing.h"

#include <gtest/gtest.h>

namespace kinesis::put {
namespace {

std::string Convert(std::vector<ProcessingStep> steps, std::string_view data,
                    bool* kept = nullptr) {
  auto p = DataProcessor::Create(std::move(steps));
  EXPECT_TRUE(p.ok()) << p.status().message();
  std::string out;
  bool k = (*p)->Process(data, &out);
  if (kept != nullptr) *kept = k;
  return k ? out : "<dropped>";
}

ProcessingStep Step(ProcessingStep::Kind kind) {
  ProcessingStep s;
  s.kind = kind;
  return s;
}

TEST(DataProcessingTest, SingleLineTrimsAndJoins) {
  auto s = Step(ProcessingStep::Kind::kSingleLine);
  EXPECT_EQ(Convert({s}, "Exception: boom\n  at a\n  at b\n"), "Exception: boomat aat b\n");
  s.escape_newline = true;
  s.no_trim = true;
  EXPECT_EQ(Convert({s}, "x\n  y\n"), "x\\\\n  y\n");
}

TEST(DataProcessingTest, CsvToJsonWithTabsAndMissingColumns) {
  auto s = Step(ProcessingStep::Kind::kCsvToJson);
  s.field_names = std::vector<std::string>{"field1", "field2", "field3"};
  s.delimiter = "\\t";
  EXPECT_EQ(Convert({s}, "a\t\"b\"\n"),
            "{\"field1\":\"a\",\"field2\":\"\\\"b\\\"\",\"field3\":null}\n");
  s.delimiter = ",";
  EXPECT_EQ(Convert({s}, "1,2,3,4\n"), "{\"field1\":\"1\",\"field2\":\"2\",\"field3\":\"3\"}\n");
}

TEST(DataProcessingTest, LogToJsonApacheFormats) {
  auto s = Step(ProcessingStep::Kind::kLogToJson);
  s.log_format = "COMMONAPACHELOG";
  EXPECT_EQ(Convert({s},
                    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" "
                    "200 2326\n"),
            "{\"host\":\"127.0.0.1\",\"ident\":null,\"authuser\":\"frank\",\"datetime\":\"10/"
            "Oct/2000:13:55:36 -0700\",\"request\":\"GET /a.gif HTTP/1.0\",\"response\":\"200\","
            "\"bytes\":\"2326\"}\n");
  s.log_format = "COMBINEDAPACHELOG";
  EXPECT_EQ(Convert({s},
                    "h.example.com - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 304 - "
                    "\"http://r/\" \"curl/8\"\n"),
            "{\"host\":\"h.example.com\",\"ident\":null,\"authuser\":null,\"datetime\":\"10/Oct/"
            "2000:13:55:36 -0700\",\"request\":\"GET / HTTP/1.1\",\"response\":\"304\","
            "\"bytes\":null,\"referer\":\"http://r/\",\"agent\":\"curl/8\"}\n");
  s.log_format = "APACHEERRORLOG";
  EXPECT_EQ(Convert({s},
                    "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] "
                    "[client 72.15.99.187] File does not exist: /a\n"),
            "{\"timestamp\":\"Fri Sep 09 10:42:29.902022 2011\",\"module\":\"core\","
            "\"severity\":\"error\",\"processid\":\"35708\",\"threadid\":\"4328636416\","
            "\"client\":\"72.15.99.187\",\"message\":\"File does not exist: /a\"}\n");
  bool kept = true;
  Convert({s}, "not an apache line\n", &kept);
  EXPECT_FALSE(kept);
}

TEST(DataProcessingTest, LogToJsonSyslogAndCustomPatterns) {
  auto s = Step(ProcessingStep::Kind::kLogToJson);
  s.log_format = "SYSLOG";
  EXPECT_EQ(Convert({s}, "Mar 12 12:00:08 server2 rcd[308]: Loaded 12 packages\n"),
            "{\"timestamp\":\"Mar 12 12:00:08\",\"hostname\":\"server2\",\"program\":\"rcd\","
            "\"processid\":\"308\",\"message\":\"Loaded 12 packages\"}\n");
  s.log_format = "RFC3339SYSLOG";
  EXPECT_EQ(Convert({s}, "2019-03-12T12:00:08.123+00:00 host cron: ran\n"),
            "{\"timestamp\":\"2019-03-12T12:00:08.123+00:00\",\"hostname\":\"host\","
            "\"program\":\"cron\",\"processid\":null,\"message\":\"ran\"}\n");
  s.field_names = std::vector<std::string>{"t", "h", "p", "pid", "m"};
  EXPECT_EQ(Convert({s}, "2019-03-12T12:00:08Z h p[1]: m\n"),
            "{\"t\":\"2019-03-12T12:00:08Z\",\"h\":\"h\",\"p\":\"p\",\"pid\":\"1\",\"m\":\"m\"}\n");
  s.match_pattern = "^(\\w+) (\\d+)$";
  s.field_names = std::vector<std::string>{"word", "n"};
  EXPECT_EQ(Convert({s}, "abc 42\n"), "{\"word\":\"abc\",\"n\":\"42\"}\n");
}

TEST(DataProcessingTest, MetadataBracketsAndChains) {
  auto meta = Step(ProcessingStep::Kind::kAddMetadata);
  meta.metadata_json = "{\"env\":\"prod\"}";
  EXPECT_EQ(Convert({meta}, "x\"y\n"), "{\"metadata\":{\"env\":\"prod\"},\"data\":\"x\\\"y\"}\n");
  meta.timestamp = true;
  std::string with_ts = Convert({meta}, "x\n");
  EXPECT_EQ(with_ts.rfind("{\"ts\":\"20", 0), 0u) << with_ts;
  EXPECT_EQ(with_ts.size(),
            std::string("{\"ts\":\"2024-01-01T00:00:00.000Z\",").size() +
                std::string("\"metadata\":{\"env\":\"prod\"},\"data\":\"x\"}\n").size());
  EXPECT_EQ(Convert({Step(ProcessingStep::Kind::kAddBrackets)}, "\"a\":1\n"), "{\"a\":1\n}");
  auto single = Step(ProcessingStep::Kind::kSingleLine);
  auto csv = Step(ProcessingStep::Kind::kCsvToJson);
  csv.field_names = std::vector<std::string>{"a", "b"};
  EXPECT_EQ(Convert({single, csv, Step(ProcessingStep::Kind::kAddBrackets)}, "1,\n 2\n"),
            "{{\"a\":\"1\",\"b\":\"2\"}\n}");
}

TEST(DataProcessingTest, BadOptionsAreNamed) {
  auto log = Step(ProcessingStep::Kind::kLogToJson);
  log.log_format = "NGINX";
  auto bad = DataProcessor::Create({log});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("logFormat 'NGINX'"), std::string::npos);
  log.log_format = "SYSLOG";
  log.field_names = std::vector<std::string>{"a"};
  bad = DataProcessor::Create({log});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("has 1 names; SYSLOG has 5"), std::string::npos);
  log.match_pattern = "([a-";
  bad = DataProcessor::Create({log});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("matchPattern '([a-'"), std::string::npos);
  EXPECT_FALSE(DataProcessor::Create({Step(ProcessingStep::Kind::kCsvToJson)}).ok());
}

}  // namespace
}  // namespace kinesis::put
