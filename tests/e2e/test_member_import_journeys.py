"""Journey: a state cell receives its delegation's member list as a spreadsheet, downloads the template, uploads
the list, reads the preview (who is new, who is recorded already, which cells are wrong), confirms, and finds the
people on the members page; a second confirm from a stale page adds nobody twice."""

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu

TITLE = "Gujarat pharmaceuticals delegation to Shizuoka 2027"
HEADER = ["name", "title", "organisation", "email", "preferred_language", "needs_interpreter", "dietary", "role",
          "precedence"]
ROWS = [
    ["Kiran Parmar", "Commissioner of Industries", "Government of Gujarat", "kiran.parmar@ic.gujarat.example.in",
     "en", "yes", "Jain", "head", 1],
    # the demo's Mehul Shah, his address typed in capitals: recorded already, not recorded twice
    ["Mehul Shah", "Managing Director", "Shah Precision Components", "MEHUL.SHAH@EXAMPLE.IN", "", "", "", "", 2],
    ["Deepa Nair", "Director", "Zydus Lifesciences", "deepa.nair@", "en", "no", "", "member", 3],
    ["Harsh Vora", "", "", "", "", "", "", "driver", 9],
    ["Sneha Iyer", "Liaison officer", "iNDEXTb", "sneha.iyer@indextb.example.in", "Japanese", "no", "", "staff", 10],
]


def _spreadsheet(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def _outcome_row(page, row_number: int):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=str(row_number), exact=True))


def test_state_cell_imports_its_delegation_members_from_a_spreadsheet(page, live_server, shot, tmp_path):
    log_in(page, live_server, "gujarat@demo.planner")
    open_menu(page, "Delegations", "Delegations")
    page.get_by_role("link", name="Plan a delegation").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("First day").fill("2027-06-07")
    page.get_by_label("Last day").fill("2027-06-10")
    page.get_by_label("Shizuoka (静岡県)", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Delegation {TITLE} planned.")).to_be_visible()

    page.get_by_role("link", name="Import members from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import members from a spreadsheet")
    expect(page.get_by_role("row").filter(has_text="preferred_language")).to_contain_text("ja (Japanese)")
    expect(page.get_by_role("row").filter(has_text="Role in the delegation")).to_contain_text(
        "head (Head of delegation)")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    assert download_info.value.suggested_filename == "members-template.xlsx"
    shot(page, "01-upload")

    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(_spreadsheet(tmp_path / "pharma-members.xlsx"))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of pharma-members.xlsx")
    expect(page.get_by_text("new person: 2")).to_be_visible()
    expect(page.get_by_text("recorded already: 1")).to_be_visible()
    expect(page.get_by_text("error: 2")).to_be_visible()
    expect(_outcome_row(page, 3)).to_contain_text("Mehul Shah")
    expect(_outcome_row(page, 3)).to_contain_text("recorded already")
    expect(_outcome_row(page, 4)).to_contain_text("email: 'deepa.nair@' is not a valid e-mail address")
    expect(_outcome_row(page, 5)).to_contain_text("role: unknown role 'driver' (head, member, staff or host)")
    shot(page, "02-preview")

    # the same preview open in a second tab (or reached again with the back button)
    stale = page.context.new_page()
    stale.goto(page.url)

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Saved. New people recorded and added: 2; people recorded already, added: 1; in the "
                            "delegation already, skipped: 0; rows with errors, left out: 2.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    shot(page, "03-saved")

    stale.get_by_role("button", name="Confirm import").click()
    expect(stale.get_by_text("This upload has been imported already.")).to_be_visible()
    stale.close()

    page.get_by_role("link", name="Back to the members").click()
    table = page.get_by_role("table")
    for name in ("Kiran Parmar", "Mehul Shah", "Sneha Iyer"):
        expect(table.get_by_role("link", name=name, exact=True)).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.get_by_role("row").filter(has_text="Kiran Parmar")).to_contain_text("Head of delegation")
    shot(page, "04-members")
