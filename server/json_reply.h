// Writing a JSON answer: the one place that sets its status and content type. Internal to
// server/.
#pragma once

#include <string>

#include "server/http_message.h"

namespace herald::server {

inline void json_reply(Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

}  // namespace herald::server
