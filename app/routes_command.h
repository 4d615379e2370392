// `herald routes show|test`: Alertmanager's `amtool config routes [show|test]` on herald.yml's
// routing tree, with the same output and exit codes, plus — for `test` — one line per matched
// route with the group it would join, its group_by and the three timers that apply (the part of
// routing users find hardest to see: Alertmanager #642, #2647).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herald::app {

struct RoutesTestOptions {
  std::string config_file;
  bool tree = false;                // print the matching routes first (amtool --tree)
  std::string verify_receivers;     // "a,b": exit 1 unless exactly these receivers, in order
  std::vector<std::string> labels;  // "name=value"
};

[[nodiscard]] int routes_show(const std::string& config_file, std::ostream& out, std::ostream& err);
[[nodiscard]] int routes_test(const RoutesTestOptions& options, std::ostream& out,
                              std::ostream& err);

}  // namespace herald::app
