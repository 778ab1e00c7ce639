#include "multiline.h"

#include <algorithm>

namespace kinesis::put {

Result<std::shared_ptr<const std::regex>> CompilePattern(std::string_view what,
                                                         const std::string& pattern) {
  if (pattern.empty()) return Status::InvalidArgument(std::string(what) + " must not be empty");
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(std::string(what) + " '" + pattern +
                                   "' is not a regular expression: " + e.what());
  }
}

RecordJoiner::RecordJoiner(std::shared_ptr<const std::regex> start, uint64_t max_size)
    : start_(std::move(start)), pending_(max_size) {}

void RecordJoiner::Feed(const Frame& line, const FrameSink& sink) {
  bool starts = std::regex_search(line.data.begin(), line.data.end(), *start_,
                                  std::regex_constants::match_continuous);
  if (starts) Flush(sink);
  if (lines_ > 0) pending_.Append("\n", 1);
  pending_.Append(line.data, line.size);
  ++lines_;
  end_offset_ = line.end_offset;
  end_line_ = line.line;
  last_line_ = std::chrono::steady_clock::now();
}

void RecordJoiner::Flush(const FrameSink& sink) {
  if (lines_ == 0) return;
  Frame frame;
  pending_.Fill(&frame);
  frame.line = end_line_;
  frame.end_offset = end_offset_;
  sink(frame);
  pending_.Clear();
  lines_ = 0;
}

}  // namespace kinesis::put
