// matcher_codec over nlohmann_json; its exceptions stop here.
#include "storage/matcher_codec.h"

#include <map>
#include <nlohmann/json.hpp>

namespace herald::storage {

std::string encode_matchers(const Matchers& matchers) {
  nlohmann::json out = nlohmann::json::array();
  for (const Matcher& m : matchers)
    out.push_back({{"name", m.name()}, {"type", to_string(m.type())}, {"value", m.value()}});
  return out.dump();
}

Result<Matchers> decode_matchers(std::string_view text) {
  static const std::map<std::string, MatchType, std::less<>> kTypes = {
      {"=", MatchType::kEqual},
      {"!=", MatchType::kNotEqual},
      {"=~", MatchType::kRegex},
      {"!~", MatchType::kNotRegex}};
  try {
    Matchers out;
    for (const auto& m : nlohmann::json::parse(text)) {
      auto type = kTypes.find(m.at("type").get<std::string>());
      if (type == kTypes.end()) return invalid_input("silence matchers: unknown type");
      Result<Matcher> matcher = Matcher::create(m.at("name").get<std::string>(), type->second,
                                                m.at("value").get<std::string>());
      if (!matcher) return tl::unexpected(matcher.error().with_context("silence matchers"));
      out.push_back(std::move(*matcher));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return invalid_input(std::string("silence matchers: ") + e.what());
  }
}

}  // namespace herald::storage
