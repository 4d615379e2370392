// The libmicrohttpd alternative to herald's HTTP front (docs/architecture.md "The HTTP front"),
// configured as well as libmicrohttpd allows, for bench/http_front.py to run the same attacks
// against it and against herald. It serves what the attacks use: GET /-/healthy, and
// POST /api/v2/alerts behind a bearer token and a body limit, both checked on the headers before
// any body is read. Not part of herald; built only when Debian's libmicrohttpd-dev is present.
//
//   herald_bench_mhd <token> [max-body-bytes]   prints its port, serves until SIGTERM/SIGINT
#include <microhttpd.h>
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

std::string g_token;
std::size_t g_max_body = 4u << 20;

MHD_Result answer(MHD_Connection* c, unsigned status, std::string_view body) {
  MHD_Response* r = MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()),
                                                    MHD_RESPMEM_MUST_COPY);
  const MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

// MHD calls this once on the headers (*state null), then once per piece of body, then once more
// with no data: the place to answer.
MHD_Result handle(void*, MHD_Connection* c, const char* url, const char* method, const char*,
                  const char* data, std::size_t* data_size, void** state) {
  const std::string_view path = url, verb = method;
  if (verb == "GET" && path == "/-/healthy") return answer(c, 200, "Healthy\n");
  if (path != "/api/v2/alerts" || verb != "POST") return answer(c, 404, "not found\n");
  auto* body = static_cast<std::string*>(*state);
  if (body == nullptr) {
    const char* auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (auth == nullptr || std::string_view(auth) != "Bearer " + g_token) {
      return answer(c, 401, "unauthorized\n");
    }
    const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (length != nullptr && std::strtoull(length, nullptr, 10) > g_max_body) {
      return answer(c, 413, "request body too large\n");
    }
    *state = new std::string;
    return MHD_YES;
  }
  if (*data_size != 0) {
    if (body->size() + *data_size > g_max_body) return answer(c, 413, "too large\n");
    body->append(data, *data_size);
    *data_size = 0;
    return MHD_YES;
  }
  return answer(c, 200, "");
}

void done(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
  delete static_cast<std::string*>(*state);
  *state = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <token> [max-body-bytes]\n", argv[0]);
    return 2;
  }
  g_token = argv[1];
  if (argc > 2) g_max_body = std::strtoull(argv[2], nullptr, 10);
  // Blocked before MHD starts its threads, so only sigwait below takes them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  // herald's defaults where libmicrohttpd has the knob: 1,024 connections, 128 per client, 64 KiB
  // of headers, 10 s (libmicrohttpd has one timeout: since the connection's last activity), two
  // worker threads — each of which also polls, since libmicrohttpd runs handlers on its polling
  // threads.
  MHD_Daemon* d = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNALLY | MHD_USE_ERROR_LOG, 0, nullptr, nullptr, &handle, nullptr,
      MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128u,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, std::size_t{64} << 10, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
      MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_NOTIFY_COMPLETED, &done, nullptr, MHD_OPTION_END);
  if (d == nullptr) {
    std::fprintf(stderr, "MHD_start_daemon failed\n");
    return 1;
  }
  std::printf("%u\n", MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  MHD_stop_daemon(d);
  return 0;
}
