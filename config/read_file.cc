// Whole-file reads with errno-based messages.
#include "config/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace herald::config::detail {

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return invalid_input("is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_input(std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return invalid_input(std::strerror(errno));
  return text;
}

}  // namespace herald::config::detail
