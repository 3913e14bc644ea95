#!/usr/bin/python3
"""Peer for bench/bootstrap-auc.bench.ts: today's common practice for a paired bootstrap of an AUC
difference — scikit-learn's roc_auc_score in a resampling loop (Debian python3-sklearn), stratified by
class like ours (pROC's default) so both do the same statistical work.

Usage: bootstrap-auc_peer.py <data.f64> <n> <resamples>
The data file holds y, scores_a, scores_b as three float64 arrays of n values each (written by the bench).
Prints one JSON line: the measured resamples, wall and CPU seconds, per-resample seconds, and the
full-sample AUC difference (a cross-check that both sides read the same data).
"""
import json
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score


def main():
    path, n, resamples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = np.fromfile(path, dtype=np.float64).reshape(3, n)
    y = data[0].astype(np.int64)
    a, b = data[1], data[2]
    difference = roc_auc_score(y, a) - roc_auc_score(y, b)
    positives = np.flatnonzero(y == 1)
    negatives = np.flatnonzero(y == 0)
    rng = np.random.default_rng(1)
    wall = time.perf_counter()
    cpu = time.process_time()
    draws = np.empty(resamples)
    for r in range(resamples):
        idx = np.concatenate([rng.choice(positives, positives.size), rng.choice(negatives, negatives.size)])
        yy = y[idx]
        draws[r] = roc_auc_score(yy, a[idx]) - roc_auc_score(yy, b[idx])
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    lo, hi = np.percentile(draws, [2.5, 97.5])
    print(json.dumps({
        "resamples": resamples,
        "wall_s": wall,
        "cpu_s": cpu,
        "per_resample_wall_s": wall / resamples,
        "per_resample_cpu_s": cpu / resamples,
        "difference": float(difference),
        "ci_percentile": [float(lo), float(hi)],
    }))


if __name__ == "__main__":
    main()
