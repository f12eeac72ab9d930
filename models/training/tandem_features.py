"""Credit-model features, computed from an application *as Tandem receives it*.

This module is the Python half of a contract whose TypeScript half is
subgraphs/scoring/src/domain/features.ts. Both must produce the same vector for
the same input (checked by models/credit-default/<version>/test-vectors.json),
so every formula here is written on the Tandem input fields, never on CSV
columns: the CSV is first mapped to Tandem inputs by `csv_to_inputs`.

Pipeline per feature (all parameters are fitted on the training split and
written to the model card):
  1. raw value   - formula on the input fields; None/NaN when an input it needs is
                   missing or a denominator is not positive.
  2. imputation  - a missing raw value is replaced by the training median of
                   that raw value (`imputationValue`).
  3. clipping    - continuous values are clipped to the training 1st..99th
                   percentile (`clip`), so one extreme ratio cannot dominate a
                   linear model.
  4. transform   - `log1p` for the long-tailed ratios (debt, savings, stability),
                   else identity. The result is what the ONNX input `features`
                   holds; the ONNX graph standardises it itself.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Nominal annual interest rate used only to turn (amount, term) into a monthly
# instalment for payment_to_income. It is a modelling constant, not a price.
ANNUAL_INTEREST_RATE = 0.12

# Employment-stability weights: years in the current job count fully on a fixed
# contract and less where the contract gives less income security.
EMPLOYMENT_MULTIPLIERS = {"FIXED": 1.0, "FREELANCE": 0.75, "PART_TIME": 0.5, "OTHER": 0.5}

HOUSING = ["OWNER", "RENT", "PARENTS", "PRIVATE", "OTHER"]
EMPLOYMENT_TYPES = ["FIXED", "FREELANCE", "PART_TIME", "OTHER"]

CLIP_QUANTILES = (0.01, 0.99)

# CSV -> Tandem enum mappings, as documented in the data README.
CSV_HOUSING = {"owner": "OWNER", "rent": "RENT", "parents": "PARENTS", "priv": "PRIVATE",
               "other": "OTHER", "ignore": "OTHER"}
CSV_JOB = {"fixed": "FIXED", "freelance": "FREELANCE", "partime": "PART_TIME", "others": "OTHER"}
CSV_MARITAL = {"single": "SINGLE", "married": "MARRIED", "separated": "SEPARATED",
               "divorced": "DIVORCED", "widow": "WIDOWED"}


def _num(v):
    """CSV cell -> float, or None when empty."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def csv_to_inputs(df: pd.DataFrame) -> list[dict]:
    """Each CSV row as a Tandem ScoringInput (the flat scoring view of
    SubmitApplicationInput). Unknown/missing housing or job -> OTHER."""
    out = []
    for row in df.itertuples(index=False):
        home = row.Home if isinstance(row.Home, str) else "other"
        job = row.Job if isinstance(row.Job, str) else "others"
        out.append({
            "monthlyIncome": _num(row.Income),
            "monthlyExpenses": _num(row.Expenses),
            "assets": _num(row.Assets),
            "debt": _num(row.Debt),
            "pastArrears": row.Records == "yes",
            "amount": float(row.Amount),
            "termMonths": int(row.Time),
            "goodsPrice": _num(row.Price),
            "housing": CSV_HOUSING[home],
            "employmentType": CSV_JOB[job],
            "yearsEmployed": float(row.Seniority),
        })
    return out


def annuity_payment(amount: float, term_months: float, annual_rate: float = ANNUAL_INTEREST_RATE) -> float:
    """Monthly instalment of a fully amortising loan: A·r / (1 − (1+r)^−n), r = annual/12."""
    r = annual_rate / 12.0
    if r == 0:
        return amount / term_months
    return amount * r / (1.0 - (1.0 + r) ** (-term_months))


def _ratio(num, den):
    """num/den, or None when either is missing or the denominator is not positive."""
    if num is None or den is None or not (den > 0):
        return None
    return num / den


def _valid(v):
    return v if v is not None and math.isfinite(v) else None


def _spec(name, label, description, formula, ftype, inputs, transform="none", group=None):
    """label: neutral meaning (explanations); description: adverse-action wording."""
    return {"name": name, "label": label, "description": description, "formula": formula, "type": ftype,
            "inputs": inputs, "transform": transform, "group": group}


FEATURE_SPECS = [
    _spec("debt_to_income", "Outstanding debt relative to monthly income",
          "Outstanding debt is high relative to income",
          "ln(1 + clip(debt / monthlyIncome))", "continuous", ["debt", "monthlyIncome"], "log1p"),
    _spec("loan_to_income", "Loan amount relative to monthly income",
          "Requested loan amount is high relative to income",
          "clip(amount / monthlyIncome)", "continuous", ["amount", "monthlyIncome"]),
    _spec("payment_to_income", "Monthly instalment relative to monthly income",
          "Monthly instalment is high relative to income",
          "clip(annuity(amount, termMonths, annualInterestRate) / monthlyIncome), "
          "annuity = A·r / (1 − (1+r)^−n), r = annualInterestRate / 12",
          "continuous", ["amount", "termMonths", "monthlyIncome"]),
    _spec("expense_ratio", "Regular expenses relative to monthly income",
          "Regular expenses are high relative to income",
          "clip(monthlyExpenses / monthlyIncome)", "continuous", ["monthlyExpenses", "monthlyIncome"]),
    _spec("loan_to_price", "Share of the goods price financed by the loan",
          "Loan finances a large share of the goods price (small down payment)",
          "clip(amount / goodsPrice)", "continuous", ["amount", "goodsPrice"]),
    _spec("employment_stability", "Years in current job, weighted by contract type",
          "Limited time in current employment",
          "ln(1 + clip(yearsEmployed × employmentMultipliers[employmentType]))",
          "continuous", ["yearsEmployed", "employmentType"], "log1p"),
    _spec("savings_ratio", "Assets relative to the loan amount",
          "Limited assets relative to the loan amount",
          "ln(1 + clip(assets / amount))", "continuous", ["assets", "amount"], "log1p"),
    _spec("past_arrears", "Past arrears on record", "Past arrears on record",
          "1 if pastArrears else 0", "binary", ["pastArrears"]),
    _spec("term_months", "Repayment term in months", "Long repayment term",
          "clip(termMonths)", "continuous", ["termMonths"]),
    _spec("income_missing", "Whether monthly income was stated", "Income not stated",
          "1 if monthlyIncome is missing or not positive else 0", "binary", ["monthlyIncome"]),
] + [
    _spec(f"housing_{h}", "Housing situation", "Housing situation",
          f"1 if housing = {h} else 0 (unknown housing counts as OTHER)", "binary", ["housing"], group="housing")
    for h in HOUSING
] + [
    _spec(f"employment_{e}", "Type of employment", "Type of employment",
          f"1 if employmentType = {e} else 0 (unknown type counts as OTHER)", "binary", ["employmentType"],
          group="employment_type")
    for e in EMPLOYMENT_TYPES
]
FEATURE_NAMES = [s["name"] for s in FEATURE_SPECS]


def raw_values(inp: dict) -> dict:
    """Raw (pre-imputation, untransformed) value of every feature; None = missing."""
    income = _valid(inp.get("monthlyIncome"))
    amount = _valid(inp.get("amount"))
    term = _valid(inp.get("termMonths"))
    years = _valid(inp.get("yearsEmployed"))
    payment = annuity_payment(amount, term) if amount is not None and term is not None and term > 0 else None
    housing = inp.get("housing") if inp.get("housing") in HOUSING else "OTHER"
    employment = inp.get("employmentType") if inp.get("employmentType") in EMPLOYMENT_TYPES else "OTHER"
    v = {
        "debt_to_income": _ratio(_valid(inp.get("debt")), income),
        "loan_to_income": _ratio(amount, income),
        "payment_to_income": _ratio(payment, income),
        "expense_ratio": _ratio(_valid(inp.get("monthlyExpenses")), income),
        "loan_to_price": _ratio(amount, _valid(inp.get("goodsPrice"))),
        "employment_stability": None if years is None else years * EMPLOYMENT_MULTIPLIERS[employment],
        "savings_ratio": _ratio(_valid(inp.get("assets")), amount),
        "past_arrears": 1.0 if inp.get("pastArrears") else 0.0,
        "term_months": term,
        "income_missing": 0.0 if income is not None and income > 0 else 1.0,
    }
    for h in HOUSING:
        v[f"housing_{h}"] = 1.0 if housing == h else 0.0
    for e in EMPLOYMENT_TYPES:
        v[f"employment_{e}"] = 1.0 if employment == e else 0.0
    return v


def raw_frame(inputs: list[dict]) -> pd.DataFrame:
    """Raw values of many inputs, NaN for missing, columns in FEATURE_NAMES order."""
    rows = [raw_values(i) for i in inputs]
    return pd.DataFrame(rows, columns=FEATURE_NAMES).astype(float)


class FeatureTransform:
    """Imputation values and clip bounds fitted on the training split."""

    def __init__(self, imputation: dict, clip: dict):
        self.imputation = imputation  # name -> raw-scale value or None
        self.clip = clip  # name -> (lo, hi) or None

    @classmethod
    def fit(cls, raw: pd.DataFrame) -> "FeatureTransform":
        imputation, clip = {}, {}
        for spec in FEATURE_SPECS:
            name, ftype = spec["name"], spec["type"]
            col = raw[name]
            # Medians only where a value can actually be missing; binaries never are.
            imputation[name] = float(col.median()) if ftype == "continuous" else None
            if ftype == "continuous":
                lo, hi = col.dropna().quantile(list(CLIP_QUANTILES)).tolist()
                clip[name] = (float(lo), float(hi))
            else:
                clip[name] = None
        return cls(imputation, clip)

    def apply(self, raw: pd.DataFrame) -> np.ndarray:
        """Raw values -> model input (float64, same order as FEATURE_NAMES)."""
        out = np.empty((len(raw), len(FEATURE_SPECS)), dtype=np.float64)
        for j, spec in enumerate(FEATURE_SPECS):
            name, transform = spec["name"], spec["transform"]
            col = raw[name].to_numpy(dtype=np.float64).copy()
            missing = np.isnan(col)
            if missing.any():
                if self.imputation[name] is None:
                    raise ValueError(f"feature {name} has missing values but no imputation value")
                col[missing] = self.imputation[name]
            if self.clip[name] is not None:
                lo, hi = self.clip[name]
                col = np.minimum(np.maximum(col, lo), hi)
            if transform == "log1p":
                col = np.log1p(col)
            out[:, j] = col
        return out
