#!/usr/bin/python3
"""Writes data/behavior.csv: behavioral tests (CheckList style) of the example's two committed models.

Each test case is a real patient row of data/current.csv (the new batch; variant 0, as measured) and
perturbations of it (variants 1..), scored by both models exactly as they are committed in model/*.json
(median imputation, standardisation, logistic regression). The tests are ones a clinician would state:

* measurement_noise (invariance): re-measuring the BMI (+-0.5 kg/m2) or the diastolic pressure (+-2 mm Hg)
  must not change the referral decision at the gate's threshold (0.5).
* glucose_up (directional): a higher plasma glucose (+10, +20 mg/dL) must not lower the predicted risk.
* older (directional): the same woman five and ten years older must not have a lower predicted risk
  (report only in gate.yml: the challenger's age-squared term bends its risk down for the oldest women).
* clear_cases (minimum): unambiguous pictures must be classified as a clinician would: glucose >= 170
  with BMI >= 35 is a referral; glucose <= 95 with BMI <= 27 and age <= 30 is not.

Run with Debian's interpreter from the repository root: /usr/bin/python3 examples/behavior.py
Deterministic: no randomness. The expected fail counts are recomputed independently by
test/fixtures/evaluate-gate/generate_model_checks.py for the tests.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
THRESHOLD = 0.5


def load_model(name: str) -> dict:
    return json.loads((HERE / "model" / f"{name}.json").read_text())


def predict(model: dict, frame: pd.DataFrame) -> np.ndarray:
    """The committed model applied as train.py's Model.predict_proba does, from its JSON alone."""
    x = frame.copy()
    x["age_squared"] = x["age"] ** 2
    logit = np.full(len(x), model["intercept"])
    for feature in model["features"]:
        value = x[feature].astype(float).fillna(model["impute_median"][feature])
        z = (value - model["standardize"]["mean"][feature]) / model["standardize"]["scale"][feature]
        logit = logit + model["coefficients"][feature] * z.to_numpy()
    return 1 / (1 + np.exp(-logit))


def perturbed(base: pd.DataFrame, changes: list[dict]) -> list[pd.DataFrame]:
    out = []
    for change in changes:
        frame = base.copy()
        for column, delta in change.items():
            frame[column] = frame[column].astype(float) + delta
        out.append(frame)
    return out


def cases(test: str, kind: str, base: pd.DataFrame, variants: list[pd.DataFrame], **fields) -> pd.DataFrame:
    rows = []
    for variant, frame in enumerate([base, *variants]):
        part = frame.copy()
        part["test"], part["type"], part["variant"] = test, kind, variant
        part["case"] = [f"{test}-{row}" for row in base["row"]]
        for key, value in fields.items():
            part[key] = value if variant > 0 or key != "expect" else ""
        rows.append(part)
    return pd.concat(rows)


def main() -> None:
    current = pd.read_csv(HERE / "data" / "current.csv")
    current["row"] = np.arange(1, len(current) + 1)  # the data row of current.csv, for case ids
    measured = current.dropna(subset=["bmi", "bp"])
    parts = [
        cases(
            "measurement_noise",
            "invariance",
            measured,
            perturbed(measured, [{"bmi": 0.5}, {"bmi": -0.5}, {"bp": 2}, {"bp": -2}]),
        ),
        cases(
            "glucose_up",
            "directional",
            current.dropna(subset=["glu"]),
            perturbed(current.dropna(subset=["glu"]), [{"glu": 10}, {"glu": 20}]),
            expect="increase",
        ),
        cases("older", "directional", current, perturbed(current, [{"age": 5}, {"age": 10}]), expect="increase"),
    ]
    positive = current[(current["glu"] >= 170) & (current["bmi"] >= 35)]
    negative = current[(current["glu"] <= 95) & (current["bmi"] <= 27) & (current["age"] <= 30)]
    clear = pd.concat([positive.assign(label=1), negative.assign(label=0)])
    parts.append(cases("clear_cases", "minimum", clear, []))
    table = pd.concat(parts, ignore_index=True)
    for name in ("champion", "challenger"):
        table[name] = np.round(predict(load_model(name), table), 6)
    if "label" not in table:
        table["label"] = np.nan
    table["label"] = table["label"].astype("Int64")
    table["expect"] = table["expect"].fillna("")
    table["tolerance"] = ""
    columns = ["test", "type", "case", "variant", "expect", "label", "tolerance", "champion", "challenger"]
    table[columns].to_csv(HERE / "data" / "behavior.csv", index=False)
    print(f"data/behavior.csv: {len(table)} rows")
    for test, rows in table.groupby("test", sort=False):
        print(f"  {test}: {rows['case'].nunique()} cases, {len(rows)} rows")


if __name__ == "__main__":
    main()
