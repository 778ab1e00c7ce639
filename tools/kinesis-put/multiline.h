// RecordJoiner: joins the lines of a text file into multi-line records, as the Kinesis Agent's
// multiLineStartPattern does: a line that matches the start pattern (at its beginning, like
// Java's Matcher.lookingAt) begins a new record; any other line is appended to the record
// being built, after a '\n'. Lines before the first start line form a record of their own.
//
//   RecordJoiner joiner(std::regex("^\\d{4}-"), /*max_size=*/1 << 20);
//   framer.Feed(bytes, [&](const Frame& line) { joiner.Feed(line, sink); });
//   joiner.Flush(sink);  // the writer went quiet, or the file ended
//
// A record is emitted when the next start line arrives, or at Flush(). Its frame ends where
// its last line ends (end_offset, line), so a checkpoint taken while a record is being built
// stays before its first line and a restart reads the whole record again. Like the Framer, a
// record longer than `max_size` keeps only a prefix (oversized, with its real size).
//
// Thread safety: one thread at a time.
#ifndef KINESIS_PUT_MULTILINE_H_
#define KINESIS_PUT_MULTILINE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <regex>
#include <string>

#include "framer.h"
#include "kinesis/status.h"

namespace kinesis::put {

// Compiles a pattern (ECMAScript syntax, as std::regex takes it); the error names `what` and
// the pattern.
Result<std::shared_ptr<const std::regex>> CompilePattern(std::string_view what,
                                                         const std::string& pattern);

class RecordJoiner {
 public:
  RecordJoiner(std::shared_ptr<const std::regex> start, uint64_t max_size);

  // Takes the next line of the file; emits the record being built when `line` starts a new
  // one.
  void Feed(const Frame& line, const FrameSink& sink);
  // Emits the record being built, if any.
  void Flush(const FrameSink& sink);

  bool has_pending() const { return lines_ > 0; }
  // When the last line was fed (steady clock).
  std::chrono::steady_clock::time_point last_line() const { return last_line_; }

 private:
  std::shared_ptr<const std::regex> start_;
  HeldRecord pending_;       // the record being built
  uint64_t lines_ = 0;       // lines in it
  uint64_t end_offset_ = 0;  // where its last line ends
  uint64_t end_line_ = 0;    // its last line's number
  std::chrono::steady_clock::time_point last_line_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_MULTILINE_H_
