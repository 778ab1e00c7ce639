// Recycler: objects handed out by one thread and given back by others, recycled without the
// allocator.
//
// kinesis-put keeps a little state for every record between its put and its result, in blocks
// of records (PutRunner::InFlightBlock). Allocated, a state was one malloc on the reading thread
// and one free on the producer's callback thread, glibc's slowest pattern (the freeing thread's
// cache fills, the allocating thread's stays empty, both go to the arena: 8% of the reading thread
// in perf at 100-byte records). Here the reading thread takes from a private list and refills it, a
// whole list at a time, from what the other threads gave back: one lock per refill on the taking
// side, an uncontended one per object on the giving side.
//
// Give resets the object, so what it held is released by the giving thread: with its Reset()
// when T has one, else by assigning T{}.
//
// Thread safety: Take from one thread only; Give from any thread.
#ifndef KINESIS_PUT_RECYCLER_H_
#define KINESIS_PUT_RECYCLER_H_

#include <memory>
#include <mutex>
#include <vector>

namespace kinesis::put {

template <typename T>
class Recycler {
 public:
  // A new or reset object, for the taking thread.
  T* Take() {
    if (taken_.empty()) {
      std::lock_guard lock(mu_);
      taken_.swap(given_);
    }
    if (taken_.empty()) {
      std::lock_guard lock(mu_);
      owned_.push_back(std::make_unique<T>());
      return owned_.back().get();
    }
    T* object = taken_.back();
    taken_.pop_back();
    return object;
  }

  void Give(T* object) {
    if constexpr (requires { object->Reset(); }) {
      object->Reset();
    } else {
      *object = T{};
    }
    std::lock_guard lock(mu_);
    given_.push_back(object);
  }

 private:
  std::vector<T*> taken_;  // the taking thread's
  // A cache line apart from taken_, which the taking thread changes at every Take.
  alignas(64) std::mutex mu_;
  std::vector<T*> given_;                  // guarded by mu_
  std::vector<std::unique_ptr<T>> owned_;  // guarded by mu_; every object ever made
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_RECYCLER_H_
