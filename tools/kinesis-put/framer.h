// Framer: cuts an input byte stream into records, one per line or one per length-prefixed
// frame, and says where each ends (byte offset, line number) so a checkpoint can resume there.
//
//   Framer framer(InputFormat::kLines, /*max_size=*/1 << 20);
//   framer.Feed(chunk, [](const Frame& f) { ... });   // as often as bytes arrive
//   framer.Finish(on_frame);                         // at end of input
//
// Formats:
//   kLines, kJsonLines  one record per '\n'-terminated line, without the '\n'; blank lines are
//                       skipped; a last line without '\n' is a record at Finish().
//   kBinary             a 4-byte big-endian length, then that many bytes (binary-safe).
// A record longer than `max_size` is not held in memory: its frame has `oversized` set, the
// real `size`, and only a prefix of the data.
//
// Thread safety: one thread at a time.
#ifndef KINESIS_PUT_FRAMER_H_
#define KINESIS_PUT_FRAMER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kinesis::put {

enum class InputFormat { kLines, kJsonLines, kBinary };

struct Frame {
  std::string_view data;    // valid during the callback only
  uint64_t line = 0;        // 1-based line (text) or record number (binary)
  uint64_t end_offset = 0;  // byte offset just past the frame, its newline included
  uint64_t size = 0;        // the record's real size (data.size() unless oversized)
  bool oversized = false;   // longer than max_size; data holds a prefix
  bool truncated = false;   // binary: the input ended inside the frame
};

using FrameSink = std::function<void(const Frame&)>;

// A record being put together, of which at most max_size + 1 bytes are held: enough to tell
// that it is too long without holding all of it.
class HeldRecord {
 public:
  explicit HeldRecord(uint64_t max_size) : max_size_(max_size) {}
  // Adds `bytes`, which stand for `real_size` bytes of the record (more when a prefix).
  void Append(std::string_view bytes, uint64_t real_size);
  // Sets the frame's data (valid until Clear), size and oversized from what is held.
  void Fill(Frame* frame) const;
  void Clear() {
    held_.clear();
    size_ = 0;
  }
  uint64_t size() const { return size_; }  // the real size so far

 private:
  uint64_t max_size_;
  std::string held_;
  uint64_t size_ = 0;
};

class Framer {
 public:
  // Starts at byte `offset` of the input, after `line` lines (a checkpoint's position).
  Framer(InputFormat format, uint64_t max_size, uint64_t offset = 0, uint64_t line = 0);

  void Feed(std::string_view bytes, const FrameSink& sink);
  // End of input: emits a last unterminated line, or a truncated binary frame.
  void Finish(const FrameSink& sink);

  // Offset just past the last byte fed.
  uint64_t offset() const { return offset_; }
  // True while part of a record has been fed but not emitted.
  bool has_partial() const { return pending_.size() > 0 || !header_.empty() || in_frame_; }

 private:
  void FeedLines(std::string_view bytes, const FrameSink& sink);
  void FeedBinary(std::string_view bytes, const FrameSink& sink);
  void Emit(const FrameSink& sink, bool truncated);
  // A record found whole in the bytes fed, not longer than max_size: handed on where it is,
  // without being copied into pending_ first.
  void EmitWhole(const FrameSink& sink, std::string_view data);

  InputFormat format_;
  uint64_t max_size_;
  uint64_t offset_;
  uint64_t line_;
  HeldRecord pending_;       // the current record
  std::string header_;       // binary: length bytes read so far (0..4)
  uint64_t frame_size_ = 0;  // binary: the current frame's declared length
  bool in_frame_ = false;    // binary: header complete, reading data
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_FRAMER_H_
