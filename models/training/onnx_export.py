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
