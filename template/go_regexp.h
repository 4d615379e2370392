// Go regexp semantics on RE2 (Go's regexp package implements RE2 syntax): MatchString and
// Regexp.ReplaceAllString with Go's template expansion ($1, ${1}, $name, $$; "$1x" names the
// group "1x"). Compiled patterns are cached; safe to call from many threads.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace herald::tmpl {

// regexp.MatchString: unanchored. Error: "error parsing regexp: …".
[[nodiscard]] tl::expected<bool, std::string> regexp_match(std::string_view pattern,
                                                           std::string_view text);

// regexp.MustCompile(pattern).ReplaceAllString(src, repl). Error (Go panics; text/template
// reports the panic): "regexp: Compile(`(`): error parsing regexp: …".
[[nodiscard]] tl::expected<std::string, std::string> regexp_replace_all(std::string_view pattern,
                                                                        std::string_view repl,
                                                                        std::string_view src);

}  // namespace herald::tmpl
