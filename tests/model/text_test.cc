// The small text helpers every room shares: trim, base64, and error text fit for logs.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "model/base64.h"
#include "model/error_text.h"
#include "model/trim.h"

namespace herald {

TEST_CASE("trim: both ends, by the given set", "[model]") {
  CHECK(trim("  a b\t\r\n") == "a b");
  CHECK(trim("\v\f x \v") == "x");
  CHECK(trim(" \t ").empty());
  CHECK(trim("\r\n a \r\n", kBlank) == "\r\n a \r\n");
  CHECK(trim(" \t a \t ", kBlank) == "a");
}

TEST_CASE("base64: RFC 4648 with padding", "[model]") {
  auto [in, out] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foobar", "Zm9vYmFy"},
      {std::string("\0u\0p", 4), "AHUAcA=="},
  }));
  CHECK(base64_encode(in) == out);
  CHECK(base64_encode(std::string(100, 'x')).size() == 136);  // no line breaks
}

TEST_CASE("error text: secrets redacted longest first, excerpts cut on a character", "[model]") {
  const std::vector<std::string> secrets{"tok", "tok3n", ""};
  CHECK(redact("a tok3n and a tok", secrets) == "a <redacted> and a <redacted>");
  CHECK(error_excerpt("  line\none\x01  ") == "line one");
  CHECK(error_excerpt("모델모델", 4) == "모");
}

}  // namespace herald
