"""pandas + scipy peer for bench/validate-data-workload.bench.ts (issue 21's workload, automatic drift and no
expectations file): read both CSV files, then per column the null count, and for numeric columns min, max,
mean, standard deviation and quartiles, for the others the distinct count; drift by Evidently's rule for a
reference above 1000 rows, as validate-data's automatic choice: numeric columns with more than 5 distinct
values by normed Wasserstein distance (W1 / std(ref)), the others by Jensen-Shannon distance, drift at >= 0.1.

Usage: /usr/bin/python3 bench/validate-data-workload_peer.py <current.csv> <reference.csv>
Prints one JSON line: {"seconds": .., "cpu_seconds": .., "max_rss_mb": .., "drifted": [..]}; seconds start
after the imports.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

start = time.perf_counter()
current = pd.read_csv(sys.argv[1])
reference = pd.read_csv(sys.argv[2])

stats = {}
drifted = []
for c in current.columns:
    cur, ref = current[c], reference[c]
    numeric = pd.api.types.is_numeric_dtype(cur) and pd.api.types.is_numeric_dtype(ref)
    entry = {"nulls": int(cur.isna().sum()), "distinct": int(cur.nunique())}
    if numeric:
        nn = cur.dropna()
        entry.update(min=nn.min(), max=nn.max(), mean=nn.mean(), std=nn.std(), q=list(nn.quantile([0.25, 0.5, 0.75])))
    stats[c] = entry
    if numeric and ref.nunique() > 5:
        r = ref.dropna().to_numpy()
        score = wasserstein_distance(r, cur.dropna().to_numpy()) / max(np.std(r), 0.001)
    else:
        rc = ref.dropna().value_counts(normalize=True)
        cc = cur.dropna().value_counts(normalize=True)
        keys = rc.index.union(cc.index)
        score = jensenshannon(rc.reindex(keys, fill_value=0).to_numpy(), cc.reindex(keys, fill_value=0).to_numpy())
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
            "drifted": drifted,
        }
    )
)
