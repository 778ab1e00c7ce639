#include "auth/xml_text.h"

#include <cstdint>

#include "auth/utf8.h"

namespace kinesis::auth {
namespace {

std::optional<uint32_t> CharacterReference(std::string_view ref) {
  // ref is what lies between "&#" and ';'.
  int base = 10;
  if (!ref.empty() && (ref[0] == 'x' || ref[0] == 'X')) {
    base = 16;
    ref.remove_prefix(1);
  }
  if (ref.empty() || ref.size() > 8) return std::nullopt;
  uint32_t value = 0;
  for (char c : ref) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = value * base + digit;
  }
  if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string_view> XmlElement(std::string_view xml, std::string_view name) {
  // Built with append: GCC 12 warns wrongly (-Wrestrict) on "</" + std::string(...).
  std::string open("<");
  open.append(name);
  std::string close_tag("</");
  close_tag.append(name).push_back('>');
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t after = pos + open.size();
    if (after < xml.size() && (xml[after] == '>' || xml[after] == '/' || xml[after] == ' ' ||
                               xml[after] == '\t' || xml[after] == '\r' || xml[after] == '\n')) {
      size_t content = xml.find('>', after);
      if (content == std::string_view::npos) return std::nullopt;
      if (xml[content - 1] == '/') return std::string_view();  // <Name/>
      ++content;
      size_t close = xml.find(close_tag, content);
      if (close == std::string_view::npos) return std::nullopt;
      return xml.substr(content, close - content);
    }
    pos = after;
  }
  return std::nullopt;
}

std::optional<std::string> XmlElementText(std::string_view xml, std::string_view name) {
  std::optional<std::string_view> raw = XmlElement(xml, name);
  if (!raw) return std::nullopt;
  std::string out;
  out.reserve(raw->size());
  for (size_t i = 0; i < raw->size(); ++i) {
    char c = (*raw)[i];
    if (c == '<') return std::nullopt;
    if (c != '&') {
      out.push_back(c);
      continue;
    }
    size_t semicolon = raw->find(';', i);
    if (semicolon == std::string_view::npos) return std::nullopt;
    std::string_view entity = raw->substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (!entity.empty() && entity[0] == '#') {
      std::optional<uint32_t> cp = CharacterReference(entity.substr(1));
      if (!cp) return std::nullopt;
      AppendUtf8(*cp, out);
    } else {
      return std::nullopt;
    }
    i = semicolon;
  }
  return out;
}

}  // namespace kinesis::auth
