#!/usr/bin/python3
"""The common Python way to gate a model on a predictions file, timed: pandas reads the CSV, scikit-learn
computes the metrics, a bootstrap loop calls roc_auc_score on resampled rows for each model (the pattern of
most gating scripts and blog posts), DeLong's test is the widely copied numpy implementation of Sun & Xu's
fast algorithm (compare_auc_delong_xu.py), and slices are pandas groupby + roc_auc_score + DeLong.

The bootstrap loop is timed over --measure resamples and scaled to --resamples (its cost per resample is
constant), so the benchmark stays within minutes. Prints one JSON object.

usage: /usr/bin/python3 evaluate-gate_peer.py predictions.csv --resamples 1000 --measure 20 --slices a,b,c
"""

import argparse
import json
import time

import numpy as np
import pandas as pd
import scipy.stats
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, f1_score, log_loss,
                             precision_score, recall_score, roc_auc_score)


def compute_midrank(x):
    j = np.argsort(x)
    z = x[j]
    n = len(x)
    t = np.zeros(n, dtype=float)
    i = 0
    while i < n:
        k = i
        while k < n and z[k] == z[i]:
            k += 1
        t[i:k] = 0.5 * (i + k - 1)
        i = k
    t2 = np.empty(n, dtype=float)
    t2[j] = t + 1
    return t2


def fast_delong(predictions_sorted_transposed, label_1_count):
    # compare_auc_delong_xu.py (Yandex), the implementation most Python projects copy.
    m = label_1_count
    n = predictions_sorted_transposed.shape[1] - m
    positive_examples = predictions_sorted_transposed[:, :m]
    negative_examples = predictions_sorted_transposed[:, m:]
    k = predictions_sorted_transposed.shape[0]
    tx = np.empty([k, m], dtype=float)
    ty = np.empty([k, n], dtype=float)
    tz = np.empty([k, m + n], dtype=float)
    for r in range(k):
        tx[r, :] = compute_midrank(positive_examples[r, :])
        ty[r, :] = compute_midrank(negative_examples[r, :])
        tz[r, :] = compute_midrank(predictions_sorted_transposed[r, :])
    aucs = tz[:, :m].sum(axis=1) / m / n - float(m + 1.0) / 2.0 / n
    v01 = (tz[:, :m] - tx[:, :]) / n
    v10 = 1.0 - (tz[:, m:] - ty[:, :]) / m
    sx = np.cov(v01)
    sy = np.cov(v10)
    delongcov = sx / m + sy / n
    return aucs, delongcov


def delong_test(y, a, b):
    order = (-y).argsort(kind="mergesort")
    label_1_count = int(y.sum())
    preds = np.vstack((a, b))[:, order]
    aucs, cov = fast_delong(preds, label_1_count)
    diff = aucs[0] - aucs[1]
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    z = diff / np.sqrt(var)
    return diff, z, 2 * scipy.stats.norm.sf(abs(z))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("predictions")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--measure", type=int, default=20)
    parser.add_argument("--slices", default="")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    timings = {}
    cpu_start = time.process_time()

    start = time.perf_counter()
    df = pd.read_csv(args.predictions)
    y = df["label"].to_numpy()
    a = df["challenger"].to_numpy()
    b = df["champion"].to_numpy()
    timings["read_s"] = time.perf_counter() - start

    start = time.perf_counter()
    for s in (a, b):
        pred = (s >= 0.5).astype(int)
        roc_auc_score(y, s), average_precision_score(y, s), accuracy_score(y, pred), precision_score(y, pred)
        recall_score(y, pred), f1_score(y, pred), log_loss(y, s), brier_score_loss(y, s)
    timings["metrics_s"] = time.perf_counter() - start

    start = time.perf_counter()
    diff, z, p = delong_test(y, a, b)
    timings["delong_s"] = time.perf_counter() - start

    rng = np.random.default_rng(args.seed)
    n = len(y)
    differences = []
    start = time.perf_counter()
    cpu_before_bootstrap = time.process_time()
    for _ in range(args.measure):
        idx = rng.integers(0, n, n)
        differences.append(roc_auc_score(y[idx], a[idx]) - roc_auc_score(y[idx], b[idx]))
    per_resample = (time.perf_counter() - start) / args.measure
    cpu_per_resample = (time.process_time() - cpu_before_bootstrap) / args.measure
    timings["bootstrap_per_resample_s"] = per_resample
    timings["bootstrap_s"] = per_resample * args.resamples

    start = time.perf_counter()
    slices = {}
    for column in [c for c in args.slices.split(",") if c]:
        for group, part in df.groupby(column):
            yy, aa, bb = part["label"].to_numpy(), part["challenger"].to_numpy(), part["champion"].to_numpy()
            slices[f"{column}={group}"] = [roc_auc_score(yy, aa), roc_auc_score(yy, bb), delong_test(yy, aa, bb)[1]]
    timings["slices_s"] = time.perf_counter() - start

    total = timings["read_s"] + timings["metrics_s"] + timings["delong_s"] + timings["bootstrap_s"] + timings["slices_s"]
    # CPU seconds (all threads of the process), with the measured resamples' CPU replaced by the scaled cost.
    cpu_total = (time.process_time() - cpu_start) + cpu_per_resample * (args.resamples - args.measure)
    print(json.dumps({
        **{k: round(v, 4) for k, v in timings.items()},
        "total_s": round(total, 3),
        "cpu_s": round(cpu_total, 3),
        "bootstrap_cpu_per_resample_s": round(cpu_per_resample, 4),
        "resamples": args.resamples,
        "measured_resamples": args.measure,
        "delong_z": z,
        "delong_p": p,
        "auc_difference": diff,
        "bootstrap_sd": float(np.std(differences, ddof=1)) if len(differences) > 1 else None,
        "slices": len(slices),
    }))


if __name__ == "__main__":
    main()
