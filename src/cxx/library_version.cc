#include "kinesis/version.h"

namespace kinesis {

const char* LibraryVersion() { return KINESIS_PRODUCER_VERSION; }

}  // namespace kinesis
