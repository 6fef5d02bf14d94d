"""Spreadsheets built in memory for the import tests: real CSV bytes and real openpyxl workbooks."""

import csv
import io

from openpyxl import Workbook

HEADER = ["name", "name_ja", "region", "city", "sectors", "seeks", "website", "employees", "industry", "capital",
          "capital_currency", "contact_name", "contact_email", "contact_language"]


def shizuoka_row(name="Hamamatsu Seiki Co., Ltd.", **values):
    # the Japanese name is Hamamatsu Seiki's only: other firms sharing it look like the same firm
    name_ja = "株式会社浜松精機" if name == "Hamamatsu Seiki Co., Ltd." else ""
    row = {"name": name, "name_ja": name_ja, "region": "JP-22", "city": "Hamamatsu",
           "sectors": "automotive; machinery", "seeks": "joint venture; distributor",
           "website": "", "employees": "240", "industry": "manufacturing", "capital": "80000000",
           "capital_currency": "JPY", "contact_name": "Ichiro Suzuki", "contact_email": "suzuki@example.jp",
           "contact_language": "ja"}
    row.update(values)
    return row


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER, numeric=()) -> bytes:
    """A workbook as Excel writes it; columns in `numeric` hold numbers, not text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        cells = []
        for column in header:
            value = row.get(column, "")
            cells.append(float(value) if column in numeric and value not in ("", None) else (value or None))
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, data: bytes, filename: str):
    return client.post("/firms/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")
