"""CSV rows -> Tandem SubmitApplicationInput objects for the demo trickle.

Everything personal (names, e-mail, national id, exact birthday) is synthetic
and drawn from a seeded generator; the financial and loan fields are the CSV
row mapped as the data README says. Age and marital status are carried because
the application form asks for them, not because the model uses them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from tandem_features import CSV_MARITAL, csv_to_inputs

REFERENCE_DATE = dt.date(2026, 1, 1)  # ages in the CSV are taken as "age on this date"

FIRST_NAMES = [
    "Lucia", "Hugo", "Martina", "Mateo", "Sofia", "Leo", "Julia", "Daniel", "Paula", "Alejandro",
    "Valeria", "Pablo", "Emma", "Manuel", "Daniela", "Alvaro", "Carla", "Adrian", "Sara", "Mario",
    "Elena", "David", "Laura", "Diego", "Marta", "Javier", "Noa", "Marco", "Ines", "Sergio",
    "Claire", "Jonas", "Anna", "Lukas", "Nora", "Tomas", "Eva", "Nicolas", "Irene", "Marc",
]
LAST_NAMES = [
    "Garcia", "Rodriguez", "Gonzalez", "Fernandez", "Lopez", "Martinez", "Sanchez", "Perez", "Gomez",
    "Martin", "Jimenez", "Ruiz", "Hernandez", "Diaz", "Moreno", "Munoz", "Alvarez", "Romero", "Alonso",
    "Gutierrez", "Navarro", "Torres", "Dominguez", "Vazquez", "Ramos", "Gil", "Ramirez", "Serrano",
    "Blanco", "Molina", "Morales", "Suarez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marin",
    "Sanz", "Nunez",
]
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"  # Spanish DNI check letter = number mod 23


def birth_date_for_age(age: int, day_offset: int) -> dt.date:
    """A birthday such that the person is exactly `age` on REFERENCE_DATE.
    day_offset in [0, 363] spreads birthdays over the year."""
    earliest = dt.date(REFERENCE_DATE.year - age - 1, 1, 2)
    born = earliest + dt.timedelta(days=int(day_offset))
    had_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) >= (born.month, born.day)
    assert REFERENCE_DATE.year - born.year - (0 if had_birthday else 1) == age
    return born


def demo_applications(df: pd.DataFrame, rows: list[int], seed: int) -> list[dict]:
    """`rows` are 0-based positions in df; externalId uses the 1-based CSV data row."""
    rng = np.random.default_rng(seed)
    inputs = csv_to_inputs(df.iloc[rows])
    out = []
    for pos, inp in zip(rows, inputs):
        src = df.iloc[pos]
        row_no = pos + 1
        first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.integers(len(LAST_NAMES))]
        # DNI-shaped (8 digits + check letter) so validators accept it; synthetic, 9xxxxxxx.
        dni_number = 90_000_000 + int(rng.integers(10_000_000))
        marital = CSV_MARITAL[src.Marital] if isinstance(src.Marital, str) else "SINGLE"
        out.append({
            "externalId": f"demo-{row_no}",
            "applicant": {
                "firstName": first,
                "lastName": last,
                "email": f"{first.lower()}.{last.lower()}.{row_no}@example.com",
                "nationalId": f"{dni_number}{DNI_LETTERS[dni_number % 23]}",
                "dateOfBirth": birth_date_for_age(int(src.Age), int(rng.integers(364))).isoformat(),
                "maritalStatus": marital,
                "housing": inp["housing"],
                "employment": {"type": inp["employmentType"], "yearsEmployed": inp["yearsEmployed"]},
            },
            "financials": {
                "monthlyIncome": inp["monthlyIncome"],
                "monthlyExpenses": inp["monthlyExpenses"],
                "assets": inp["assets"],
                "debt": inp["debt"],
                "pastArrears": inp["pastArrears"],
            },
            "loan": {
                "amount": inp["amount"],
                "termMonths": inp["termMonths"],
                "purpose": "CONSUMER_GOODS",
                "goodsPrice": inp["goodsPrice"],
                "currency": "EUR",
            },
        })
    return out
