"""Generates N realistic alerting rules over the demo exporter's series, spread over G groups.

Four shapes, the ones an LLM-serving team writes (rules/llm-serving.yml is the model):
  error_ratio   per-model share of failed requests, rate()[1m] over llm_errors/llm_requests
  latency       histogram_quantile p90/p95/p99 per model and mode over llm_inference_duration
  gauge         llm_model_loaded == 0, or the DCGM frame-buffer ratio per GPU
  http_5xx      per-path 5xx share over http_requests_total
Selectors, quantiles, `for`s and thresholds vary, so no two rules send the same query.

A deterministic `hot_fraction` of the rules (7 % by default) gets a threshold well below the
healthy demo world's values, so it really produces pending and then firing alerts (and their
annotations get rendered); every other rule's threshold sits well above them, where the demo
exporter never goes without an injected incident (demo/catalog.h: ~0.5 % errors, p95 under
~1.5 s, frame buffers 59-81 % full). The benchmark reports the fraction actually observed.
"""

import json
import random

MODELS = ["llama3-8b", "mistral-7b", "gemma2-9b", "phi3-mini", "qwen2-72b", "mixtral-8x7b"]
MODES = ["chat", "completion"]
PATHS = ["/v1/chat/completions", "/v1/completions"]
HOSTS = ["gpu-node-1", "gpu-node-2"]
ERROR_TYPES = ["timeout", "internal", "connection"]
FORS = ["0s", "30s", "1m", "2m", "5m"]
SHAPES = ["error_ratio", "latency", "gauge", "http_5xx"]


def _sel(*matchers):
    """`{a,b}` from the non-empty matchers, or "" when there are none."""
    m = ",".join(x for x in matchers if x)
    return "{" + m + "}" if m else ""


def _model_filter(rng):
    """A `model="…"` matcher for one model, or none (one rule covering every model)."""
    return "" if rng.random() < 0.25 else f'model="{rng.choice(MODELS)}"'


def _error_ratio(rng, hot):
    model = _model_filter(rng)
    errors = _sel(model, rng.choice(["", f'error_type="{rng.choice(ERROR_TYPES)}"']))
    threshold = 0.001 if hot else round(rng.uniform(0.02, 0.2), 3)
    expr = (f"sum by (model) (rate(llm_errors_total{errors}[1m]))\n  /\n"
            f"sum by (model) (rate(llm_requests_total{_sel(model)}[1m]))\n  > {threshold}")
    return ("LlmHighErrorRate", expr, {
        "summary": "{{ $labels.model }}: {{ $value | humanizePercentage }} of requests failing",
        "description": ("{{ $value | humanizePercentage }} of {{ $labels.model }} requests failed "
                        f"over the last minute (threshold {threshold * 100:g}%)."),
    })


def _latency(rng, hot):
    q = rng.choice([0.9, 0.95, 0.99])
    sel = _sel(_model_filter(rng), rng.choice(["", f'mode="{rng.choice(MODES)}"']))
    threshold = 0.1 if hot else round(rng.uniform(2.5, 10.0), 1)
    expr = (f"histogram_quantile({q},\n  sum by (model, mode, le) "
            f"(rate(llm_inference_duration_seconds_bucket{sel}[1m]))\n) > {threshold}")
    return ("LlmHighLatency", expr, {
        "summary": (f"{{{{ $labels.model }}}} {{{{ $labels.mode }}}} p{q * 100:g} latency is "
                    "{{ $value | humanizeDuration }}"),
        "description": (f"p{q * 100:g} inference latency of {{{{ $labels.model }}}} "
                        "({{ $labels.mode }}) is {{ printf \"%.3f\" $value }}s "
                        f"(threshold {threshold}s)."),
    })


def _gauge(rng, hot):
    if not hot and rng.random() < 0.4:
        model = rng.choice(MODELS)
        return ("LlmModelNotLoaded", f'llm_model_loaded{{model="{model}"}} == 0', {
            "summary": "{{ $labels.model }} is not loaded on {{ $labels.instance }}",
            "description": "llm_model_loaded is {{ $value }} for {{ $labels.model }}.",
        })
    sel = _sel(rng.choice(["", f'Hostname="{rng.choice(HOSTS)}"']))
    threshold = 0.5 if hot else round(rng.uniform(0.9, 0.98), 2)
    expr = (f"DCGM_FI_DEV_FB_USED{sel}\n  / (DCGM_FI_DEV_FB_USED{sel} + "
            f"DCGM_FI_DEV_FB_FREE{sel})\n  > {threshold}")
    return ("GpuFramebufferFull", expr, {
        "summary": ("GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is "
                    "{{ $value | humanizePercentage }} full"),
        "description": ("{{ $labels.modelName }} {{ $labels.UUID }} ({{ $labels.pod }}) frame "
                        f"buffer over {{{{ {threshold} | humanizePercentage }}}}; "
                        "used {{ $value | humanize }}."),
    })


def _http_5xx(rng, hot):
    path = rng.choice(["", f'path="{rng.choice(PATHS)}"'])
    threshold = 0.001 if hot else round(rng.uniform(0.02, 0.1), 3)
    five = _sel(path, 'status=~"5.."')
    expr = (f"sum by (path) (rate(http_requests_total{five}[1m]))\n  /\n"
            f"sum by (path) (rate(http_requests_total{_sel(path)}[1m]))\n  > {threshold}")
    return ("GatewayHigh5xxRate", expr, {
        "summary": "{{ $labels.path }}: {{ $value | humanizePercentage }} of responses are 5xx",
        "description": "5xx share on {{ $labels.path }} is {{ $value | humanize }} (threshold " +
                       f"{threshold}).",
    })


_BUILDERS = {"error_ratio": _error_ratio, "latency": _latency, "gauge": _gauge,
             "http_5xx": _http_5xx}


def generate_rules(n, groups, hot_fraction=0.07, seed=1):
    """Returns (yaml_text, rules_per_group) for n rules round-robin over `groups` groups.

    Rule i has shape SHAPES[i % 4] and goes to group i * groups // n, so each group is a run of
    consecutive rules holding every shape. round(n * hot_fraction) rules, picked by a seeded
    sample, are "hot". Each rule carries a `rule_id` label so every alert is distinct."""
    rng = random.Random(seed)
    hot = set(rng.sample(range(n), round(n * hot_fraction)))
    groups = max(1, min(groups, n))
    by_group = [[] for _ in range(groups)]
    for i in range(n):
        name, expr, annotations = _BUILDERS[SHAPES[i % len(SHAPES)]](rng, i in hot)
        annotations["runbook_url"] = "{{ $externalURL }}/runbooks/" + name
        by_group[i * groups // n].append({
            "alert": name, "expr": expr, "for": rng.choice(FORS),
            "labels": {"severity": rng.choice(["warning", "critical"]),
                       "team": rng.choice(["serving", "platform", "gpu"]), "rule_id": f"r{i:05d}"},
            "annotations": annotations})
    return _to_yaml(by_group), {f"bench-{g:03d}": len(r) for g, r in enumerate(by_group)}


def _to_yaml(by_group):
    """Rule-file YAML. Expressions are block scalars; other strings are written as JSON
    strings, which YAML reads unchanged."""
    q = json.dumps
    out = ["# Generated by bench/rulegen.py; do not edit.", "groups:"]
    for g, rules in enumerate(by_group):
        out += [f"  - name: bench-{g:03d}", "    rules:"]
        for r in rules:
            out += [f"      - alert: {r['alert']}", "        expr: |"]
            out += ["          " + line for line in r["expr"].split("\n")]
            if r["for"] != "0s":
                out.append(f"        for: {r['for']}")
            out.append("        labels:")
            out += [f"          {k}: {q(v)}" for k, v in r["labels"].items()]
            out.append("        annotations:")
            out += [f"          {k}: {q(v)}" for k, v in r["annotations"].items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # print a sample: python3 bench/rulegen.py [N] [GROUPS]
    import sys
    args = [int(a) for a in sys.argv[1:3]]
    print(generate_rules(*(args + [1000, 50][len(args):]))[0], end="")
