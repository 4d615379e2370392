// The I/O thread's connection state machine, the handler pool, and the limits. Every connection
// goes idle → header → body → handling → writing → idle…; only "handling" holds a thread. The
// phases but "handling" have a deadline (ServerLimits) and are evictable: when a client or the
// server is at its connection limit, the connection waiting longest is closed to make room, so
// a new client — a Kubernetes probe — is always answered.
#include "server/http_server.h"

#include <sys/resource.h>

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <future>
#include <list>
#include <map>
#include <thread>

#include "model/host_port.h"
#include "server/bearer_auth.h"
#include "server/http_framing.h"
#include "server/json_reply.h"
#include "server/prometheus_api.h"

namespace herald::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Drained from a connection closed mid-request, so the client reads our answer rather than a
// reset; bounded in bytes and time.
constexpr size_t kLingerBytes = size_t{256} << 10;
constexpr auto kLingerTime = std::chrono::seconds(1);

// The server's counters in /metrics.
struct Families {
  MetricFamily& requests;
  MetricFamily& refused;
  MetricFamily& evicted;
  MetricFamily& connections;
};

Families register_families(MetricsRegistry& r) {
  return {r.counter("herald_http_requests_total", "HTTP requests answered, by status code."),
          r.counter("herald_http_requests_refused_total",
                    "HTTP requests and connections refused by a limit, by reason."),
          r.counter("herald_http_connections_evicted_total",
                    "Waiting HTTP connections closed to make room for a new one."),
          r.gauge("herald_http_connections", "Open HTTP connections.")};
}

// Lets the process hold as many sockets as the hard limit allows (Go's runtime does the same).
void raise_open_files_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }
}

bool is_write(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerHooks hooks, ServerLimits limits)
      : limits_(limits),
        own_metrics_(hooks.metrics ? nullptr : std::make_unique<MetricsRegistry>()),
        families_(register_families(hooks.metrics ? *hooks.metrics : *own_metrics_)),
        auth_(std::move(hooks.auth_token_file)),
        workers_(limits.workers) {
    register_ops_routes(routes_, std::move(hooks.ops));
    register_prometheus_api(routes_, std::move(hooks.prometheus));
    register_history_api(routes_, std::move(hooks.history));
    register_runbook_pages(routes_, std::move(hooks.runbooks));
    if (hooks.alertmanager.clock != nullptr) {
      register_alertmanager_api(routes_, std::move(hooks.alertmanager));
    }
  }

  Status start(const std::string& address);
  void stop();
  [[nodiscard]] int port() const { return port_; }

 private:
  class Connection;
  friend class Connection;

  void accept();
  void admit(tcp::socket socket);
  // The evictable connection waiting longest among those `pick` selects (null: none).
  Connection* oldest_waiting(const std::function<bool(const Connection&)>& pick);
  void refuse(tcp::socket socket, int status, const char* reason);
  void forget(Connection& c);
  // Runs a handler and catches what it throws: no exception reaches a thread's top.
  Response handle(const Route& route, const Request& req) const;

  const ServerLimits limits_;
  std::unique_ptr<MetricsRegistry> own_metrics_;
  Families families_;
  BearerAuth auth_;
  Routes routes_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  asio::steady_timer accept_retry_{io_};
  asio::thread_pool workers_;
  std::atomic<size_t> queued_{0};
  std::thread io_thread_;
  int port_ = 0;
  bool stopped_ = false;
  // I/O thread only.
  std::list<Connection*> connections_;
  std::map<asio::ip::address, size_t> per_client_;
};

class HttpServer::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class Phase { kIdle, kHeader, kBody, kHandling, kWriting };

  Connection(Impl& server, tcp::socket socket, asio::ip::address client)
      : server_(server), socket_(std::move(socket)), timer_(server.io_), client_(client) {}

  void start() {
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);  // no Nagle delay on kept-alive connections
    next_request();
  }

  [[nodiscard]] Phase phase() const { return phase_; }
  [[nodiscard]] MonoTime since() const { return since_; }
  [[nodiscard]] const asio::ip::address& client() const { return client_; }
  std::list<Connection*>::iterator self_in_list;

  // Closes at once; the pending operations end with operation_aborted.
  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_.forget(*this);
  }

 private:
  void enter(Phase p, std::optional<Duration> deadline) {
    phase_ = p;
    since_ = std::chrono::steady_clock::now();
    timed_out_ = false;
    if (!deadline) {
      timer_.cancel();
      return;
    }
    timer_.expires_after(*deadline);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void next_request() {
    parser_.emplace();
    limit_parser(*parser_, server_.limits_.max_header_bytes);
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    enter(Phase::kIdle, server_.limits_.idle_timeout);
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->close();
      self->read_header();
    });
  }

  void read_header() {
    enter(Phase::kHeader, server_.limits_.header_timeout);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail(ec);
    if (auto bad = header_error(*parser_)) return refuse(std::move(*bad), "bad_request");
    const auto& msg = parser_->get();
    method_ = std::string(msg.method_string());
    head_ = msg.method() == http::verb::head;
    keep_alive_ = msg.keep_alive();
    const std::optional<Target> target =
        parse_target(std::string_view(msg.target().data(), msg.target().size()));
    lookup_ = server_.routes_.find(method_, target->path);
    if (!lookup_.route) {
      Response res =
          text_response(lookup_.allow.empty() ? 404 : 405,
                        lookup_.allow.empty() ? "404 page not found\n" : "method not allowed\n");
      if (!lookup_.allow.empty()) res.set_header("Allow", lookup_.allow);
      return parser_->is_done() ? respond(std::move(res)) : refuse(std::move(res), "");
    }
    // A write is authorised, and its length checked, before one byte of its body is read.
    if (is_write(method_)) {
      const auto auth = msg.find(http::field::authorization);
      std::optional<Response> denied = server_.auth_.check(
          auth == msg.end() ? std::string_view{}
                            : std::string_view(auth->value().data(), auth->value().size()));
      if (denied) return refuse(std::move(*denied), "unauthorized");
    }
    if (auto bad = body_error(*parser_, server_.limits_.max_request_bytes)) {
      return refuse(std::move(*bad), "body_too_large");
    }
    const auto expect = msg.find(http::field::expect);
    if (expect != msg.end() && beast::iequals(expect->value(), "100-continue") &&
        !parser_->is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      enter(Phase::kBody, server_.limits_.body_timeout);
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code e, size_t) {
                          if (e) return self->fail(e);
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return dispatch();
    enter(Phase::kBody, server_.limits_.body_timeout);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->fail(ec);
                       self->dispatch();
                     });
  }

  void dispatch() {
    Request req = to_request(*parser_);
    req.rest = std::move(lookup_.rest);
    const Route& route = *lookup_.route;
    if (route.run == Run::kInline) return respond(server_.handle(route, req));
    if (server_.queued_.load() >= server_.limits_.max_queued) {
      server_.families_.refused.inc({{"reason", "busy"}});
      return respond(text_response(503, "server busy: too many requests queued\n"));
    }
    enter(Phase::kHandling, std::nullopt);
    ++server_.queued_;
    asio::post(server_.workers_, [self = shared_from_this(), &route, req = std::move(req)] {
      --self->server_.queued_;
      Response res = self->server_.handle(route, req);
      asio::post(self->server_.io_, [self, res = std::move(res)]() mutable {
        if (!self->closed_) self->respond(std::move(res));
      });
    });
  }

  // Answers and closes: the request's body, if any, is not read.
  void refuse(Response res, const char* reason) {
    if (*reason != '\0') server_.families_.refused.inc({{"reason", reason}});
    keep_alive_ = false;
    respond(std::move(res));
  }

  void fail(beast::error_code ec) {
    if (closed_) return;
    if (timed_out_) {
      // Nothing of a request yet: an idle keep-alive connection, closed quietly.
      if (phase_ == Phase::kHeader && buffer_.size() == 0 && !parser_->got_some()) return close();
      return refuse(text_response(408, "request timeout\n"), "timeout");
    }
    // The client went away, or we closed it: nothing to answer.
    if (ec.category() != beast::error_code(http::error::need_more).category()) return close();
    const Response res = parse_error(ec);
    refuse(res, res.status == 431   ? "header_too_large"
                : res.status == 413 ? "body_too_large"
                                    : "bad_request");
  }

  void respond(Response res) {
    server_.families_.requests.inc({{"code", std::to_string(res.status)}});
    auto msg = std::make_shared<http::response<http::string_body>>();
    msg->version(11);
    msg->result(static_cast<unsigned>(res.status));
    for (auto& [name, value] : res.headers)
      msg->insert(name, value);
    const bool keep = keep_alive_ && !server_.stopped_;
    msg->keep_alive(keep);
    if (head_) {
      msg->content_length(res.body.size());
    } else {
      msg->body() = std::move(res.body);
      msg->prepare_payload();
    }
    enter(Phase::kWriting, server_.limits_.write_timeout);
    http::async_write(socket_, *msg,
                      [self = shared_from_this(), msg, keep](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        if (!keep) return self->linger();
                        self->next_request();
                      });
  }

  // Half-closes, then drains what the client still sends for a moment before closing, so it
  // reads the answer instead of a connection reset.
  void linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    enter(Phase::kWriting, kLingerTime);
    drain();
  }

  void drain() {
    socket_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->close();
                              self->drain();
                            });
  }

  Impl& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  const asio::ip::address client_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  Routes::Lookup lookup_;
  std::string method_;
  bool head_ = false;
  bool keep_alive_ = true;
  bool timed_out_ = false;
  // Set once by close(); a completion that was already queued then finds it and does nothing
  // but fail on the closed socket.
  bool closed_ = false;
  Phase phase_ = Phase::kIdle;
  MonoTime since_{};
  std::array<char, 4096> scratch_{};
  size_t drained_ = 0;
};

Response HttpServer::Impl::handle(const Route& route, const Request& req) const {
  Response res;
  try {
    route.handler(req, res);
  } catch (...) {
    res = Response{};
    json_reply(res, 500, api_error_json("internal", "internal error"));
  }
  return res;
}

Status HttpServer::Impl::start(const std::string& address) {
  auto listen = parse_listen_address(address);
  if (!listen) return tl::unexpected(listen.error());
  const auto& [host, port] = *listen;
  beast::error_code ec;
  tcp::endpoint endpoint;
  if (host.empty() || host == "0.0.0.0") {
    endpoint = tcp::endpoint(tcp::v4(), static_cast<unsigned short>(port));
  } else {
    tcp::resolver resolver(io_);
    auto found = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
    if (ec || found.empty())
      return unavailable("cannot listen on " + address + ": " + ec.message());
    endpoint = *found.begin();
  }
  acceptor_.open(endpoint.protocol(), ec);
  // SO_REUSEADDR for quick restarts; never SO_REUSEPORT, which would let a second herald
  // silently share the port with a running one.
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unavailable("cannot listen on " + address + ": address in use or not available (" +
                       ec.message() + ")");
  }
  port_ = acceptor_.local_endpoint().port();
  raise_open_files_limit();
  accept();
  io_thread_ = std::thread([this] { io_.run(); });
  return {};
}

void HttpServer::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // stopped
    if (ec) {
      // Out of file descriptors, most likely: try again shortly rather than spin.
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](beast::error_code e) {
        if (!e) accept();
      });
      return;
    }
    admit(std::move(socket));
    accept();
  });
}

HttpServer::Impl::Connection* HttpServer::Impl::oldest_waiting(
    const std::function<bool(const Connection&)>& pick) {
  Connection* oldest = nullptr;
  for (Connection* c : connections_) {
    if (c->phase() == Connection::Phase::kHandling || !pick(*c)) continue;
    // Idle connections go first: they have nothing in progress.
    const auto rank = [](const Connection& x) {
      return std::pair(x.phase() != Connection::Phase::kIdle, x.since());
    };
    if (!oldest || rank(*c) < rank(*oldest)) oldest = c;
  }
  return oldest;
}

void HttpServer::Impl::admit(tcp::socket socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  const asio::ip::address client = remote.address();
  if (per_client_[client] >= limits_.max_connections_per_client) {
    Connection* victim = oldest_waiting([&](const Connection& c) { return c.client() == client; });
    if (!victim) return refuse(std::move(socket), 429, "too_many_connections");
    families_.evicted.inc();
    victim->close();
  }
  if (connections_.size() >= limits_.max_connections) {
    Connection* victim = oldest_waiting([](const Connection&) { return true; });
    if (!victim) return refuse(std::move(socket), 503, "too_many_connections");
    families_.evicted.inc();
    victim->close();
  }
  auto c = std::make_shared<Connection>(*this, std::move(socket), client);
  connections_.push_front(c.get());
  c->self_in_list = connections_.begin();
  ++per_client_[client];
  families_.connections.set({}, static_cast<double>(connections_.size()));
  c->start();
}

void HttpServer::Impl::refuse(tcp::socket socket, int status, const char* reason) {
  families_.refused.inc({{"reason", reason}});
  families_.requests.inc({{"code", std::to_string(status)}});
  const std::string answer = "HTTP/1.1 " + std::to_string(status) +
                             (status == 429 ? " Too Many Requests" : " Service Unavailable") +
                             "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  asio::write(socket, asio::buffer(answer), ignored);  // fits the socket buffer, or is lost
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

void HttpServer::Impl::forget(Connection& c) {
  connections_.erase(c.self_in_list);
  if (--per_client_[c.client()] == 0) per_client_.erase(c.client());
  families_.connections.set({}, static_cast<double>(connections_.size()));
}

void HttpServer::Impl::stop() {
  if (!io_thread_.joinable()) return;
  std::promise<void> closed;
  asio::post(io_, [this, &closed] {
    stopped_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    while (!connections_.empty())
      connections_.front()->close();
    closed.set_value();
  });
  closed.get_future().wait();
  // The running handlers finish; their answers find their connections closed.
  workers_.stop();
  workers_.join();
  io_.stop();
  io_thread_.join();
}

HttpServer::HttpServer(ServerHooks hooks, ServerLimits limits)
    : impl_(std::make_unique<Impl>(std::move(hooks), limits)) {}

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start(const std::string& address) {
  return impl_->start(address);
}

void HttpServer::stop() {
  impl_->stop();
}

int HttpServer::port() const {
  return impl_->port();
}

}  // namespace herald::server
