/* Talks to the kinesis-sim the CTest fixture started ($KP_BACKEND_DIR/kinesis_sim.port), in C:
 * creates streams and reads back what they hold (libcurl). */
#ifndef KINESIS_TESTS_CAPI_SIM_CLIENT_H_
#define KINESIS_TESTS_CAPI_SIM_CLIENT_H_

#include <stddef.h>

/* The fixture's port, or 0 when there is none. */
int sim_port(void);

/* Creates `stream` with `shards` shards; 1 on success. */
int sim_create_stream(int port, const char* stream, int shards);

/* The body of GET /_sim/records?stream=NAME (malloc'd, the caller frees), or NULL. */
char* sim_records(int port, const char* stream);

/* Decodes base64 `in` (`size` characters) into `out` (room for size * 3 / 4 bytes); returns
 * the bytes written, or (size_t)-1 on a bad character. */
size_t sim_base64_decode(const char* in, size_t size, unsigned char* out);

#endif /* KINESIS_TESTS_CAPI_SIM_CLIENT_H_ */
