// PromQL lint (promql/lint.h).
#include "promql/lint.h"

#include "promql/labels.h"
#include "promql/printer.h"

namespace herald::promql {
namespace {

bool counter_name(std::string_view name) {
  for (std::string_view suffix : {"_total", "_count", "_sum", "_bucket"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

void walk(const Expr& e, Duration scrape, std::vector<Finding>& out);

void walk_call(const Expr& e, const Call& c, Duration scrape, std::vector<Finding>& out) {
  const std::string_view f = c.func->name;
  if (f == "histogram_quantile" && c.args.size() == 2) {
    const ResultLabels buckets = result_labels(*c.args[1]);
    if (!buckets.may_have("le")) {
      out.push_back({c.args[1]->start, true,
                     "histogram_quantile over buckets without their \"le\" label: the result is "
                     "always empty (aggregate by or without keeping le)"});
    }
  }
  if ((f == "rate" || f == "increase" || f == "irate") && c.args.size() == 1) {
    if (const auto* m = c.args[0]->as<MatrixSelector>()) {
      const auto& vs = *m->vector->as<VectorSelector>();
      if (!vs.name.empty() && !counter_name(vs.name)) {
        out.push_back({c.args[0]->start, false,
                       std::string(f) + "() of \"" + vs.name +
                           "\", which is not named like a counter (_total, _count, _sum, "
                           "_bucket): use deriv() or delta() for a gauge"});
      }
      const int64_t scrape_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(scrape).count();
      if (scrape_ms > 0 && m->range_ms < 4 * scrape_ms) {
        out.push_back({c.args[0]->start, false,
                       std::string(f) + "() over [" + format_duration_ms(m->range_ms) +
                           "], less than 4 scrape intervals (" + format_duration_ms(scrape_ms) +
                           "): one missed scrape leaves it without the two samples it needs"});
      }
    }
  }
  (void)e;
  for (const ExprPtr& a : c.args)
    walk(*a, scrape, out);
}

void walk(const Expr& e, Duration scrape, std::vector<Finding>& out) {
  if (const auto* c = e.as<Call>()) return walk_call(e, *c, scrape, out);
  if (const auto* a = e.as<Aggregate>()) {
    if (a->param) walk(*a->param, scrape, out);
    return walk(*a->expr, scrape, out);
  }
  if (const auto* b = e.as<Binary>()) {
    walk(*b->lhs, scrape, out);
    return walk(*b->rhs, scrape, out);
  }
  if (const auto* p = e.as<Paren>()) return walk(*p->expr, scrape, out);
  if (const auto* u = e.as<Unary>()) return walk(*u->expr, scrape, out);
  if (const auto* s = e.as<Subquery>()) return walk(*s->expr, scrape, out);
}

}  // namespace

std::vector<Finding> lint(const Expr& e, Duration scrape_interval) {
  std::vector<Finding> out;
  walk(e, scrape_interval, out);
  return out;
}

}  // namespace herald::promql
