// MpscQueue: many producer threads push, one consumer pops; lock-free, intrusive, O(1).
//
// The classic linked-list design: push is one atomic exchange on the tail; the consumer walks
// from a stub node. Push never blocks and never allocates (the node is the element). Pop may
// briefly see a pushed element as "not yet linked" and returns nullptr; the caller tries again
// on its next pass (Empty() says whether anything may still be coming).
//
// Thread safety: Push from any thread; Pop and Empty from one consumer thread only.
#ifndef KINESIS_PIPELINE_MPSC_QUEUE_H_
#define KINESIS_PIPELINE_MPSC_QUEUE_H_

#include <atomic>

namespace kinesis {

// T must have `std::atomic<T*> next`.
template <typename T>
class MpscQueue {
 public:
  MpscQueue() : head_(&stub_), tail_(&stub_) {}

  void Push(T* item) {
    item->next.store(nullptr, std::memory_order_relaxed);
    T* prev = head_.exchange(item, std::memory_order_acq_rel);
    prev->next.store(item, std::memory_order_release);
  }

  // The oldest element, or nullptr when empty (or when a push is half done).
  T* Pop() {
    T* tail = tail_;
    T* next = tail->next.load(std::memory_order_acquire);
    if (tail == &stub_) {
      if (next == nullptr) return nullptr;
      tail_ = next;
      tail = next;
      next = next->next.load(std::memory_order_acquire);
    }
    if (next != nullptr) {
      tail_ = next;
      return tail;
    }
    if (tail != head_.load(std::memory_order_acquire)) return nullptr;  // push in progress
    Push(&stub_);
    next = tail->next.load(std::memory_order_acquire);
    if (next != nullptr) {
      tail_ = next;
      return tail;
    }
    return nullptr;
  }

  // True when nothing has been pushed that is not popped (consumer thread).
  bool Empty() const { return tail_ == &stub_ && head_.load(std::memory_order_acquire) == &stub_; }

 private:
  std::atomic<T*> head_;  // last pushed
  T* tail_;               // next to pop (consumer only)
  T stub_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_MPSC_QUEUE_H_
