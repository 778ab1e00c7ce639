// Just enough XML to read AWS query-API answers (STS): the text of the first element with a
// given name inside another, with the five predefined entities and numeric character
// references decoded. Not a general XML parser: no DTDs, no CDATA, no namespaces beyond
// ignoring attributes.
//
// Pure functions; any thread.
#ifndef KINESIS_AUTH_XML_TEXT_H_
#define KINESIS_AUTH_XML_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace kinesis::auth {

// The raw inner text of the first <name ...>...</name> in `xml` (the element's content, still
// escaped), or nullopt when there is no such element or it is not closed.
std::optional<std::string_view> XmlElement(std::string_view xml, std::string_view name);

// XmlElement, then entity-decoded; nullopt also when the text holds a malformed entity or a
// child element.
std::optional<std::string> XmlElementText(std::string_view xml, std::string_view name);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_XML_TEXT_H_
