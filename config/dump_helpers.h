// Internal to config/: YAML emitting helpers shared by the config dump's files. Empty values are
// left out, so the dump shows what is set; secrets print as "<secret>".
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "config/secret.h"
#include "model/duration.h"

namespace herald::config::detail {

inline void put(YAML::Emitter& out, const char* key, const std::string& value) {
  if (!value.empty()) out << YAML::Key << key << YAML::Value << value;
}
inline void put(YAML::Emitter& out, const char* key, Duration d) {
  out << YAML::Key << key << YAML::Value << format_duration(d);
}
inline void put(YAML::Emitter& out, const char* key, const Secret& s) {
  if (!s.empty()) out << YAML::Key << key << YAML::Value << s.to_string();
}
inline void put(YAML::Emitter& out, const char* key, bool b) {
  out << YAML::Key << key << YAML::Value << b;
}
inline void put(YAML::Emitter& out, const char* key, const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : m)
    out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
}
// Avoids the bool overload for string literals.
inline void put(YAML::Emitter& out, const char* key, const char* value) {
  put(out, key, std::string(value));
}

}  // namespace herald::config::detail
