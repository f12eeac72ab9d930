"""Hand-built ONNX graph for a standardised logistic regression (no skl2onnx here).

    features  float32 [N, F]   imputed + clipped + transformed, NOT standardised
    z         = (features - mean) / std          Sub, Div
    logit     = z · coef + intercept              MatMul, Add
    probability = sigmoid(logit) float32 [N, 1]  probability of default

Standardisation lives in the graph so callers only need the card's imputation
and clip parameters, and the mean/std the model was trained with cannot drift
from the ones used to score.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8  # onnxruntime 1.30 reads IR 8 / opset 17 without complaint


def build_logistic_model(mean, std, coef, intercept, feature_names, model_name, version) -> onnx.ModelProto:
    f = len(feature_names)
    inits = [
        numpy_helper.from_array(np.asarray(mean, dtype=np.float32).reshape(f), "mean"),
        numpy_helper.from_array(np.asarray(std, dtype=np.float32).reshape(f), "std"),
        numpy_helper.from_array(np.asarray(coef, dtype=np.float32).reshape(f, 1), "coef"),
        numpy_helper.from_array(np.asarray([intercept], dtype=np.float32), "intercept"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"], name="centre"),
        helper.make_node("Div", ["centred", "std"], ["standardised"], name="scale"),
        helper.make_node("MatMul", ["standardised", "coef"], ["weighted"], name="weigh"),
        helper.make_node("Add", ["weighted", "intercept"], ["logit"], name="add_intercept"),
        helper.make_node("Sigmoid", ["logit"], ["probability"], name="sigmoid"),
    ]
    graph = helper.make_graph(
        nodes,
        f"{model_name}-{version}",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", f])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])],
        initializer=inits,
        doc_string="Probability of default. Input columns: " + ", ".join(feature_names),
    )
    model = helper.make_model(
        graph,
        producer_name="tandem-models",
        producer_version=version,
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    model.model_version = 1
    helper.set_model_props(model, {"name": model_name, "version": version})
    onnx.checker.check_model(model, full_check=True)
    return model


def float32_reference(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    """The graph's arithmetic re-done in numpy float32, as a sanity check of the
    exported initialisers (onnxruntime is not available to Python here; the
    TypeScript test runs the real runtime)."""
    p = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    z = (x.astype(np.float32) - p["mean"]) / p["std"]
    logit = z @ p["coef"] + p["intercept"]
    return 1.0 / (1.0 + np.exp(-logit.astype(np.float64)))


# ---------------------------------------------------------------- tree ensembles (xgboost)
#
#   features     float32 [N, F]   the same model input as the logistic model
#   margin       = base_margin + Σ_trees leaf(tree, features)   ai.onnx.ml TreeEnsembleRegressor
#   probability  = sigmoid(margin) float32 [N, 1]               Sigmoid
#
# Read from xgboost's own JSON model (Booster.save_raw(raw_format="json")),
# not from get_dump's text: the JSON holds split conditions and leaf values as
# the float32 numbers xgboost predicts with, plus `sum_hessian` (node cover).
# xgboost sends x to the left child when x < split_condition and a missing x
# along default_left, which is BRANCH_LT with missing_value_tracks_true =
# default_left. TreeSHAP needs each node's cover; TreeEnsembleRegressor has no
# attribute for it (the checker rejects unknown attributes), so the covers
# travel in the same file as model metadata: metadata_props["tandem.node_covers"]
# is a JSON array aligned with the nodes_* attributes.

ML_OPSET = 3
NODE_COVERS_KEY = "tandem.node_covers"


def xgboost_trees(booster_json: dict) -> tuple[list[dict], float]:
    """Trees (node arrays) and the base margin from xgboost's JSON model."""
    learner = booster_json["learner"]
    objective = learner["objective"]["name"]
    if objective != "binary:logistic":
        raise ValueError(f"exporter handles binary:logistic only, not {objective}")
    gb = learner["gradient_booster"]
    if gb.get("name") != "gbtree":
        raise ValueError("exporter handles gbtree boosters only")
    base_score = float(learner["learner_model_param"]["base_score"])
    base_margin = float(np.float32(-np.log(1.0 / base_score - 1.0)))  # xgboost's ProbToMargin
    trees = []
    for t in gb["model"]["trees"]:
        if any(t["split_type"]) or t["categories"]:
            raise ValueError("categorical splits are not exported")
        trees.append({k: t[k] for k in ("left_children", "right_children", "split_indices",
                                         "split_conditions", "default_left", "sum_hessian")})
    return trees, base_margin


def build_tree_ensemble_model(trees: list[dict], base_margin: float, feature_names, model_name, version,
                              doc: str = "") -> onnx.ModelProto:
    f = len(feature_names)
    a = {k: [] for k in ("treeids", "nodeids", "featureids", "values", "modes", "true", "false", "missing")}
    t_tree, t_node, t_weight, covers = [], [], [], []
    for tree_id, t in enumerate(trees):
        for node_id, left in enumerate(t["left_children"]):
            leaf = left == -1
            a["treeids"].append(tree_id)
            a["nodeids"].append(node_id)
            a["featureids"].append(0 if leaf else int(t["split_indices"][node_id]))
            a["values"].append(0.0 if leaf else float(np.float32(t["split_conditions"][node_id])))
            a["modes"].append("LEAF" if leaf else "BRANCH_LT")
            a["true"].append(0 if leaf else int(left))
            a["false"].append(0 if leaf else int(t["right_children"][node_id]))
            a["missing"].append(0 if leaf else int(t["default_left"][node_id]))
            covers.append(float(np.float32(t["sum_hessian"][node_id])))
            if leaf:
                t_tree.append(tree_id)
                t_node.append(node_id)
                t_weight.append(float(np.float32(t["split_conditions"][node_id])))
    ensemble = helper.make_node(
        "TreeEnsembleRegressor", ["features"], ["margin"], name="trees", domain="ai.onnx.ml",
        n_targets=1, aggregate_function="SUM", post_transform="NONE", base_values=[base_margin],
        nodes_treeids=a["treeids"], nodes_nodeids=a["nodeids"], nodes_featureids=a["featureids"],
        nodes_values=a["values"], nodes_modes=a["modes"], nodes_truenodeids=a["true"],
        nodes_falsenodeids=a["false"], nodes_missing_value_tracks_true=a["missing"],
        target_treeids=t_tree, target_nodeids=t_node, target_ids=[0] * len(t_tree), target_weights=t_weight,
    )
    sigmoid = helper.make_node("Sigmoid", ["margin"], ["probability"], name="sigmoid")
    graph = helper.make_graph(
        [ensemble, sigmoid],
        f"{model_name}-{version}",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", f])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])],
        doc_string="Probability of default. Input columns: " + ", ".join(feature_names),
    )
    model = helper.make_model(
        graph, producer_name="tandem-models", producer_version=version,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    model.model_version = 1
    helper.set_model_props(model, {
        "name": model_name, "version": version,
        NODE_COVERS_KEY: json.dumps(covers, separators=(",", ":")),
    })
    onnx.checker.check_model(model, full_check=True)
    return model


def tree_ensemble_reference(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    """The exported ensemble evaluated in numpy (float32 comparisons, float32
    leaf sums), as a check that the node arrays say what xgboost's trees say."""
    node = next(n for n in model.graph.node if n.op_type == "TreeEnsembleRegressor")
    at = {att.name: helper.get_attribute_value(att) for att in node.attribute}
    key = list(zip(at["nodes_treeids"], at["nodes_nodeids"]))
    index = {k: i for i, k in enumerate(key)}
    leaf_value = {(t, n): w for t, n, w in zip(at["target_treeids"], at["target_nodeids"], at["target_weights"])}
    roots = sorted({t for t, _ in key})
    xf = x.astype(np.float32)
    out = np.empty(len(xf), dtype=np.float64)
    for r, row in enumerate(xf):
        margin = np.float32(at["base_values"][0])
        for t in roots:
            i = index[(t, 0)]
            while at["nodes_modes"][i] != b"LEAF":
                v = row[at["nodes_featureids"][i]]
                go_true = at["nodes_missing_value_tracks_true"][i] if np.isnan(v) else v < np.float32(at["nodes_values"][i])
                i = index[(t, at["nodes_truenodeids"][i] if go_true else at["nodes_falsenodeids"][i])]
            margin = np.float32(margin + np.float32(leaf_value[key[i]]))
        out[r] = margin
    return 1.0 / (1.0 + np.exp(-out))
