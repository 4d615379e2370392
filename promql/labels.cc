// Label analysis and threshold split (promql/labels.h).
#include "promql/labels.h"

#include <algorithm>

namespace herald::promql {
namespace {

const std::string kName = "__name__";

ResultLabels closed(std::set<std::string> names) {
  return {true, std::move(names), {}};
}

ResultLabels without_labels(ResultLabels r, const std::set<std::string>& drop) {
  for (const std::string& l : drop) {
    if (r.closed) {
      r.names.erase(l);
    } else {
      r.names.erase(l);
      r.dropped.insert(l);
    }
  }
  return r;
}

ResultLabels with_labels(ResultLabels r, const std::vector<std::string>& add) {
  for (const std::string& l : add) {
    r.names.insert(l);
    r.dropped.erase(l);
  }
  return r;
}

ResultLabels drop_name(ResultLabels r) {
  return without_labels(std::move(r), {kName});
}

// The labels a selector's matchers guarantee (equality with a non-empty value).
std::set<std::string> matched_labels(const VectorSelector& vs) {
  std::set<std::string> out;
  for (const LabelMatcher& m : vs.matchers) {
    if (m.op == MatchOp::kEqual && !m.value.empty() && m.name != kName) out.insert(m.name);
  }
  return out;
}

const VectorSelector* selector_of(const Expr& e) {
  if (const auto* vs = e.as<VectorSelector>()) return vs;
  if (const auto* m = e.as<MatrixSelector>()) return m->vector->as<VectorSelector>();
  if (const auto* p = e.as<Paren>()) return selector_of(*p->expr);
  return nullptr;
}

ResultLabels call_labels(const Call& c) {
  const std::string_view f = c.func->name;
  if (c.func->returns != ValueType::kVector) return closed({});
  if (f == "vector" || c.args.empty()) return closed({});  // hour() is hour(vector(time()))
  if (f == "absent" || f == "absent_over_time") {
    const VectorSelector* vs = selector_of(*c.args[0]);
    return closed(vs ? matched_labels(*vs) : std::set<std::string>{});
  }
  // The series argument: the first one of vector or matrix type.
  const Expr* series = nullptr;
  for (const ExprPtr& a : c.args) {
    if (a->type() == ValueType::kVector || a->type() == ValueType::kMatrix) {
      series = a.get();
      break;
    }
  }
  if (series == nullptr) return closed({});
  ResultLabels in = result_labels(*series);
  if (f == "sort" || f == "sort_desc" || f == "last_over_time") return in;
  if (f == "label_replace" || f == "label_join") {
    const auto* dst = c.args[1]->as<StringLiteral>();
    return dst ? with_labels(std::move(in), {dst->value}) : in;
  }
  if (f == "histogram_quantile") return without_labels(std::move(in), {kName, "le"});
  return drop_name(std::move(in));
}

ResultLabels aggregate_labels(const Aggregate& a) {
  ResultLabels in = result_labels(*a.expr);
  if (a.op == Tok::kTopk || a.op == Tok::kBottomk) return in;  // whole input series
  ResultLabels out;
  if (a.without) {
    std::set<std::string> drop(a.grouping.begin(), a.grouping.end());
    drop.insert(kName);
    out = without_labels(std::move(in), drop);
  } else {
    std::set<std::string> keep(a.grouping.begin(), a.grouping.end());
    if (in.closed) {
      std::erase_if(keep, [&](const std::string& l) { return !in.names.contains(l); });
    } else {
      std::erase_if(keep, [&](const std::string& l) { return in.dropped.contains(l); });
    }
    out = closed(std::move(keep));
  }
  if (a.op == Tok::kCountValues) {
    if (const auto* s = a.param ? a.param->as<StringLiteral>() : nullptr) {
      out = with_labels(std::move(out), {s->value});
    }
  }
  return out;
}

ResultLabels union_of(const ResultLabels& a, const ResultLabels& b) {
  if (a.closed && b.closed) {
    ResultLabels out = a;
    out.names.insert(b.names.begin(), b.names.end());
    return out;
  }
  ResultLabels out{false, {}, {}};
  auto lacks = [](const ResultLabels& r, const std::string& l) {
    return r.closed ? !r.names.contains(l) : r.dropped.contains(l);
  };
  for (const ResultLabels* r : {&a, &b}) {
    for (const std::string& l : r->dropped) {
      if (lacks(a, l) && lacks(b, l)) out.dropped.insert(l);
    }
  }
  for (const std::string& l : a.names) {
    if (b.names.contains(l)) out.names.insert(l);
  }
  return out;
}

ResultLabels binary_labels(const Binary& b) {
  const ValueType lt = b.lhs->type(), rt = b.rhs->type();
  if (lt == ValueType::kScalar && rt == ValueType::kScalar) return closed({});
  const bool keeps_name = is_comparison(b.op) && !b.return_bool;
  if (lt != ValueType::kVector || rt != ValueType::kVector) {  // a vector and a scalar
    ResultLabels r = result_labels(lt == ValueType::kVector ? *b.lhs : *b.rhs);
    return keeps_name ? r : drop_name(std::move(r));
  }
  if (b.op == Tok::kLand || b.op == Tok::kLunless) return result_labels(*b.lhs);
  if (b.op == Tok::kLor) return union_of(result_labels(*b.lhs), result_labels(*b.rhs));
  const VectorMatching m = b.matching.value_or(VectorMatching{});
  const bool right = m.card == Cardinality::kOneToMany;
  ResultLabels r = result_labels(right ? *b.rhs : *b.lhs);  // the "many" side
  if (!keeps_name) r = drop_name(std::move(r));
  if (m.card == Cardinality::kOneToOne) {
    if (m.on) {
      std::set<std::string> keep(m.labels.begin(), m.labels.end());
      if (r.closed) {
        std::erase_if(keep, [&](const std::string& l) { return !r.names.contains(l); });
      } else {
        std::erase_if(keep, [&](const std::string& l) { return r.dropped.contains(l); });
      }
      return closed(std::move(keep));
    }
    return without_labels(std::move(r), std::set<std::string>(m.labels.begin(), m.labels.end()));
  }
  return with_labels(std::move(r), m.include);
}

const Expr* strip_parens(const Expr* e) {
  while (const auto* p = e->as<Paren>())
    e = p->expr.get();
  return e;
}

Tok flipped(Tok op) {
  switch (op) {
    case Tok::kGtr:
      return Tok::kLss;
    case Tok::kLss:
      return Tok::kGtr;
    case Tok::kGte:
      return Tok::kLte;
    case Tok::kLte:
      return Tok::kGte;
    default:
      return op;  // == and != read the same both ways
  }
}

}  // namespace

ResultLabels result_labels(const Expr& e) {
  if (e.type() == ValueType::kScalar || e.type() == ValueType::kString) return closed({});
  if (const auto* vs = e.as<VectorSelector>()) return {false, matched_labels(*vs), {}};
  if (const auto* m = e.as<MatrixSelector>()) return result_labels(*m->vector);
  if (const auto* s = e.as<Subquery>()) return result_labels(*s->expr);
  if (const auto* p = e.as<Paren>()) return result_labels(*p->expr);
  if (const auto* u = e.as<Unary>()) {
    ResultLabels r = result_labels(*u->expr);
    return u->op == Tok::kSub ? drop_name(std::move(r)) : r;
  }
  if (const auto* c = e.as<Call>()) return call_labels(*c);
  if (const auto* a = e.as<Aggregate>()) return aggregate_labels(*a);
  if (const auto* b = e.as<Binary>()) return binary_labels(*b);
  return closed({});
}

std::optional<ThresholdSplit> threshold_split(const Expr& e) {
  const Expr* top = strip_parens(&e);
  const auto* b = top->as<Binary>();
  if (b == nullptr) return std::nullopt;
  if (b->op == Tok::kLand || b->op == Tok::kLunless) return threshold_split(*b->lhs);
  if (!is_comparison(b->op) || b->return_bool) return std::nullopt;
  const Expr* lhs = strip_parens(b->lhs.get());
  const Expr* rhs = strip_parens(b->rhs.get());
  if (const auto* n = rhs->as<NumberLiteral>(); n && lhs->type() == ValueType::kVector) {
    return ThresholdSplit{lhs, b->op, n->value};
  }
  if (const auto* n = lhs->as<NumberLiteral>(); n && rhs->type() == ValueType::kVector) {
    return ThresholdSplit{rhs, flipped(b->op), n->value};
  }
  return std::nullopt;
}

}  // namespace herald::promql
