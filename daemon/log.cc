// logfmt/JSON rendering; spdlog only writes the finished line.
#include "daemon/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "model/time_format.h"

namespace herald::daemon {
namespace {

LogFormat g_format = LogFormat::kLogfmt;
LogLevel g_min_level = LogLevel::kInfo;

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// logfmt quotes values with spaces, quotes, '=' or control characters.
std::string logfmt_value(std::string_view v) {
  bool quote = v.empty();
  for (unsigned char c : v)
    quote = quote || c <= ' ' || c == '"' || c == '=' || c == '\\';
  if (!quote) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

spdlog::logger& sink() {
  static auto logger = [] {
    auto l = spdlog::stderr_logger_mt("herald");
    l->set_pattern("%v");
    return l;
  }();
  return *logger;
}

}  // namespace

void init_logging(LogFormat format, LogLevel min_level) {
  g_format = format;
  g_min_level = min_level;
  sink();
}

std::string render_log_line(LogFormat format, std::string_view ts, LogLevel level,
                            std::string_view msg, std::initializer_list<LogField> fields) {
  if (format == LogFormat::kJson) {
    nlohmann::ordered_json j;
    j["ts"] = ts;
    j["level"] = level_name(level);
    j["msg"] = msg;
    for (const LogField& f : fields)
      j[f.key] = f.value;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::string out =
      "ts=" + std::string(ts) + " level=" + level_name(level) + " msg=" + logfmt_value(msg);
  for (const LogField& f : fields)
    out += " " + f.key + "=" + logfmt_value(f.value);
  return out;
}

void log_event(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (level < g_min_level) return;
  const std::string ts = format_rfc3339(std::chrono::system_clock::now());
  sink().info(render_log_line(g_format, ts, level, msg, fields));
}

}  // namespace herald::daemon
