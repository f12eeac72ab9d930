"""Train Tandem's credit-default model and write its versioned artefacts.

    /usr/bin/python3 models/training/train.py [--data PATH] [--out DIR]

Deterministic: fixed seed, single-threaded BLAS and xgboost, no wall-clock
values; the same CSV gives byte-identical files. Writes
models/credit-default/0.1.0/ (logistic regression, the baseline) and
models/credit-default/1.0.0/ (XGBoost, xgb_version.py), each with
{model.onnx, model-card.json, test-vectors.json, reference.json}, and
models/demo/applications.json.
"""

from __future__ import annotations

import os

# Before numpy loads: one BLAS thread so floating-point reductions happen in the
# same order on every run (part of the byte-identical guarantee).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent))
import onnx_export  # noqa: E402
import xgb_version  # noqa: E402
from demo_applications import demo_applications  # noqa: E402
from tandem_features import (  # noqa: E402
    ANNUAL_INTEREST_RATE, CLIP_QUANTILES, EMPLOYMENT_MULTIPLIERS, FEATURE_NAMES, FEATURE_SPECS,
    FeatureTransform, csv_to_inputs, raw_frame,
)

SEED = 20261122
MODEL_NAME = "credit-default"
VERSION = "0.1.0"
CREATED = "2026-11-22"  # constant on purpose: a timestamp would break byte-identical retraining
C_GRID = [0.01, 0.03, 0.1, 0.3, 1.0]  # inverse L2 strength, chosen by 5-fold CV AUC
# Target shares of applications decided automatically; thresholds are the
# out-of-fold PD quantiles at these shares, rounded to 0.005 towards fewer
# automatic decisions.
AUTO_APPROVE_SHARE = 0.40
AUTO_DECLINE_SHARE = 0.12
SCORE_SCALING = {"baseScore": 600, "baseOdds": 50, "pdo": 20}
# Risk bands by PD upper bound (exclusive); mirrored by DEFAULT_RISK_BANDS in
# subgraphs/scoring/src/domain/score-scale.ts (a test checks they agree).
RISK_BANDS = [
    {"band": "A", "maxPd": 0.05}, {"band": "B", "maxPd": 0.10}, {"band": "C", "maxPd": 0.20},
    {"band": "D", "maxPd": 0.40}, {"band": "E", "maxPd": 1.0},
]
N_TEST_VECTORS = 20
N_DEMO = 300
REFERENCE_QUANTILES = [0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = Path("/work/shared/data/credit-applications/applications.csv")


# ---------------------------------------------------------------- helpers

def to_jsonable(o):
    """numpy scalars/arrays -> plain Python so json output is stable."""
    if isinstance(o, dict):
        return {k: to_jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [to_jsonable(v) for v in o]
    if isinstance(o, np.ndarray):
        return [to_jsonable(v) for v in o.tolist()]
    if isinstance(o, (np.bool_,)):
        return bool(o)
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, (float, np.floating)):
        f = float(o)
        if not math.isfinite(f):
            raise ValueError("non-finite number in JSON output")
        return f
    return o


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class StandardisedLogit:
    """Scaler + L2 logistic regression with the parameters kept explicit, so the
    exact same float64 arithmetic produces PDs, contributions and ONNX weights."""

    def __init__(self, C: float):
        self.C = C

    def fit(self, x: np.ndarray, y: np.ndarray) -> "StandardisedLogit":
        self.mean = x.mean(axis=0)
        self.std = x.std(axis=0)  # population std, as sklearn's StandardScaler
        if (self.std == 0).any():
            raise ValueError("constant feature: " + ", ".join(np.array(FEATURE_NAMES)[self.std == 0]))
        lr = LogisticRegression(C=self.C, solver="lbfgs", max_iter=10_000, tol=1e-10)
        lr.fit((x - self.mean) / self.std, y)
        self.coef = lr.coef_[0].copy()
        self.intercept = float(lr.intercept_[0])
        return self

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """coef_i · (x_i − mean_i)/std_i: logit = intercept + Σ contributions."""
        return self.coef * (x - self.mean) / self.std

    def logit(self, x: np.ndarray) -> np.ndarray:
        return self.intercept + self.contributions(x).sum(axis=1)

    def pd(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


def ks_statistic(y, p) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def score_points(pd_: np.ndarray) -> np.ndarray:
    """Points-to-double-odds scaling (see score-scale.ts): offset + factor·ln(good/bad odds)."""
    factor = SCORE_SCALING["pdo"] / math.log(2)
    offset = SCORE_SCALING["baseScore"] - factor * math.log(SCORE_SCALING["baseOdds"])
    return offset + factor * np.log((1 - pd_) / pd_)


def risk_band(pd_: float) -> str:
    for b in RISK_BANDS:
        if pd_ < b["maxPd"]:
            return b["band"]
    return RISK_BANDS[-1]["band"]


def distribution(values: np.ndarray, cuts=None) -> dict:
    """Quantiles + histogram. Bins: (-inf, c0], (c0, c1], ..., (c_last, inf);
    default cuts are the unique interior deciles, so each bin is ~10% here."""
    values = np.asarray(values, dtype=np.float64)
    qs = np.quantile(values, REFERENCE_QUANTILES)
    if cuts is None:
        cuts = np.unique(np.quantile(values, np.linspace(0.1, 0.9, 9)))
    counts = np.bincount(np.searchsorted(cuts, values, side="left"), minlength=len(cuts) + 1)
    return {
        "quantiles": {f"p{round(q * 100)}": float(v) for q, v in zip(REFERENCE_QUANTILES, qs)},
        "mean": float(values.mean()),
        "histogram": {"cuts": cuts, "counts": counts, "proportions": counts / counts.sum()},
    }


def nice_threshold(q: float, direction: str) -> float:
    """Round to a 0.005 grid towards less automation: approve cut down, decline cut up."""
    steps = math.floor(q / 0.005 + 1e-9) if direction == "down" else math.ceil(q / 0.005 - 1e-9)
    return round(steps * 0.005, 3)


# ---------------------------------------------------------------- pipeline

def cross_validate(inputs_raw: pd.DataFrame, y: np.ndarray, C: float):
    """5-fold CV refitting imputation/clipping inside each fold. Returns fold AUCs and OOF PDs."""
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    oof = np.empty(len(y))
    aucs = []
    for tr, va in skf.split(np.zeros(len(y)), y):
        tf = FeatureTransform.fit(inputs_raw.iloc[tr])
        model = StandardisedLogit(C).fit(tf.apply(inputs_raw.iloc[tr]), y[tr])
        oof[va] = model.pd(tf.apply(inputs_raw.iloc[va]))
        aucs.append(roc_auc_score(y[va], oof[va]))
    return np.array(aucs), oof


def route_shares(pd_: np.ndarray, y: np.ndarray, approve_below: float, decline_above: float) -> dict:
    out = {}
    for name, mask in (("autoApprove", pd_ < approve_below), ("autoDecline", pd_ > decline_above),
                       ("humanReview", (pd_ >= approve_below) & (pd_ <= decline_above))):
        out[name] = {"share": float(mask.mean()), "count": int(mask.sum()),
                     "badRate": float(y[mask].mean()) if mask.any() else None}
    return out


def pick_test_vectors(df: pd.DataFrame, inputs: list[dict], hold_idx: np.ndarray,
                      n: int = N_TEST_VECTORS) -> list[int]:
    """n (20) holdout rows: some with missing financials, every housing and
    employment type at least once, rest random (seeded)."""
    rng = np.random.default_rng(SEED)
    pool = [int(i) for i in rng.permutation(np.sort(hold_idx))]
    chosen: list[int] = []
    for col in ("Income", "Assets", "Debt"):  # up to 2 rows per missing financial field
        chosen += [i for i in pool if pd.isna(df.iloc[i][col]) and i not in chosen][:2]
    for key in ("housing", "employmentType"):
        for cat in sorted({inputs[i][key] for i in pool}):
            if not any(inputs[i][key] == cat for i in chosen):
                chosen.append(next(i for i in pool if inputs[i][key] == cat and i not in chosen))
    for i in pool:
        if len(chosen) >= n:
            break
        if i not in chosen:
            chosen.append(i)
    return sorted(chosen)


def reference_document(version: str, x_tr: np.ndarray, raw_tr: pd.DataFrame, y_tr: np.ndarray, pd_tr: np.ndarray,
                       approve_below: float, decline_above: float) -> dict:
    """Training-split feature and score distributions: the drift baseline."""
    points_tr = score_points(pd_tr)
    bands = [risk_band(p) for p in pd_tr]
    return {
        "model": MODEL_NAME, "version": version,
        "population": f"training split ({len(y_tr)} rows)",
        "binning": "histogram bin i holds values v with cuts[i-1] < v <= cuts[i] "
                   "(first bin unbounded below, last unbounded above)",
        "features": {
            name: {
                "space": "model input (after imputation, clipping, transform)",
                "missingRate": float(raw_tr[name].isna().mean()),
                **distribution(x_tr[:, j]),
                "raw": None if raw_tr[name].dropna().empty else {
                    "space": "raw value before imputation (non-missing only)",
                    "quantiles": distribution(raw_tr[name].dropna().to_numpy())["quantiles"],
                },
            }
            for j, name in enumerate(FEATURE_NAMES)
        },
        "score": {
            "pd": distribution(pd_tr),
            "points": distribution(points_tr),
            "riskBands": {b["band"]: float(np.mean([x == b["band"] for x in bands])) for b in RISK_BANDS},
            "routing": route_shares(pd_tr, y_tr, approve_below, decline_above),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=REPO / "models")
    args = ap.parse_args()

    data_bytes = args.data.read_bytes()
    data_sha = hashlib.sha256(data_bytes).hexdigest()
    df = pd.read_csv(args.data)
    y = df["default"].to_numpy(dtype=int)
    inputs = csv_to_inputs(df)
    raw = raw_frame(inputs)

    idx = np.arange(len(df))
    train_idx, hold_idx = train_test_split(idx, test_size=0.2, stratify=y, random_state=SEED)
    train_idx, hold_idx = np.sort(train_idx), np.sort(hold_idx)
    raw_tr, raw_ho, y_tr, y_ho = raw.iloc[train_idx], raw.iloc[hold_idx], y[train_idx], y[hold_idx]

    # Regularisation strength by CV AUC on the training split only.
    cv = {C: cross_validate(raw_tr, y_tr, C) for C in C_GRID}
    best_C = max(C_GRID, key=lambda C: (round(cv[C][0].mean(), 6), -C))  # ties -> stronger penalty
    cv_aucs, oof = cv[best_C]

    tf = FeatureTransform.fit(raw_tr)
    x_tr, x_ho = tf.apply(raw_tr), tf.apply(raw_ho)
    model = StandardisedLogit(best_C).fit(x_tr, y_tr)
    pd_tr, pd_ho = model.pd(x_tr), model.pd(x_ho)

    approve_below = nice_threshold(np.quantile(oof, AUTO_APPROVE_SHARE), "down")
    decline_above = nice_threshold(np.quantile(oof, 1 - AUTO_DECLINE_SHARE), "up")
    holdout_auc = roc_auc_score(y_ho, pd_ho)
    metrics = {
        "cvAuc": {"mean": float(cv_aucs.mean()), "std": float(cv_aucs.std()), "folds": cv_aucs,
                  "note": "5-fold stratified CV on the training split, imputation/clipping refitted per fold"},
        "cvAucByC": {str(C): float(cv[C][0].mean()) for C in C_GRID},
        "trainAuc": float(roc_auc_score(y_tr, pd_tr)),
        "holdoutAuc": float(holdout_auc),
        "holdoutGini": float(2 * holdout_auc - 1),
        "holdoutKs": ks_statistic(y_ho, pd_ho),
        "holdoutBrier": float(brier_score_loss(y_ho, pd_ho)),
        "holdoutDefaultRate": float(y_ho.mean()),
        "holdoutMeanPd": float(pd_ho.mean()),
        "holdoutRouting": route_shares(pd_ho, y_ho, approve_below, decline_above),
    }

    out_dir = args.out / MODEL_NAME / VERSION
    out_dir.mkdir(parents=True, exist_ok=True)

    # ---- ONNX
    onnx_model = onnx_export.build_logistic_model(
        model.mean, model.std, model.coef, model.intercept, FEATURE_NAMES, MODEL_NAME, VERSION)
    check = onnx_export.float32_reference(onnx_model, x_ho)[:, 0]
    assert np.max(np.abs(check - pd_ho)) < 1e-5, "float32 graph disagrees with float64 model"
    (out_dir / "model.onnx").write_bytes(onnx_model.SerializeToString())

    # ---- model card
    missing_text = {
        "continuous": "if an input it needs is missing (or a denominator is not positive) "
                      "the raw value is replaced by imputationValue, the training median",
        "binary": "never missing",
    }
    features = []
    for j, spec in enumerate(FEATURE_SPECS):
        name = spec["name"]
        clip = tf.clip[name]
        features.append({
            **spec,
            "missing": missing_text[spec["type"]],
            "imputationValue": tf.imputation[name],
            "clip": None if clip is None else {"min": clip[0], "max": clip[1]},
            "mean": float(model.mean[j]),
            "std": float(model.std[j]),
            "coefficient": float(model.coef[j]),
            "trainingMissingRate": float(raw_tr[name].isna().mean()),
        })
    card = {
        "name": MODEL_NAME,
        "version": VERSION,
        "created": CREATED,
        "algorithm": f"L2-regularised logistic regression on standardised features (sklearn lbfgs, C={best_C})",
        "target": "probability of default: the application's outcome was 'bad' (CSV default = 1)",
        "onnx": {
            "file": "model.onnx", "opset": onnx_export.OPSET, "irVersion": onnx_export.IR_VERSION,
            "input": {"name": "features", "type": "float32", "shape": ["N", len(FEATURE_NAMES)],
                      "contents": "features in card order after imputation, clipping and transform; "
                                  "NOT standardised (the graph subtracts mean and divides by std)"},
            "output": {"name": "probability", "type": "float32", "shape": ["N", 1],
                       "contents": "probability of default"},
        },
        "featurePipeline": "raw value from Tandem input fields -> impute missing with imputationValue -> "
                           "clip to [clip.min, clip.max] -> transform (log1p or none) -> model input",
        "constants": {
            "annualInterestRate": ANNUAL_INTEREST_RATE,
            "employmentMultipliers": EMPLOYMENT_MULTIPLIERS,
            "clipQuantiles": list(CLIP_QUANTILES),
        },
        "protectedAttributes": {
            "excluded": ["age (dateOfBirth)", "maritalStatus"],
            "note": "collected on the application but never model inputs",
        },
        "features": features,
        "intercept": model.intercept,
        "contributions": "contribution_i = coefficient_i * (x_i - mean_i) / std_i in logit space; "
                         "logit = intercept + sum(contributions); PD = 1 / (1 + exp(-logit))",
        "trainingData": {
            "file": "credit-applications/applications.csv",
            "sha256": data_sha,
            "rows": int(len(df)),
            "defaultRate": float(y.mean()),
            "split": {"method": "stratified 80/20", "seed": SEED,
                      "trainRows": int(len(train_idx)), "holdoutRows": int(len(hold_idx))},
        },
        "metrics": metrics,
        "thresholds": {
            "autoApprove": approve_below,
            "autoDecline": decline_above,
            "note": f"approve when PD < autoApprove, decline when PD > autoDecline; chosen as the "
                    f"{AUTO_APPROVE_SHARE:.0%} and {1 - AUTO_DECLINE_SHARE:.0%} quantiles of out-of-fold "
                    f"training PDs, rounded to 0.005 towards less automation",
        },
        "scoreScaling": {**SCORE_SCALING,
                         "formula": "score = baseScore + pdo/ln2 * (ln(odds_good) - ln(baseOdds)), "
                                    "odds_good = (1 - PD) / PD"},
        "riskBands": RISK_BANDS,
    }
    write_json(out_dir / "model-card.json", card)

    # ---- test vectors (holdout rows, the TS/Python/ONNX agreement contract)
    tv_rows = pick_test_vectors(df, inputs, hold_idx)
    raw_tv = raw.iloc[tv_rows]
    x_tv = tf.apply(raw_tv)
    contrib_tv = model.contributions(x_tv)
    vectors = []
    for k, row in enumerate(tv_rows):
        vectors.append({
            "csvRow": row + 1,
            "input": inputs[row],
            "expected": {
                "values": {n: (None if pd.isna(v) else float(v)) for n, v in raw_tv.iloc[k].items()},
                "features": x_tv[k],
                "contributions": contrib_tv[k],
                "logit": float(model.intercept + contrib_tv[k].sum()),
                "pd": float(model.pd(x_tv[k:k + 1])[0]),
                "scorePoints": float(score_points(model.pd(x_tv[k:k + 1]))[0]),
                "riskBand": risk_band(float(model.pd(x_tv[k:k + 1])[0])),
            },
            "observedDefault": int(y[row]),
        })
    write_json(out_dir / "test-vectors.json", {
        "model": MODEL_NAME, "version": VERSION, "featureNames": FEATURE_NAMES,
        "baseValue": model.intercept,
        "tolerances": {"features": 1e-6, "pd": 1e-5, "contributions": 1e-6},
        "vectors": vectors,
    })

    # ---- drift reference (training split)
    write_json(out_dir / "reference.json",
               reference_document(VERSION, x_tr, raw_tr, y_tr, pd_tr, approve_below, decline_above))

    # ---- demo applications: holdout rows (the model never trained on them), seeded order
    rng = np.random.default_rng(SEED + 1)
    demo_pool = [int(i) for i in hold_idx if isinstance(df.iloc[i].Marital, str)]
    demo_rows = [demo_pool[i] for i in rng.permutation(len(demo_pool))[:N_DEMO]]
    write_json(args.out / "demo" / "applications.json", demo_applications(df, demo_rows, SEED))

    # ---- credit-default 1.0.0: XGBoost on the same split and features, this model as its baseline
    xgb_result = xgb_version.write_version({
        "seed": SEED, "out": args.out, "df": df, "inputs": inputs, "raw": raw, "raw_tr": raw_tr,
        "y": y, "y_tr": y_tr, "y_ho": y_ho, "hold_idx": hold_idx, "tf": tf, "x_tr": x_tr, "x_ho": x_ho,
        "constants": card["constants"], "trainingData": card["trainingData"], "scoreScaling": card["scoreScaling"],
        "baseline": {"algorithm": card["algorithm"], "metrics": metrics, "pd_ho": pd_ho,
                     "approve_below": approve_below, "decline_above": decline_above},
        "helpers": {
            "MODEL_NAME": MODEL_NAME, "CREATED": CREATED, "FEATURE_SPECS": FEATURE_SPECS, "RISK_BANDS": RISK_BANDS,
            "AUTO_APPROVE_SHARE": AUTO_APPROVE_SHARE, "AUTO_DECLINE_SHARE": AUTO_DECLINE_SHARE,
            "nice_threshold": nice_threshold, "route_shares": route_shares, "write_json": write_json,
            "pick_test_vectors": pick_test_vectors, "score_points": score_points, "risk_band": risk_band,
            "reference_document": reference_document,
        },
    })

    hr = metrics["holdoutRouting"]
    print(f"C={best_C}  CV AUC {cv_aucs.mean():.4f} ± {cv_aucs.std():.4f}  holdout AUC {holdout_auc:.4f}  "
          f"KS {metrics['holdoutKs']:.3f}  Brier {metrics['holdoutBrier']:.4f}")
    print(f"thresholds approve<{approve_below} decline>{decline_above}  holdout: " + ", ".join(
        f"{k} {v['share']:.1%} (bad {v['badRate']:.1%})" for k, v in hr.items()))
    xm, bm = xgb_result["metrics"], xgb_result["baseline"]
    print(f"1.0.0 XGBoost {xgb_result['params']}  CV AUC {xm['cvAuc']['mean']:.4f}  holdout AUC "
          f"{xm['holdoutAuc']:.4f} (LR {bm['holdoutAuc']:.4f})  KS {xm['holdoutKs']:.3f} (LR {bm['holdoutKs']:.3f})  "
          f"Brier {xm['holdoutBrier']:.4f} (LR {bm['holdoutBrier']:.4f})  thresholds {xgb_result['thresholds']}")
    print(f"wrote {out_dir}, {xgb_result['out_dir']} and {args.out / 'demo' / 'applications.json'}")


if __name__ == "__main__":
    main()
