// BearerTokenFile: stat on every call, read on change.
#include "evaluator/bearer_token_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "model/trim.h"

namespace herald::evaluator {
namespace {}  // namespace

BearerTokenFile::BearerTokenFile(std::string path) : path_(std::move(path)) {}

Result<std::string> BearerTokenFile::token() const {
  const std::string what = "bearer_token_file \"" + path_ + "\"";
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  if (ec) return unavailable(what + ": " + ec.message());

  std::lock_guard lock(mu_);
  if (!token_.empty() && mtime == mtime_ && size == size_) return token_;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return unavailable(what + ": " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  std::string token(trim(content.view()));
  if (token.empty()) return unavailable(what + ": file is empty");
  token_ = std::move(token);
  mtime_ = mtime;
  size_ = size;
  return token_;
}

}  // namespace herald::evaluator
