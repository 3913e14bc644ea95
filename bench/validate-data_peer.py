"""Peer for bench/validate-data.bench.ts: pandas + scipy doing the same checks and drift as validate-data.

Usage: /usr/bin/python3 bench/validate-data_peer.py <current.csv> <reference.csv>
Prints one JSON line: {"seconds": .., "cpu_seconds": .., "max_rss_mb": .., "failed": .., "drifted": [..]}.
seconds start after the imports (pandas takes about 0.5 s to import), so the peer is not charged for them;
cpu_seconds and max_rss_mb are for the whole process.
Drift follows Evidently's rules for a reference above 1000 rows: numeric columns with more than 5 distinct
values by normed Wasserstein distance (W1 / std(ref)), categorical ones by Jensen-Shannon distance, drift at
>= 0.1. Checks mirror the expectations file the bench writes (GE semantics: nulls excluded from row checks).
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

NUMERIC = [f"num_{i}" for i in range(8)]
CATEGORICAL = ["cat_a", "cat_b", "cat_c", "cat_d"]

start = time.perf_counter()
current = pd.read_csv(sys.argv[1])
reference = pd.read_csv(sys.argv[2])

checks = []
for c in NUMERIC:
    s = current[c]
    nn = s.dropna()
    checks.append(("not_null", c, int(s.isna().sum()) / len(s) <= 0.05))
    checks.append(("min", c, int((nn < -100).sum()) == 0))
    checks.append(("max", c, int((nn > 1000).sum()) == 0))
    checks.append(("mean", c, -50 <= nn.mean() <= 500))
    checks.append(("stdev", c, 0 <= nn.std(ddof=1) <= 100))
    checks.append(("median", c, -50 <= nn.median() <= 500))
    checks.append(("quantile", c, nn.quantile(0.9) <= 1000))
for c in CATEGORICAL:
    s = current[c]
    nn = s.dropna()
    checks.append(("not_null", c, int(s.isna().sum()) == 0))
    checks.append(("distinct", c, nn.nunique() <= 100))
allowed = {"cat_a": [f"a{i}" for i in range(5)], "cat_b": [f"b{i}" for i in range(20)], "cat_c": ["x", "y", "z"]}
for c, values in allowed.items():
    checks.append(("allowed", c, int((~current[c].dropna().isin(values)).sum()) == 0))
d = current["cat_d"].dropna().astype(str)
checks.append(("regex", "cat_d", int((~d.str.fullmatch(r"code_\d{2}")).sum()) == 0))
checks.append(("length", "cat_d", int(((d.str.len() < 7) | (d.str.len() > 7)).sum()) == 0))
checks.append(("row_count", None, 1000 <= len(current)))

drifted = []
for c in NUMERIC:
    ref = reference[c].dropna().to_numpy()
    cur = current[c].dropna().to_numpy()
    score = wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    if score >= 0.1:
        drifted.append(c)
for c in CATEGORICAL:
    ref = reference[c].dropna().value_counts(normalize=True)
    cur = current[c].dropna().value_counts(normalize=True)
    keys = sorted(set(ref.index) | set(cur.index))
    score = jensenshannon(ref.reindex(keys, fill_value=0).to_numpy(), cur.reindex(keys, fill_value=0).to_numpy())
    if score >= 0.1:
        drifted.append(c)

seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(
    json.dumps(
        {
            "seconds": seconds,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "max_rss_mb": usage.ru_maxrss / 1024,
            "failed": sum(1 for x in checks if not x[2]),
            "drifted": drifted,
        }
    )
)
