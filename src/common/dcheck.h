// KP_DCHECK(condition): states what must be true at that point of the code, and checks it in
// the debug and sanitizer builds (KP_DCHECK_ON, set by cmake/KinesisProducer.cmake for
// CMAKE_BUILD_TYPE Debug and any KP_SANITIZE build). In release builds the condition is not
// evaluated: it costs nothing, so it may be as thorough as the invariant deserves.
//
// A failed check prints the condition, file and line to stderr and aborts: an invariant that
// does not hold means the engine's state is already wrong, and going on would hide where.
#ifndef KINESIS_COMMON_DCHECK_H_
#define KINESIS_COMMON_DCHECK_H_

#include <cstdio>
#include <cstdlib>

#if defined(KP_DCHECK_ON)
#define KP_DCHECK(condition)                                                            \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "%s:%d: KP_DCHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
#else
#define KP_DCHECK(condition) \
  do {                       \
  } while (false && (condition))
#endif

#endif  // KINESIS_COMMON_DCHECK_H_
