// BearerTokenFile: a bearer token read from a file and re-read when the file changes, because
// Kubernetes rotates service-account tokens in place. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "model/error.h"

namespace herald::evaluator {

class BearerTokenFile {
 public:
  explicit BearerTokenFile(std::string path);

  // The file's content without surrounding whitespace. Checks mtime and size on every call (one
  // stat) and re-reads only when either changed. Errors (missing, unreadable, empty file) are
  // kUnavailable: a rotating mount may be briefly absent. Messages name the path, never content.
  [[nodiscard]] Result<std::string> token() const;

 private:
  const std::string path_;
  mutable std::mutex mu_;
  mutable std::filesystem::file_time_type mtime_{};  // GUARDED_BY(mu_)
  mutable std::uintmax_t size_ = 0;                  // GUARDED_BY(mu_)
  mutable std::string token_;                        // GUARDED_BY(mu_); empty = not yet read
};

}  // namespace herald::evaluator
