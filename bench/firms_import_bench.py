"""Benchmark of the firm import: 5,000 rows as XLSX and as CSV, on a fresh SQLite database.

    python bench/firms_import_bench.py [--rows N]

Measures reading + validating + classifying (the preview) and saving (the confirm, one transaction) and a second
import of the same file (every row "unchanged"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.firms.spreadsheet import COLUMN_NAMES  # noqa: E402

TRADES = [("Seiki", "精機", "machinery; automotive"), ("Denki", "電機", "semiconductors"),
          ("Shokuhin", "食品", "food"), ("Seiyaku", "製薬", "pharma"), ("Kogyo", "工業", "steel")]


def rows(count: int) -> list[list[str]]:
    out = []
    for number in range(count):
        word, kanji, sectors = TRADES[number % len(TRADES)]
        bad = number % 50 == 49  # one row in fifty has an error, as real files do
        values = {
            "name": f"Suruga {word} {number:05d} Co., Ltd.", "name_ja": f"株式会社駿河{kanji}{number:05d}",
            "region": "JP-22", "city": "Hamamatsu", "sectors": "aerospace" if bad else sectors,
            "offers": "supplier", "seeks": "joint venture; distributor", "description": "Precision parts.",
            "website": f"https://www.suruga-{number:05d}.example.jp", "year_founded": str(1950 + number % 70),
            "employees": str(10 + number % 900), "industry": "manufacturing",
            "capital": str(10_000_000 * (1 + number % 40)), "capital_currency": "JPY",
            "contact_name": "Suzuki Ichiro", "contact_email": f"suzuki{number}@example.jp", "contact_language": "ja",
        }
        out.append([values.get(column, "") for column in COLUMN_NAMES])
    return out


def as_csv(data: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerows(data)
    return buffer.getvalue().encode()


def as_xlsx(data: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMN_NAMES)
    numeric = {COLUMN_NAMES.index(c) for c in ("employees", "capital", "year_founded")}
    for row in data:
        sheet.append([int(v) if i in numeric else v for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"  {label:<34} {time.perf_counter() - start:7.2f} s")
    return result


def run(fmt: str, body: bytes, count: int) -> None:
    from planner.accounts.operations import create_user
    from planner.core.audit import acting_as
    from planner.firms.importing import confirm_import, start_import
    from planner.regions.operations import region_by_code, seed_reference_data

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024})
        with app.app_context(), acting_as("bench"):
            upgrade(revision="heads")
            seed_reference_data()
            user = create_user(email="bench@example.org", name="Bench", role="prefecture", password="x" * 12,
                               region=region_by_code("JP-22"))
            db.session.commit()
            print(f"{fmt.upper()}: {count:,} rows, {len(body) / 1024:,.0f} KiB")
            first = timed("preview (read, validate, classify)", lambda: start_import(user, f"f.{fmt}", body))
            db.session.commit()
            print(f"    {first.summary['counts']}")
            saved = timed("confirm (save in one transaction)", lambda: confirm_import(first, user))
            timed("commit", db.session.commit)
            print(f"    {saved}")
            again = timed("preview of the same file again", lambda: start_import(user, f"f.{fmt}", body))
            db.session.commit()
            saved = timed("confirm again (changes nothing)", lambda: confirm_import(again, user))
            db.session.commit()
            print(f"    {saved}")
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    data = rows(args.rows)
    run("xlsx", as_xlsx(data), args.rows)
    run("csv", as_csv(data), args.rows)


if __name__ == "__main__":
    main()
