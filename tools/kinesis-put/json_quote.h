// JsonQuote: a string as a JSON string literal, for the JSON kinesis-put writes (the summary,
// the Kinesis Agent's conversions). '"' and '\\' are escaped, control characters too (the
// short forms \n \r \t \b \f, as Jackson writes them, else \u00XX); other bytes are copied.
//
// Thread safety: a pure function.
#ifndef KINESIS_PUT_JSON_QUOTE_H_
#define KINESIS_PUT_JSON_QUOTE_H_

#include <string>
#include <string_view>

namespace kinesis::put {

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_JSON_QUOTE_H_
