// Go's fmt.Sprint, Sprintln and Sprintf over template Values: the verbs %v %s %d %f %F %e %E
// %g %G %q %t %x %X %o %b %c %U %T %% with flags (+ - # space 0), width, precision and '*',
// including fmt's error spellings (%!d(string=x), %!s(MISSING), %!(EXTRA …)).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "template/value.h"

namespace herald::tmpl {

[[nodiscard]] std::string go_sprint(const std::vector<Value>& args);
[[nodiscard]] std::string go_sprintln(const std::vector<Value>& args);
[[nodiscard]] std::string go_sprintf(std::string_view format, const std::vector<Value>& args);

}  // namespace herald::tmpl
