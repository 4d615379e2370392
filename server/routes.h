// The route table every API family registers into: method + path (exact, or a prefix ending in
// '*') → handler. Lookup tells 404 from 405. Routes of any method but GET are writes: with
// web.auth_token_file set, the server checks their bearer token before reading their body
// (server/http_server.cc). Not thread-safe while registering; read-only once serving.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/http_message.h"

namespace herald::server {

using Handler = std::function<void(const Request&, Response&)>;

// Where a handler runs: on the worker pool, or at once on the I/O thread — only for handlers
// that never block (the probes), so they answer however busy the workers are.
enum class Run { kWorker, kInline };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v2/alerts", or a prefix: "/runbooks/*"
  Handler handler;
  Run run = Run::kWorker;
};

class Routes {
 public:
  void get(std::string pattern, Handler h, Run run = Run::kWorker) {
    add("GET", std::move(pattern), std::move(h), run);
  }
  void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
  void put(std::string pattern, Handler h) { add("PUT", std::move(pattern), std::move(h)); }
  void del(std::string pattern, Handler h) { add("DELETE", std::move(pattern), std::move(h)); }

  struct Lookup {
    const Route* route = nullptr;  // null: 404, or 405 when `allow` is not empty
    std::string rest;              // after a prefix route's prefix
    std::string allow;             // the methods `path` has, for 405's Allow header
  };
  // HEAD is looked up as GET.
  [[nodiscard]] Lookup find(const std::string& method, const std::string& path) const;

 private:
  void add(std::string method, std::string pattern, Handler h, Run run = Run::kWorker);
  std::vector<Route> routes_;
};

}  // namespace herald::server
