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
    : start_(std::move(start)), max_size_(max_size) {}

void RecordJoiner::Feed(const Frame& line, const FrameSink& sink) {
  bool starts = std::regex_search(line.data.begin(), line.data.end(), *start_,
                                  std::regex_constants::match_continuous);
  if (starts) Flush(sink);
  if (lines_ > 0) Append("\n", 1);
  Append(line.data, line.size);
  ++lines_;
  end_offset_ = line.end_offset;
  end_line_ = line.line;
  last_line_ = std::chrono::steady_clock::now();
}

void RecordJoiner::Append(std::string_view bytes, uint64_t real_size) {
  pending_size_ += real_size;
  if (pending_.size() <= max_size_) {
    size_t room = max_size_ + 1 - pending_.size();
    pending_.append(bytes.substr(0, std::min(room, bytes.size())));
  }
}

void RecordJoiner::Flush(const FrameSink& sink) {
  if (lines_ == 0) return;
  Frame frame;
  frame.oversized = pending_size_ > max_size_;
  frame.size = pending_size_;
  frame.data = std::string_view(pending_).substr(0, std::min<uint64_t>(pending_.size(), max_size_));
  frame.line = end_line_;
  frame.end_offset = end_offset_;
  sink(frame);
  pending_.clear();
  pending_size_ = 0;
  lines_ = 0;
}

}  // namespace kinesis::put
