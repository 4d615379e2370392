// Secrets: ${NAME} expansion, and proof that secret text never reaches a dump or a message.
#include "config/secret.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "config/config.h"
#include "config/env.h"
#include "config/url.h"

using herald::config::dump_config;
using herald::config::EnvLookup;
using herald::config::expand_env;
using herald::config::parse_config;
using herald::config::Secret;

namespace {

const EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "TOKEN") return "tok-SECRET-1";
  if (name == "HEADER") return "hdr-SECRET-2";
  if (name == "EMPTY") return "";
  return std::nullopt;
};

}  // namespace

TEST_CASE("secret: every way of printing a Secret shows <secret>", "[config]") {
  Secret s("hunter2");
  std::ostringstream os;
  os << s;
  CHECK(os.str() == "<secret>");
  CHECK(s.to_string() == "<secret>");
  CHECK(s.reveal() == "hunter2");
}

TEST_CASE("env: ${NAME} references expand; errors name the variable only", "[config]") {
  struct Case {
    const char* in;
    const char* out;  // nullptr: an error containing `error`
    const char* error;
  };
  auto c = GENERATE(values<Case>({
      {"Bearer ${TOKEN}", "Bearer tok-SECRET-1", nullptr},
      {"${TOKEN}${HEADER}", "tok-SECRET-1hdr-SECRET-2", nullptr},
      {"a${EMPTY}b", "ab", nullptr},
      {"cost $5 and $TOKEN", "cost $5 and $TOKEN", nullptr},  // only ${...} is a reference
      {"${MISSING}", nullptr, "environment variable \"MISSING\" is not defined"},
      {"${TOKEN", nullptr, "unterminated \"${\""},
      {"${1BAD}", nullptr, "invalid environment variable name \"1BAD\""},
  }));
  CAPTURE(c.in);
  auto got = expand_env(c.in, kEnv);
  if (c.out != nullptr) {
    REQUIRE(got.has_value());
    CHECK(*got == c.out);
  } else {
    REQUIRE_FALSE(got.has_value());
    CHECK_THAT(got.error().message, Catch::Contains(c.error));
  }
}

TEST_CASE("secret: the config dump never contains secret text", "[config]") {
  auto loaded = parse_config("herald.yml",
                             "global:\n"
                             "  external_url: https://admin:pw-SECRET-3@herald.example.com\n"
                             "datasources:\n"
                             "  - name: p\n"
                             "    url: http://user:pw-SECRET-4@prometheus:9090/\n"
                             "    bearer_token: ${TOKEN}\n"
                             "    headers: {Authorization: 'Basic ${HEADER}'}\n"
                             "receivers:\n"
                             "  - name: x\n"
                             "    slack_configs: [{api_url: https://hooks/inline-SECRET-5}]\n",
                             kEnv);
  REQUIRE(loaded.ok());
  std::string dump = dump_config(*loaded.value);
  CAPTURE(dump);
  CHECK_THAT(dump, !Catch::Contains("SECRET"));
  CHECK_THAT(dump, Catch::Contains("bearer_token: <secret>"));
  CHECK_THAT(dump, Catch::Contains("Authorization: <secret>"));
  CHECK_THAT(dump, Catch::Contains("url: http://user:<secret>@prometheus:9090/"));
  CHECK_THAT(dump, Catch::Contains("external_url: https://admin:<secret>@herald.example.com"));
  const auto& ds = loaded.value->datasources[0];
  CHECK(ds.bearer_token.reveal() == "tok-SECRET-1");
  CHECK(ds.headers.at("Authorization").reveal() == "Basic hdr-SECRET-2");
}

TEST_CASE("secret: a bad URL's error does not repeat its password", "[config]") {
  auto loaded = parse_config("herald.yml",
                             "datasources: [{name: p, url: 'ftp://u:pw-SECRET-6@host'}]\n", kEnv);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK_THAT(loaded.diagnostics[0].message, !Catch::Contains("SECRET"));
  CHECK_THAT(loaded.diagnostics[0].message, Catch::Contains("ftp://u:<secret>@host"));
}

TEST_CASE("url: http(s) URLs with a host are accepted, others rejected", "[config]") {
  using herald::config::check_http_url;
  auto [url, ok] = GENERATE(table<const char*, bool>({
      {"http://prometheus:9090", true},
      {"https://grafana.example.com/sub/path?x=1", true},
      {"HTTPS://g.example.com", true},
      {"http://[::1]:9090", true},
      {"http://u:p@h", true},
      {"prometheus:9090", false},
      {"ftp://h", false},
      {"http://", false},
      {"http:///path", false},
      {"http://h:port", false},
      {"http://h x", false},
      {"", false},
  }));
  CAPTURE(url);
  CHECK(check_http_url(url).has_value() == ok);
}
