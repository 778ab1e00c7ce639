#include "framer.h"

#include <algorithm>

namespace kinesis::put {

void HeldRecord::Append(std::string_view bytes, uint64_t real_size) {
  size_ += real_size;
  if (held_.size() <= max_size_) {
    size_t room = max_size_ + 1 - held_.size();
    held_.append(bytes.substr(0, std::min(room, bytes.size())));
  }
}

void HeldRecord::Fill(Frame* frame) const {
  frame->oversized = size_ > max_size_;
  frame->size = size_;
  frame->data = std::string_view(held_).substr(0, std::min<uint64_t>(held_.size(), max_size_));
}

Framer::Framer(InputFormat format, uint64_t max_size, uint64_t offset, uint64_t line)
    : format_(format), max_size_(max_size), offset_(offset), line_(line), pending_(max_size) {}

void Framer::Feed(std::string_view bytes, const FrameSink& sink) {
  if (format_ == InputFormat::kBinary) {
    FeedBinary(bytes, sink);
  } else {
    FeedLines(bytes, sink);
  }
}

void Framer::Finish(const FrameSink& sink) {
  if (format_ == InputFormat::kBinary) {
    if (in_frame_ || !header_.empty()) {
      ++line_;
      Emit(sink, /*truncated=*/true);
    }
    header_.clear();
    in_frame_ = false;
    return;
  }
  if (pending_.size() > 0) {
    ++line_;
    Emit(sink, /*truncated=*/false);
  }
}

void Framer::Emit(const FrameSink& sink, bool truncated) {
  Frame frame;
  pending_.Fill(&frame);
  frame.line = line_;
  frame.end_offset = offset_;
  frame.truncated = truncated;
  sink(frame);
  pending_.Clear();
}

void Framer::EmitWhole(const FrameSink& sink, std::string_view data) {
  Frame frame;
  frame.data = data;
  frame.size = data.size();
  frame.line = line_;
  frame.end_offset = offset_;
  sink(frame);
}

void Framer::FeedLines(std::string_view bytes, const FrameSink& sink) {
  while (!bytes.empty()) {
    size_t newline = bytes.find('\n');
    if (newline != std::string_view::npos && pending_.size() == 0 && newline <= max_size_) {
      offset_ += newline + 1;
      ++line_;
      if (newline > 0) EmitWhole(sink, bytes.substr(0, newline));
      bytes.remove_prefix(newline + 1);
      continue;
    }
    if (newline == std::string_view::npos) {
      pending_.Append(bytes, bytes.size());
      offset_ += bytes.size();
      return;
    }
    pending_.Append(bytes.substr(0, newline), newline);
    offset_ += newline + 1;
    ++line_;
    if (pending_.size() > 0) Emit(sink, /*truncated=*/false);
    bytes.remove_prefix(newline + 1);
  }
}

void Framer::FeedBinary(std::string_view bytes, const FrameSink& sink) {
  while (!bytes.empty()) {
    if (!in_frame_) {
      size_t take = std::min<size_t>(4 - header_.size(), bytes.size());
      header_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      offset_ += take;
      if (header_.size() < 4) return;
      frame_size_ = 0;
      for (unsigned char c : header_) frame_size_ = (frame_size_ << 8) | c;
      header_.clear();
      in_frame_ = true;
      if (frame_size_ <= bytes.size() && frame_size_ <= max_size_) {
        size_t size = static_cast<size_t>(frame_size_);
        offset_ += size;
        ++line_;
        in_frame_ = false;
        EmitWhole(sink, bytes.substr(0, size));
        bytes.remove_prefix(size);
        continue;
      }
    }
    size_t take =
        static_cast<size_t>(std::min<uint64_t>(frame_size_ - pending_.size(), bytes.size()));
    pending_.Append(bytes.substr(0, take), take);
    bytes.remove_prefix(take);
    offset_ += take;
    if (pending_.size() == frame_size_) {
      ++line_;
      in_frame_ = false;
      Emit(sink, /*truncated=*/false);
    }
  }
}

}  // namespace kinesis::put
