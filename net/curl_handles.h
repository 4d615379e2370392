// What the libcurl clients share: the once-per-process global init, the TLS options, and owners
// for libcurl's handles and lists. Internal to net/.
#pragma once

#include <curl/curl.h>

#include <memory>

#include "model/tls_options.h"

namespace herald::net {

// curl_global_init, once per process (it is not thread-safe); never cleaned up. Call it before
// creating the first easy handle.
void init_curl();

// CA bundle, client certificate and key, and insecure_skip_verify. server_name needs the URL
// itself (CONNECT_TO), which each client does its own way.
void set_tls(CURL* curl, const TlsOptions& tls);

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

}  // namespace herald::net
