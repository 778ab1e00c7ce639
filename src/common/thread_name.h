// Names the calling thread (at most 15 characters are kept), so top -H, perf and gdb show which
// of the producer's threads is which: kp-engine, kp-callbacks, kp-requests, kp-http.
#ifndef KINESIS_COMMON_THREAD_NAME_H_
#define KINESIS_COMMON_THREAD_NAME_H_

#include <pthread.h>

namespace kinesis {

inline void NameThisThread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace kinesis

#endif  // KINESIS_COMMON_THREAD_NAME_H_
