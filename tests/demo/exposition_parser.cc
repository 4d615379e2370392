// Test-only parser for Prometheus text format 0.0.4.
#include "tests/demo/exposition_parser.h"

#include <cstdlib>
#include <set>
#include <sstream>

namespace herald::demo::testing {
namespace {

// The family a sample belongs to: histogram samples carry a _bucket/_sum/_count suffix.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return "";
}

// Parses `{a="x",b="y\"z"}` starting at `pos` (which points at '{'); returns false on error.
bool parse_labels(const std::string& line, size_t& pos, std::map<std::string, std::string>& out) {
  ++pos;
  while (pos < line.size() && line[pos] != '}') {
    const size_t eq = line.find('=', pos);
    if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return false;
    const std::string key = line.substr(pos, eq - pos);
    std::string value;
    size_t i = eq + 2;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
    }
    if (i >= line.size()) return false;
    out[key] = value;
    pos = i + 1;
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return false;
  ++pos;
  return true;
}

}  // namespace

ParsedExposition parse_exposition(const std::string& text) {
  ParsedExposition out;
  std::set<std::string> helped;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      helped.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      if (!helped.count(name)) out.errors.push_back("TYPE before HELP: " + line);
      out.types[name] = type;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    ParsedSample s;
    size_t pos = line.find_first_of("{ ");
    s.name = line.substr(0, pos);
    if (pos != std::string::npos && line[pos] == '{' && !parse_labels(line, pos, s.labels)) {
      out.errors.push_back("bad labels: " + line);
      continue;
    }
    if (pos == std::string::npos || line[pos] != ' ') {
      out.errors.push_back("no value: " + line);
      continue;
    }
    const std::string value = line.substr(pos + 1);
    char* end = nullptr;
    s.value = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') out.errors.push_back("bad value: " + line);
    if (family_of(s.name, out.types).empty()) out.errors.push_back("sample before TYPE: " + line);
    out.samples.push_back(std::move(s));
  }
  return out;
}

double ParsedExposition::sum(const std::string& name,
                             const std::map<std::string, std::string>& match) const {
  double total = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool ok = true;
    for (const auto& [k, v] : match) {
      auto it = s.labels.find(k);
      ok = ok && it != s.labels.end() && it->second == v;
    }
    if (ok) total += s.value;
  }
  return total;
}

std::optional<double> ParsedExposition::value(
    const std::string& name, const std::map<std::string, std::string>& labels) const {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return std::nullopt;
}

}  // namespace herald::demo::testing
