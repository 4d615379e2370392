// Which names are runbooks (served at /runbooks/<name>, listed from links.runbooks_dir).
#include "links/runbook_name.h"

#include <catch2/catch.hpp>

namespace herald::links {

TEST_CASE("runbook names: alert names that cannot leave the runbooks directory", "[links]") {
  auto [name, ok] = GENERATE(table<const char*, bool>({{"HighErrorRate", true},
                                                       {"_x", true},
                                                       {"a:b.c-d_9", true},
                                                       {"", false},
                                                       {"..", false},
                                                       {"../etc", false},
                                                       {"a/b", false},
                                                       {".hidden", false},
                                                       {"9lives", false},
                                                       {"a b", false}}));
  CAPTURE(name);
  CHECK(valid_runbook_name(name) == ok);
}

}  // namespace herald::links
