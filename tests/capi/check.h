/* A few macros for tests written in C: CHECK counts a failed condition and goes on, RUN_TEST
 * runs a test function and prints its outcome, FINISH prints "N passed, N failed" and gives the
 * exit status. */
#ifndef KINESIS_TESTS_CAPI_CHECK_H_
#define KINESIS_TESTS_CAPI_CHECK_H_

#include <stdio.h>

static int check_failures_ = 0;
static int tests_passed_ = 0;
static int tests_failed_ = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++check_failures_;                                                       \
    }                                                                          \
  } while (0)

/* CHECK that a kinesis_ call returned `expected`, showing the last error when not. */
#define CHECK_STATUS(call, expected)                                                          \
  do {                                                                                        \
    kinesis_status got_ = (call);                                                             \
    if (got_ != (expected)) {                                                                 \
      fprintf(stderr, "%s:%d: %s returned %s (%s), expected %s\n", __FILE__, __LINE__, #call, \
              kinesis_status_name(got_), kinesis_last_error_message(),                        \
              kinesis_status_name(expected));                                                 \
      ++check_failures_;                                                                      \
    }                                                                                         \
  } while (0)

#define RUN_TEST(fn)                  \
  do {                                \
    int before_ = check_failures_;    \
    printf("[ RUN  ] %s\n", #fn);     \
    fflush(stdout);                   \
    fn();                             \
    if (check_failures_ == before_) { \
      ++tests_passed_;                \
      printf("[  OK  ] %s\n", #fn);   \
    } else {                          \
      ++tests_failed_;                \
      printf("[ FAIL ] %s\n", #fn);   \
    }                                 \
    fflush(stdout);                   \
  } while (0)

#define FINISH() \
  (printf("%d passed, %d failed\n", tests_passed_, tests_failed_), tests_failed_ == 0 ? 0 : 1)

#endif /* KINESIS_TESTS_CAPI_CHECK_H_ */
