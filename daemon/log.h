// Structured logging: one line per event, logfmt for terminals (`--log.format=logfmt`, the
// default) or JSON lines for Loki (`--log.format=json`), written through spdlog's thread-safe
// stderr sink. Fields are explicit key/value pairs; callers never log secrets (config values are
// not logged at all).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace herald::daemon {

enum class LogFormat { kLogfmt, kJson };
enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct LogField {
  std::string key;
  std::string value;
};

void init_logging(LogFormat format, LogLevel min_level);
void log_event(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

// The rendered line, without the trailing newline (exposed for tests).
[[nodiscard]] std::string render_log_line(LogFormat format, std::string_view ts, LogLevel level,
                                          std::string_view msg,
                                          std::initializer_list<LogField> fields);

}  // namespace herald::daemon
