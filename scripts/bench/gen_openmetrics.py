#!/usr/bin/env python3
"""OpenMetrics text for promtool tsdb create-blocks-from openmetrics: a mix of counters,
random-walk gauges and noisy gauges, one sample every STEP seconds."""
import random, sys
series, hours, step = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
end = 1_764_000_000 - 3 * 3600  # fixed: reproducible
start = end - int(hours * 3600)
random.seed(42)
out = sys.stdout
w = out.write
n_metrics = max(1, series // 50)
per = series // n_metrics
for m in range(n_metrics):
    kind = m % 3
    name = f"stellar_{['orders_total','balance','latency_seconds'][kind]}_{m}"
    w(f"# TYPE {name} {'counter' if kind == 0 else 'gauge'}\n")
    for s in range(per):
        lbl = f'{{instance="host-{s % 17}:9100",job="connector",pair="XLM-USDC-{s}"}}'
        v = random.uniform(0, 1000)
        lines = []
        for t in range(start, end, step):
            if kind == 0:
                v += random.randint(0, 5)
                vs = f"{v:.0f}"
            elif kind == 1:
                v += random.gauss(0, 1)
                vs = f"{v:.2f}"
            else:
                vs = repr(random.expovariate(20.0))
            lines.append(f"{name}{'_total' if kind == 0 else ''}{lbl} {vs} {t}\n")
        w("".join(lines))
w("# EOF\n")
