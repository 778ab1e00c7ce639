// MpscRing: many producer threads push pointers, one consumer pops them; lock-free, bounded.
//
// A ring of cells, each with a sequence number that says whose turn it is (the bounded queue
// of Dmitry Vyukov's design): a push claims a position with one compare-and-swap on the tail
// and publishes the pointer by advancing the cell's sequence; the consumer reads cells in
// order. Unlike a linked list, where the consumer learns where the next element is only after
// the cache miss on the current one, the pointers lie in an array: the consumer can look a few
// cells ahead (Peek) and prefetch the elements, which were written on other cores.
//
// Push fails when the ring is full, or closed (Close: no push succeeds after it, and every
// push that succeeded before it is still popped); the caller decides whether to wait. Pop returns nullptr
// when empty, or when the oldest claimed cell is not yet published (a push half done): Empty()
// then still says false.
//
// Thread safety: TryPush and Close from any thread; Pop, Peek and Empty from one consumer
// thread only.
#ifndef KINESIS_PIPELINE_MPSC_RING_H_
#define KINESIS_PIPELINE_MPSC_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace kinesis {

template <typename T>
class MpscRing {
 public:
  // `capacity`: a power of two.
  explicit MpscRing(size_t capacity) : mask_(capacity - 1), cells_(new Cell[capacity]) {
    for (size_t i = 0; i < capacity; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
  }
  MpscRing(const MpscRing&) = delete;
  MpscRing& operator=(const MpscRing&) = delete;

  size_t capacity() const { return mask_ + 1; }

  bool TryPush(T* item) {
    uint64_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      // Closed: the bit fails the compare-and-swap below too, so a push either claimed its
      // position before Close or sees the bit here.
      if ((pos & kClosed) != 0) return false;
      Cell& cell = cells_[pos & mask_];
      uint64_t seq = cell.seq.load(std::memory_order_acquire);
      auto lag = static_cast<int64_t>(seq - pos);
      if (lag == 0) {
        // Sequentially consistent, as is Empty(): a consumer that announces it will sleep and
        // then finds the ring empty, and a producer that pushes and then looks for that
        // announcement, must not both miss each other.
        if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          cell.item = item;
          cell.seq.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (lag < 0) {
        return false;  // the cell still holds an item from one lap ago: full
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
  }

  // The oldest item, or nullptr.
  T* Pop() {
    Cell& cell = cells_[head_ & mask_];
    if (cell.seq.load(std::memory_order_acquire) != head_ + 1) return nullptr;
    T* item = cell.item;
    cell.seq.store(head_ + mask_ + 1, std::memory_order_release);
    ++head_;
    return item;
  }

  // The item `ahead` places after the oldest, if it is published; for prefetching.
  T* Peek(size_t ahead) const {
    uint64_t pos = head_ + ahead;
    const Cell& cell = cells_[pos & mask_];
    return cell.seq.load(std::memory_order_acquire) == pos + 1 ? cell.item : nullptr;
  }

  // True when every claimed position has been popped.
  bool Empty() const { return (tail_.load(std::memory_order_seq_cst) & ~kClosed) == head_; }

  // Refuses every push from now on (TryPush returns false). Idempotent.
  void Close() { tail_.fetch_or(kClosed, std::memory_order_seq_cst); }

 private:
  struct Cell {
    std::atomic<uint64_t> seq;
    T* item = nullptr;
  };

  static constexpr uint64_t kClosed = uint64_t{1} << 63;  // in tail_; positions never reach it

  const uint64_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<uint64_t> tail_{0};  // next position to claim
  alignas(64) uint64_t head_ = 0;              // next position to pop (consumer only)
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_MPSC_RING_H_
