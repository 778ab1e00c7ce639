// Reading small configuration and token files with classified errors.
//
// Pure functions; any thread.
#ifndef KINESIS_AUTH_READ_FILE_H_
#define KINESIS_AUTH_READ_FILE_H_

#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::auth {

// The whole file. kNotFound when it does not exist, kIoError when it cannot be read (naming
// the path, `what` it is and the OS reason), kOutOfRange past 1 MiB. Never quotes the contents.
Result<std::string> ReadSmallFile(const std::string& path, std::string_view what);

// `text` without leading and trailing spaces, tabs and line breaks (token files end in '\n').
std::string TrimWhitespace(std::string_view text);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_READ_FILE_H_
