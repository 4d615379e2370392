// URL query escaping exactly as Go's url.QueryEscape: unreserved ASCII (letters, digits, "-_.~")
// kept, space as '+', every other byte %XX in upper-case hex. Used for template `urlquery`,
// generator URLs and Grafana drilldown links, so all of herald's URLs escape alike.
#pragma once

#include <string>
#include <string_view>

namespace herald {

[[nodiscard]] std::string url_query_escape(std::string_view s);

}  // namespace herald
