/* kinesis-producer's C API: the same engine as the C++ Producer, behind opaque handles, for C
 * programs and for bindings (Python, Go, Rust, Node, .NET).
 *
 *   kinesis_config* config = kinesis_config_new();
 *   kinesis_config_set(config, "Region", "us-east-1");
 *   kinesis_producer* producer = NULL;
 *   if (kinesis_producer_new(config, &producer) != KINESIS_OK) {
 *     fprintf(stderr, "%s\n", kinesis_last_error_message());
 *   }
 *   kinesis_config_free(config);   (the producer keeps its own copy)
 *   kinesis_producer_put(producer, "clicks", "user-17", data, size, NULL, on_result, ctx);
 *   kinesis_producer_flush(producer, NULL, 30000);
 *   kinesis_producer_close(producer, 10000);
 *   kinesis_producer_free(producer);
 *
 * The contract is the C++ Producer's (include/kinesis/producer.h, docs/c-api.md): every record
 * accepted by kinesis_producer_put gets exactly one result, delivered either to its callback or,
 * for records put without a callback, to kinesis_producer_poll.
 *
 * Errors: every call that can fail returns a kinesis_status; KINESIS_OK (0) is success. The
 * calling thread's last error (kinesis_last_error_code, kinesis_last_error_message) describes
 * the last call on that thread that returned a kinesis_status, success included. No C++
 * exception crosses this boundary; a NULL handle is an error (KINESIS_INVALID_ARGUMENT), never a
 * crash.
 *
 * Ownership: the caller owns every buffer it passes in and may reuse it once the call returns
 * (the library copies what it keeps). What the library hands out is said at each function: a
 * result's strings belong to the library for the duration of a callback, or until
 * kinesis_results_release for polled results; strings and arrays returned through an out
 * parameter are freed with the function named there.
 *
 * Thread safety: every function may be called from any thread, except that a handle must not
 * be used during or after its _free call. Callbacks run on the producer's callback thread (never
 * on the caller's), one at a time. A callback may put (its own record no longer counts against
 * the buffer budget, and a put from a callback never waits for room: RESOURCE_EXHAUSTED at once
 * when there is none); kinesis_producer_flush and kinesis_producer_close from a callback return
 * KINESIS_FAILED_PRECONDITION at once (they would wait for the callback thread itself) and the
 * producer stays open; a callback must not call kinesis_producer_free
 * (include/kinesis/producer.h, "Callbacks").
 *
 * Symbols: only names starting with kinesis_ are exported, under the symbol version KINESIS_0.
 */
#ifndef KINESIS_C_PRODUCER_H_
#define KINESIS_C_PRODUCER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH". Static storage: never freed. */
const char* kinesis_version(void);

/* ---- Errors ---- */

/* What kind of failure a call had; the values match kinesis::StatusCode and never change. */
typedef enum kinesis_status {
  KINESIS_OK = 0,
  KINESIS_INVALID_ARGUMENT = 1,     /* the input breaks a documented rule (NULL handle too) */
  KINESIS_OUT_OF_RANGE = 2,         /* a number or size outside its limit */
  KINESIS_CORRUPTION = 3,           /* bytes that do not parse (a damaged aggregated record) */
  KINESIS_NOT_FOUND = 4,            /* a file or stream that does not exist */
  KINESIS_IO_ERROR = 5,             /* the operating system refused */
  KINESIS_UNAVAILABLE = 6,          /* retriable: network, 5xx, throttling */
  KINESIS_PERMISSION_DENIED = 7,    /* credentials refused or missing */
  KINESIS_DEADLINE_EXCEEDED = 8,    /* a deadline passed before the work was done */
  KINESIS_RESOURCE_EXHAUSTED = 9,   /* the buffer budget is full (QueueFull) */
  KINESIS_FAILED_PRECONDITION = 10, /* wrong state: the producer is closed */
  KINESIS_INTERNAL = 11             /* a bug in the library */
} kinesis_status;

/* The code of the calling thread's last call (KINESIS_OK when it succeeded). */
kinesis_status kinesis_last_error_code(void);

/* The message of the calling thread's last call ("" when it succeeded): it names the offending
 * value. Owned by the library, valid on this thread until its next kinesis_ call. Never NULL. */
const char* kinesis_last_error_message(void);

/* The name of a code, e.g. "InvalidArgument". Static storage. Never NULL. */
const char* kinesis_status_name(kinesis_status code);

/* ---- Configuration ---- */

/* The settings of a producer, by the KPL's property names (include/kinesis/producer_config.h lists
 * them). */
typedef struct kinesis_config kinesis_config;

/* A configuration with every default. Free with kinesis_config_free. NULL only when out of
 * memory. */
kinesis_config* kinesis_config_new(void);

/* Frees `config`; NULL is a no-op. */
void kinesis_config_free(kinesis_config* config);

/* Sets one setting by its KPL (or our) name, e.g. ("RecordMaxBufferedTime", "100"),
 * ("Region", "eu-west-1"), ("KinesisEndpoint", "http://127.0.0.1:4567"). Unknown names and bad
 * values are errors naming the key (secret values are never echoed). */
kinesis_status kinesis_config_set(kinesis_config* config, const char* key, const char* value);

/* Applies every setting of a KPL .properties file at `path` on top of `config`, then checks the
 * whole configuration. Errors name the file, the line and the key. */
kinesis_status kinesis_config_load_properties(kinesis_config* config, const char* path);

/* ---- Producer ---- */

typedef struct kinesis_producer kinesis_producer;

/* Creates a producer talking to Kinesis over HTTP (SigV4, keep-alive pool), with credentials
 * from the settings or the usual AWS chain. `config` is copied: free it when you like. On
 * success `*out` is a producer to free with kinesis_producer_free; on failure `*out` is NULL. */
kinesis_status kinesis_producer_new(const kinesis_config* config, kinesis_producer** out);

/* One try at sending a record is counted in `attempts`. The strings are NUL-terminated and
 * never NULL ("" when absent). */
typedef struct kinesis_result { /* NOLINT(readability-identifier-naming): C names */
  void* user_data;              /* as given to kinesis_producer_put */
  int success;                  /* 1: written; 0: failed (error_code says why) */
  const char* shard_id;
  const char* sequence_number;
  uint32_t sub_sequence_number; /* index inside its aggregate; 0 when not aggregated */
  int aggregated;
  /* The service's code ("ProvisionedThroughputExceededException", "ResourceNotFoundException")
   * or ours ("Expired", "ProducerClosed", "ListShardsFailed", "NetworkError", "RequestTimeout",
   * "MalformedResponse", "MissingCredentials", "ClientError"): docs/troubleshooting.md. */
  const char* error_code;
  const char* error_message;
  uint32_t attempts;
  void* internal; /* the library's; do not touch */
} kinesis_result;

/* Receives one record's result. `result` and its strings belong to the library and are valid
 * only during the call: copy what you keep. Runs on the producer's callback thread. */
typedef void (*kinesis_put_callback)(const kinesis_result* result, void* user_data);

/* Puts one user record into `stream` (name or ARN). `data` (`size` bytes) and the strings are
 * copied before the call returns. `explicit_hash_key` (decimal, 0 to 2^128-1) may be NULL.
 *
 * Returns KINESIS_OK when the record was accepted: it then gets exactly one result, passed to
 * `callback` with `user_data`, or, when `callback` is NULL, queued for kinesis_producer_poll.
 * Otherwise nothing is queued and no result will come: the record breaks a rule
 * (INVALID_ARGUMENT, OUT_OF_RANGE), the buffer budget is full (RESOURCE_EXHAUSTED, after
 * waiting PutTimeout with the block policy) or the producer is closed (FAILED_PRECONDITION,
 * "ProducerClosed"). May block up to PutTimeout while the buffer budget is full; a close wakes
 * it at once (FAILED_PRECONDITION). */
kinesis_status kinesis_producer_put(kinesis_producer* producer, const char* stream,
                                    const char* partition_key, const void* data, size_t size,
                                    const char* explicit_hash_key, kinesis_put_callback callback,
                                    void* user_data);

/* kinesis_producer_put that never waits for room in the buffer budget: when the budget has no
 * room for the record it returns KINESIS_RESOURCE_EXHAUSTED at once (no QueueFull event is
 * counted), and the caller may retry with kinesis_producer_put to wait. For callers that hold a
 * lock while putting (a Python binding holding the GIL): with room it returns as fast as
 * kinesis_producer_put, without blocking (only another thread filling the budget between the
 * check and the charge can make it wait, up to PutTimeout). Otherwise as kinesis_producer_put. */
kinesis_status kinesis_producer_try_put(kinesis_producer* producer, const char* stream,
                                        const char* partition_key, const void* data, size_t size,
                                        const char* explicit_hash_key,
                                        kinesis_put_callback callback, void* user_data);

/* For runtimes that cannot take callbacks on a foreign thread: moves up to `max` queued results
 * of records put without a callback into `out[0..n)` and returns n, waiting up to `timeout_ms`
 * (0: do not wait; negative: wait for ever) for the first one. A result's strings belong to it
 * until kinesis_results_release(out, n), which every returned result must get. Returns 0 on
 * timeout, and also with a NULL producer or `out` (the last error then says so). May be called
 * from several threads; each result is returned once. */
size_t kinesis_producer_poll(kinesis_producer* producer, kinesis_result* out, size_t max,
                             int64_t timeout_ms);

/* Frees what the `n` polled results in `results` own; NULL is a no-op. */
void kinesis_results_release(kinesis_result* results, size_t n);

/* Sends what is buffered for `stream` (every stream when NULL) and waits until every record put
 * before this call has its result and its callback has run (polled results are queued by
 * then), or `timeout_ms` passes: KINESIS_DEADLINE_EXCEEDED. From a callback:
 * KINESIS_FAILED_PRECONDITION at once. */
kinesis_status kinesis_producer_flush(kinesis_producer* producer, const char* stream,
                                      int64_t timeout_ms);

/* Stops taking records (puts waiting for room fail at once with "ProducerClosed"), flushes for
 * up to `timeout_ms`, then fails every record left with "ProducerClosed". When it returns every
 * record a put accepted has its result and every callback has run. KINESIS_OK when nothing had
 * to be failed; a second close is KINESIS_FAILED_PRECONDITION, and so is a close from a
 * callback, which leaves the producer open. The handle stays valid (puts fail) until
 * kinesis_producer_free. */
kinesis_status kinesis_producer_close(kinesis_producer* producer, int64_t timeout_ms);

/* Closes (10 s deadline) unless closed, then frees the producer and any results not polled.
 * NULL is a no-op. Must not be called from a callback. */
void kinesis_producer_free(kinesis_producer* producer);

/* Records accepted and without a result yet. 0 with a NULL producer. */
uint64_t kinesis_producer_outstanding(const kinesis_producer* producer);

/* The producer's metrics over the last `window_seconds` (1 to 120) as a JSON document
 * (docs/metrics.md, "JSON statistics"). On success `*json` is a NUL-terminated string the
 * caller frees with kinesis_string_free. */
kinesis_status kinesis_producer_metrics_json(const kinesis_producer* producer, int window_seconds,
                                             char** json);

/* Frees a string the library returned; NULL is a no-op. */
void kinesis_string_free(char* s);

/* ---- Deaggregation (consumers) ---- */

/* One user record read out of a Kinesis record. The pointers point into the buffers given to
 * kinesis_deaggregate (the data and the outer keys): they live as long as those do. The strings
 * are not NUL-terminated: use the lengths. */
typedef struct kinesis_user_record { /* NOLINT(readability-identifier-naming) */
  const char* partition_key;
  size_t partition_key_size;
  const char* explicit_hash_key; /* NULL when none */
  size_t explicit_hash_key_size;
  const void* data;
  size_t data_size;
  uint32_t sub_sequence_number; /* index inside the aggregate; 0 for a plain record */
  int aggregated;               /* 0 when the Kinesis record was a plain record */
} kinesis_user_record;

/* Reads the user records of one Kinesis record as GetRecords returned it: `data` and its outer
 * `partition_key` (NUL-terminated), `explicit_hash_key` may be NULL. A plain record passes
 * through as one user record. The checksum is verified; damaged input is KINESIS_CORRUPTION,
 * never a crash. On success `*records` is an array of `*count` records to free with
 * kinesis_user_records_free (NULL when the count is 0). */
kinesis_status kinesis_deaggregate(const void* data, size_t size, const char* partition_key,
                                   const char* explicit_hash_key, kinesis_user_record** records,
                                   size_t* count);

/* Frees an array from kinesis_deaggregate; NULL is a no-op. */
void kinesis_user_records_free(kinesis_user_record* records);

#ifdef __cplusplus
}
#endif

#endif /* KINESIS_C_PRODUCER_H_ */
