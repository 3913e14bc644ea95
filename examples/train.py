#!/usr/bin/python3
"""Builds the example project's data and models from the Pima Indians diabetes data in R's MASS package.

Run with Debian's interpreter (scikit-learn 1.2, pandas 1.5, PyYAML) and R's MASS (Debian r-cran-mass):

    /usr/bin/python3 examples/train.py

Everything it writes is committed, so `npm run demo` and CI need neither Python nor R:

    examples/data/reference.csv    MASS::Pima.tr (200 women): the data the champion was trained on
    examples/data/current.csv      the new batch: the older outreach cohort (age >= 30) of MASS::Pima.te plus
                                   the rows of MASS::Pima.tr2 with missing measurements (real nulls)
    examples/data/predictions.csv  held-out half of MASS::Pima.te scored by both models (label, champion,
                                   challenger, age_group)
    examples/model/champion.json   logistic regression trained on the reference only
    examples/model/challenger.json logistic regression with an age-squared term, trained on the reference plus
                                   the current batch minus the held-out rows
    examples/data/training-history.csv  the challenger's training run, epoch by epoch, as Keras' CSVLogger
                                   writes it (for validate-training and examples/training.yml)

Why this data set: it is real, tiny (< 100 KB), ships in a Debian package, and has `age`, which is both a
natural source of population drift (a clinic that starts serving older patients) and a sensitive attribute for
the per-slice and fairness gates. Source: Smith et al. (1988), via Venables & Ripley, MASS 4th ed.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import warnings

import numpy as np
import pandas as pd
import yaml
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

HERE = Path(__file__).resolve().parent
COLUMNS = ["npreg", "glu", "bp", "skin", "bmi", "ped", "age", "type"]


def load_mass(name: str) -> pd.DataFrame:
    """Reads a MASS data set through Rscript, so the committed CSVs are traceable to the Debian package."""
    csv = subprocess.run(
        ["Rscript", "-e", f"write.csv(MASS::{name}, stdout(), row.names = FALSE, na = '')"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    frame = pd.read_csv(io.StringIO(csv))[COLUMNS]
    # Counts and mm Hg are integers in MASS; keep them integers in the CSV even where a value is missing.
    for column in ("npreg", "glu", "bp", "skin", "age"):
        frame[column] = frame[column].astype("Int64")
    return frame


def age_group(age: pd.Series) -> pd.Series:
    return pd.cut(age, bins=[0, 29, 39, 200], labels=["21-29", "30-39", "40+"]).astype(str)


def design(frame: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    out = frame.copy()
    out["age_squared"] = out["age"] ** 2
    return out[features]


class Model:
    """Median imputation, standardisation and logistic regression, serialisable as plain JSON (no pickle)."""

    def __init__(self, name: str, features: list[str], C: float, seed: int):
        self.name, self.features, self.C, self.seed = name, features, C, seed

    def fit(self, frame: pd.DataFrame) -> "Model":
        x = design(frame, self.features)
        self.medians = x.median()
        x = x.fillna(self.medians)
        self.means, self.scales = x.mean(), x.std(ddof=0)
        z = (x - self.means) / self.scales
        y = (frame["type"] == "Yes").astype(int)
        self.lr = LogisticRegression(C=self.C, max_iter=1000, random_state=self.seed).fit(z, y)
        self.n_train = len(frame)
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        z = (design(frame, self.features).fillna(self.medians) - self.means) / self.scales
        return self.lr.predict_proba(z)[:, 1]

    def to_json(self) -> dict:
        return {
            "format": "mlops-example/logistic-regression/v1",
            "name": self.name,
            "trained_rows": self.n_train,
            "features": self.features,
            "impute_median": {k: float(v) for k, v in self.medians.items()},
            "standardize": {
                "mean": {k: float(v) for k, v in self.means.items()},
                "scale": {k: float(v) for k, v in self.scales.items()},
            },
            "coefficients": {k: float(v) for k, v in zip(self.features, self.lr.coef_[0])},
            "intercept": float(self.lr.intercept_[0]),
            "positive_class": "Yes",
        }


HISTORY_EPOCHS = 30


def training_history(spec: dict, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The challenger's specification trained epoch by epoch: warm_start with one L-BFGS iteration per fit, on 80%
    of its training rows, with the other 20% (stratified) for validation. Each epoch logs what Keras' CSVLogger
    would: training and validation log loss and accuracy, and the norm of the full gradient of scikit-learn's
    objective (mean log loss + ||w||^2 / (2 C n)), so a run that stalls or diverges shows in the numbers.
    The registered challenger.json is fitted separately (to convergence), so this leaves it untouched."""
    fit_rows, val_rows = train_test_split(frame, test_size=0.2, stratify=frame["type"], random_state=seed)
    x = design(fit_rows, spec["features"])
    medians = x.median()
    x = x.fillna(medians)
    means, scales = x.mean(), x.std(ddof=0)
    z = ((x - means) / scales).to_numpy()
    zv = ((design(val_rows, spec["features"]).fillna(medians) - means) / scales).to_numpy()
    y = (fit_rows["type"] == "Yes").astype(int).to_numpy()
    yv = (val_rows["type"] == "Yes").astype(int).to_numpy()
    model = LogisticRegression(C=spec["C"], max_iter=1, warm_start=True, random_state=seed)
    rows = []
    for epoch in range(HISTORY_EPOCHS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(z, y)
        p = model.predict_proba(z)[:, 1]
        w = model.coef_[0]
        gradient = np.concatenate([z.T @ (p - y) / len(y) + w / (spec["C"] * len(y)), [np.mean(p - y)]])
        rows.append({
            "epoch": epoch,
            "accuracy": accuracy_score(y, p >= 0.5),
            "grad_norm": float(np.linalg.norm(gradient)),
            "loss": log_loss(y, p),
            "val_accuracy": accuracy_score(yv, model.predict_proba(zv)[:, 1] >= 0.5),
            "val_loss": log_loss(yv, model.predict_proba(zv)[:, 1]),
        })
    return pd.DataFrame(rows)


def main() -> None:
    params = yaml.safe_load((HERE / "params.yml").read_text())
    seed = params["seed"]
    train, test = load_mass("Pima.tr"), load_mass("Pima.te")
    tr2 = load_mass("Pima.tr2")
    with_missing = tr2[tr2.isna().any(axis=1)]

    # The gate's held-out rows: half of Pima.te, stratified by outcome, all ages (the population served).
    test_side, holdout = train_test_split(
        test, test_size=params["holdout_share"], stratify=test["type"], random_state=seed
    )
    older = params["current_min_age"]
    current = pd.concat([test[test["age"] >= older], with_missing[with_missing["age"] >= older]])
    current = current.sample(frac=1.0, random_state=seed)  # arrival order carries no information
    # The challenger sees the new cohort, but never the held-out rows it is judged on.
    challenger_train = pd.concat(
        [train, test_side[test_side["age"] >= older], with_missing[with_missing["age"] >= older]]
    )

    champion = Model("champion", params["champion"]["features"], params["champion"]["C"], seed).fit(train)
    challenger = Model(
        "challenger", params["challenger"]["features"], params["challenger"]["C"], seed
    ).fit(challenger_train)

    data, models = HERE / "data", HERE / "model"
    data.mkdir(exist_ok=True)
    models.mkdir(exist_ok=True)
    train.to_csv(data / "reference.csv", index=False)
    current.to_csv(data / "current.csv", index=False)
    predictions = pd.DataFrame(
        {
            "id": [f"te-{i + 1}" for i in holdout.index],
            "label": (holdout["type"] == "Yes").astype(int).values,
            "champion": np.round(champion.predict_proba(holdout), 6),
            "challenger": np.round(challenger.predict_proba(holdout), 6),
            "age_group": age_group(holdout["age"]).values,
        }
    )
    predictions.to_csv(data / "predictions.csv", index=False)
    for model in (champion, challenger):
        (models / f"{model.name}.json").write_text(json.dumps(model.to_json(), indent=2) + "\n")

    history = training_history(params["challenger"], challenger_train, seed)
    history.to_csv(data / "training-history.csv", index=False)

    y = predictions["label"]
    print(f"challenger training: loss {history.loss.iloc[0]:.4f} -> {history.loss.iloc[-1]:.4f}, "
          f"val_loss {history.val_loss.iloc[0]:.4f} -> {history.val_loss.iloc[-1]:.4f} in {len(history)} epochs")
    print(f"reference {len(train)} rows, current {len(current)} rows, held out {len(holdout)} rows")
    for name in ("champion", "challenger"):
        print(f"{name}: roc_auc {roc_auc_score(y, predictions[name]):.4f}")
    for group, rows in predictions.groupby("age_group"):
        aucs = [roc_auc_score(rows.label, rows[m]) for m in ("champion", "challenger")]
        print(f"  age {group}: n={len(rows)} positives={rows.label.sum()} auc champion {aucs[0]:.3f} challenger {aucs[1]:.3f}")


if __name__ == "__main__":
    main()
