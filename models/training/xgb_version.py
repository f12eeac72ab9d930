"""credit-default 1.0.0: XGBoost trees on the same features as the logistic
baseline (0.1.0), tuned by stratified 5-fold CV on the training split, exported
to ONNX by onnx_export.build_tree_ensemble_model, explained by TreeSHAP.

Called by train.py after the baseline is fitted; it reuses the baseline's
split, feature transform and out-of-fold predictions so the two models are
compared on exactly the same rows and features.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

import onnx_export
from tandem_features import FEATURE_NAMES, FeatureTransform

VERSION = "1.0.0"
# Monotone constraints (economic priors a credit officer would defend): more
# debt, loan, instalment or expenses per unit of income, a smaller down
# payment, past arrears, a longer term or no stated income never lower the
# PD; more stable employment and more assets never raise it. One-hot housing
# and employment type are free. They also made CV and holdout AUC better.
MONOTONE = {
    "debt_to_income": 1, "loan_to_income": 1, "payment_to_income": 1, "expense_ratio": 1, "loan_to_price": 1,
    "employment_stability": -1, "savings_ratio": -1, "past_arrears": 1, "term_months": 1, "income_missing": 1,
}
# Deterministic: one thread, exact split finding, seeded row subsampling.
BASE_PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "tree_method": "exact",
    "nthread": 1,
    "base_score": 0.5,  # base margin 0: every bit of the logit comes from the trees
    "subsample": 0.8,
    "reg_lambda": 1.0,
    "verbosity": 0,
    "monotone_constraints": "(" + ",".join(str(MONOTONE.get(n, 0)) for n in FEATURE_NAMES) + ")",
}
# Small grid, chosen by mean CV AUC; rounds are read off one fit per
# (depth, eta, min_child_weight, fold) with iteration_range.
GRID = {
    "max_depth": [2, 3, 4],
    "eta": [0.03, 0.1],
    "min_child_weight": [1, 5],
}
ROUNDS = [100, 200, 300]
N_TEST_VECTORS = 40


def ks_statistic(y, p) -> float:
    from sklearn.metrics import roc_curve
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def classification_at(y: np.ndarray, flagged: np.ndarray) -> dict:
    """Precision/recall/F1 of 'flagged' as a prediction of default."""
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    fn = int(np.sum(~flagged & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"flaggedShare": float(flagged.mean()), "precision": precision, "recall": recall, "f1": f1,
            "truePositives": tp, "falsePositives": fp, "falseNegatives": fn}


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    """Equal-count bins of predicted PD: mean predicted vs observed default rate."""
    order = np.argsort(p, kind="stable")
    out = []
    for k, idx in enumerate(np.array_split(order, bins)):
        out.append({"bin": k + 1, "count": int(len(idx)), "pdMin": float(p[idx].min()), "pdMax": float(p[idx].max()),
                    "meanPd": float(p[idx].mean()), "observedDefaultRate": float(y[idx].mean())})
    return out


def holdout_metrics(y: np.ndarray, p: np.ndarray, approve_below: float, decline_above: float) -> dict:
    auc = roc_auc_score(y, p)
    return {
        "holdoutAuc": float(auc),
        "holdoutGini": float(2 * auc - 1),
        "holdoutKs": ks_statistic(y, p),
        "holdoutBrier": float(brier_score_loss(y, p)),
        "holdoutDefaultRate": float(y.mean()),
        "holdoutMeanPd": float(p.mean()),
        "holdoutClassification": {
            "note": "default predicted when PD > autoDecline (decline threshold) or PD >= autoApprove "
                    "(not auto-approved); precision/recall/F1 for the default class on the holdout",
            "atAutoDecline": classification_at(y, p > decline_above),
            "atAutoApprove": classification_at(y, p >= approve_below),
        },
        "holdoutCalibration": calibration_table(y, p),
    }


def params_key(p: dict) -> str:
    return f"max_depth={p['max_depth']},eta={p['eta']},min_child_weight={p['min_child_weight']},rounds={p['rounds']}"


def tune(raw_tr: pd.DataFrame, y_tr: np.ndarray, seed: int):
    """Grid search by stratified 5-fold CV AUC (transform refitted per fold).
    Returns the best params, the AUC table, its fold AUCs and OOF PDs."""
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    folds = list(skf.split(np.zeros(len(y_tr)), y_tr))
    prepared = []
    for tr, va in folds:
        tf = FeatureTransform.fit(raw_tr.iloc[tr])
        prepared.append((xgb.DMatrix(tf.apply(raw_tr.iloc[tr]), label=y_tr[tr]),
                         xgb.DMatrix(tf.apply(raw_tr.iloc[va])), va))
    table: dict[str, dict] = {}
    for depth, eta, mcw in itertools.product(GRID["max_depth"], GRID["eta"], GRID["min_child_weight"]):
        params = {**BASE_PARAMS, "max_depth": depth, "eta": eta, "min_child_weight": mcw, "seed": seed}
        oofs = {r: np.empty(len(y_tr)) for r in ROUNDS}
        for dtr, dva, va in prepared:
            booster = xgb.train(params, dtr, num_boost_round=max(ROUNDS))
            for r in ROUNDS:
                oofs[r][va] = booster.predict(dva, iteration_range=(0, r))
        for r in ROUNDS:
            aucs = np.array([roc_auc_score(y_tr[va], oofs[r][va]) for _, _, va in prepared])
            key = params_key({"max_depth": depth, "eta": eta, "min_child_weight": mcw, "rounds": r})
            table[key] = {"params": {"max_depth": depth, "eta": eta, "min_child_weight": mcw, "rounds": r},
                          "aucs": aucs, "oof": oofs[r].copy()}
    # Best mean AUC; ties (to 1e-6) -> fewer rounds, then shallower trees.
    best = max(table.values(), key=lambda e: (round(e["aucs"].mean(), 6), -e["params"]["rounds"],
                                             -e["params"]["max_depth"]))
    return best, table


def fit(x_tr: np.ndarray, y_tr: np.ndarray, best_params: dict, seed: int) -> xgb.Booster:
    params = {**BASE_PARAMS, "max_depth": best_params["max_depth"], "eta": best_params["eta"],
              "min_child_weight": best_params["min_child_weight"], "seed": seed}
    return xgb.train(params, xgb.DMatrix(x_tr, label=y_tr), num_boost_round=best_params["rounds"])


def write_version(ctx: dict) -> dict:
    """Trains, exports and writes models/credit-default/1.0.0. `ctx` carries
    the baseline's data, split, transform, helpers and metrics (see train.py)."""
    seed, out_root = ctx["seed"], ctx["out"]
    raw, raw_tr, y, y_tr, y_ho = ctx["raw"], ctx["raw_tr"], ctx["y"], ctx["y_tr"], ctx["y_ho"]
    tf, x_tr, x_ho = ctx["tf"], ctx["x_tr"], ctx["x_ho"]
    h = ctx["helpers"]

    best, table = tune(raw_tr, y_tr, seed)
    booster = fit(x_tr, y_tr, best["params"], seed)
    pd_tr = booster.predict(xgb.DMatrix(x_tr)).astype(np.float64)
    pd_ho = booster.predict(xgb.DMatrix(x_ho)).astype(np.float64)
    oof = best["oof"]
    approve_below = h["nice_threshold"](np.quantile(oof, h["AUTO_APPROVE_SHARE"]), "down")
    decline_above = h["nice_threshold"](np.quantile(oof, 1 - h["AUTO_DECLINE_SHARE"]), "up")

    metrics = {
        "cvAuc": {"mean": float(best["aucs"].mean()), "std": float(best["aucs"].std()), "folds": best["aucs"],
                  "note": "5-fold stratified CV on the training split, imputation/clipping refitted per fold"},
        "cvAucByParams": {k: float(e["aucs"].mean()) for k, e in table.items()},
        "trainAuc": float(roc_auc_score(y_tr, pd_tr)),
        **holdout_metrics(y_ho, pd_ho, approve_below, decline_above),
        "holdoutRouting": h["route_shares"](pd_ho, y_ho, approve_below, decline_above),
    }
    b = ctx["baseline"]
    baseline_metrics = {
        "cvAuc": b["metrics"]["cvAuc"], "cvAucByC": b["metrics"]["cvAucByC"], "trainAuc": b["metrics"]["trainAuc"],
        **holdout_metrics(y_ho, b["pd_ho"], b["approve_below"], b["decline_above"]),
        "holdoutRouting": b["metrics"]["holdoutRouting"],
    }

    # ---- export and check the ONNX graph against xgboost itself
    booster_json = json.loads(booster.save_raw(raw_format="json"))
    trees, base_margin = onnx_export.xgboost_trees(booster_json)
    onnx_model = onnx_export.build_tree_ensemble_model(
        trees, base_margin, FEATURE_NAMES, h["MODEL_NAME"], VERSION,
        doc="XGBoost binary:logistic trees as ai.onnx.ml TreeEnsembleRegressor (margin) + Sigmoid; "
            f"node covers for TreeSHAP in metadata_props[{onnx_export.NODE_COVERS_KEY!r}]")
    check = onnx_export.tree_ensemble_reference(onnx_model, x_ho)
    assert np.max(np.abs(check - pd_ho)) < 1e-6, "exported trees disagree with xgboost"
    out_dir = out_root / h["MODEL_NAME"] / VERSION
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "model.onnx").write_bytes(onnx_model.SerializeToString())

    # SHAP base value: xgboost's bias column (cover-weighted mean leaf of every tree + base margin), row-independent.
    contribs_ho = booster.predict(xgb.DMatrix(x_ho), pred_contribs=True).astype(np.float64)
    base_value = float(contribs_ho[0, -1])
    assert np.all(contribs_ho[:, -1] == contribs_ho[0, -1])

    missing_text = {
        "continuous": "if an input it needs is missing (or a denominator is not positive) "
                      "the raw value is replaced by imputationValue, the training median",
        "binary": "never missing",
    }
    features = []
    for j, spec in enumerate(h["FEATURE_SPECS"]):
        name = spec["name"]
        clip = tf.clip[name]
        features.append({
            **spec,
            "missing": missing_text[spec["type"]],
            "imputationValue": tf.imputation[name],
            "clip": None if clip is None else {"min": clip[0], "max": clip[1]},
            "mean": float(x_tr[:, j].mean()),
            "std": float(x_tr[:, j].std()),
            "trainingMissingRate": float(raw_tr[name].isna().mean()),
        })
    p = best["params"]
    n_nodes = sum(len(t["left_children"]) for t in trees)
    card = {
        "name": h["MODEL_NAME"],
        "version": VERSION,
        "created": h["CREATED"],
        "algorithm": f"XGBoost {xgb.__version__} gradient-boosted trees (binary:logistic, {p['rounds']} trees, "
                     f"max_depth={p['max_depth']}, eta={p['eta']}, min_child_weight={p['min_child_weight']}, "
                     f"subsample={BASE_PARAMS['subsample']}, monotone constraints)",
        "modelType": "gradient-boosted-trees",
        "target": "probability of default: the application's outcome was 'bad' (CSV default = 1)",
        "onnx": {
            "file": "model.onnx", "opset": onnx_export.OPSET, "mlOpset": onnx_export.ML_OPSET,
            "irVersion": onnx_export.IR_VERSION,
            "input": {"name": "features", "type": "float32", "shape": ["N", len(FEATURE_NAMES)],
                      "contents": "features in card order after imputation, clipping and transform"},
            "output": {"name": "probability", "type": "float32", "shape": ["N", 1],
                       "contents": "probability of default = sigmoid(margin)"},
            "graph": "TreeEnsembleRegressor (ai.onnx.ml, aggregate SUM, BRANCH_LT, base_values = base margin) "
                     "-> margin [N,1] -> Sigmoid -> probability",
            "trees": len(trees), "nodes": n_nodes,
            "nodeCovers": {"location": "ModelProto.metadata_props", "key": onnx_export.NODE_COVERS_KEY,
                           "contents": "JSON array of xgboost sum_hessian per node, aligned with the "
                                       "nodes_* attributes (TreeSHAP weights paths by cover)"},
        },
        "featurePipeline": "raw value from Tandem input fields -> impute missing with imputationValue -> "
                           "clip to [clip.min, clip.max] -> transform (log1p or none) -> model input",
        "constants": ctx["constants"],
        "protectedAttributes": {
            "excluded": ["age (dateOfBirth)", "maritalStatus"],
            "note": "collected on the application but never model inputs; kept for fairness monitoring",
        },
        "features": features,
        "intercept": base_value,
        "explanation": {
            "method": "tree-shap",
            "note": "exact path-dependent TreeSHAP (Lundberg et al. 2018, cover-weighted), as xgboost "
                    "pred_contribs: margin = intercept + sum(contributions); intercept is the SHAP base value "
                    "(expected margin over the training covers plus the base margin)",
        },
        "contributions": "SHAP value per feature in logit (margin) space; logit = intercept + sum(contributions); "
                         "PD = 1 / (1 + exp(-logit))",
        "hyperparameters": {
            "chosen": p,
            "fixed": {k: v for k, v in BASE_PARAMS.items()
                      if k not in ("verbosity", "eval_metric", "monotone_constraints")},
            "monotoneConstraints": {n: MONOTONE.get(n, 0) for n in FEATURE_NAMES},
            "grid": {**GRID, "rounds": ROUNDS},
            "selection": "highest mean 5-fold CV AUC on the training split; ties -> fewer rounds, shallower",
        },
        "trainingData": ctx["trainingData"],
        "metrics": metrics,
        "baseline": {
            "model": f"{h['MODEL_NAME']}@0.1.0",
            "algorithm": ctx["baseline"]["algorithm"],
            "metrics": baseline_metrics,
            "thresholds": {"autoApprove": b["approve_below"], "autoDecline": b["decline_above"]},
            "comparison": {
                "holdoutAucDelta": float(metrics["holdoutAuc"] - baseline_metrics["holdoutAuc"]),
                "holdoutKsDelta": float(metrics["holdoutKs"] - baseline_metrics["holdoutKs"]),
                "holdoutBrierDelta": float(metrics["holdoutBrier"] - baseline_metrics["holdoutBrier"]),
                "note": "same features, split and holdout; positive AUC/KS delta and negative Brier delta favour 1.0.0",
            },
        },
        "thresholds": {
            "autoApprove": approve_below,
            "autoDecline": decline_above,
            "note": f"approve when PD < autoApprove, decline when PD > autoDecline; chosen as the "
                    f"{h['AUTO_APPROVE_SHARE']:.0%} and {1 - h['AUTO_DECLINE_SHARE']:.0%} quantiles of out-of-fold "
                    f"training PDs, rounded to 0.005 towards less automation",
        },
        "scoreScaling": ctx["scoreScaling"],
        "riskBands": h["RISK_BANDS"],
    }
    h["write_json"](out_dir / "model-card.json", card)

    # ---- test vectors: holdout rows; PD, margin and SHAP straight from xgboost (float32)
    tv_rows = h["pick_test_vectors"](ctx["df"], ctx["inputs"], ctx["hold_idx"], N_TEST_VECTORS)
    raw_tv = raw.iloc[tv_rows]
    x_tv = tf.apply(raw_tv)
    d_tv = xgb.DMatrix(x_tv)
    pd_tv = booster.predict(d_tv)
    margin_tv = booster.predict(d_tv, output_margin=True)
    shap_tv = booster.predict(d_tv, pred_contribs=True)
    vectors = []
    for k, row in enumerate(tv_rows):
        pd_k = float(pd_tv[k])
        vectors.append({
            "csvRow": row + 1,
            "input": ctx["inputs"][row],
            "expected": {
                "values": {n: (None if pd.isna(v) else float(v)) for n, v in raw_tv.iloc[k].items()},
                "features": x_tv[k],
                "contributions": shap_tv[k, :-1],
                "bias": float(shap_tv[k, -1]),
                "logit": float(margin_tv[k]),
                "pd": pd_k,
                "scorePoints": float(h["score_points"](np.array([pd_k]))[0]),
                "riskBand": h["risk_band"](pd_k),
            },
            "observedDefault": int(y[row]),
        })
    h["write_json"](out_dir / "test-vectors.json", {
        "model": h["MODEL_NAME"], "version": VERSION, "featureNames": FEATURE_NAMES,
        "baseValue": base_value,
        "source": "xgboost Booster.predict on float32 features: pd (float32), output_margin (logit), "
                  "pred_contribs (contributions + bias, float32 arithmetic)",
        "tolerances": {"features": 1e-6, "pd": 1e-6, "contributions": 1e-6},
        "vectors": vectors,
    })

    h["write_json"](out_dir / "reference.json",
                    h["reference_document"](VERSION, x_tr, raw_tr, y_tr, pd_tr, approve_below, decline_above))
    return {"params": p, "metrics": metrics, "baseline": baseline_metrics,
            "thresholds": (approve_below, decline_above), "out_dir": out_dir}
