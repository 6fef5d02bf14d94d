"""Accessibility (WCAG 2.1 AA) of the planner's pages, checked by Deque's axe-core in Chromium.

Each role (administrator, Gujarat's state cell, Shizuoka's prefecture office, a delegate, and a visitor who is
not logged in) opens the pages it reaches, in English and in Japanese, and axe checks each of them against the
WCAG 2.0/2.1 A and AA rules and its best practices. A page fails on any violation, "serious" and "critical"
ones first; the message lists each one as page, rule, impact and the element's selector. Every finding also goes
to test-artifacts/e2e/axe/<test>.tsv.

axe-core comes from the npm registry (`npm ci --prefix tests/e2e/axe`, which `make test` runs); without it these
tests are skipped with that reason. The Japanese pages come from the browser's Accept-Language (the demo accounts
have no language of their own), so no account's setting changes for the other journeys.
"""

import email
import email.policy
import functools
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.config import DEV_SECRET_KEY
from planner.followups.feedback import make_token, read_token
from planner.invites.tokens import load_rsvp_token, make_rsvp_token
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD, run_planner

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(
    not AXE_JS.exists(),
    reason="axe-core is not installed: run `npm ci --prefix tests/e2e/axe` (make test does; needs npm)"
    if shutil.which("npm") else "axe-core needs npm (apt-get install npm), then `npm ci --prefix tests/e2e/axe`")

# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (landmarks, heading order, …). WCAG 2.1 still has
# 4.1.1 Parsing, whose duplicate-id rules axe keeps (tagged obsolete, since WCAG 2.2 dropped it) but turns off.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice",
                                                      "wcag2a-obsolete"]},
               "rules": {"duplicate-id": {"enabled": True}, "duplicate-id-active": {"enabled": True}},
               "resultTypes": ["violations"]}
# The pages are at zero findings, so every finding fails, whatever its impact: "serious" and "critical" ones
# (contrast, names, labels) as WCAG AA requires, and the "moderate" and "minor" ones too (an empty table
# header, a duplicate id that a label may point to, heading order), so that none creeps back in unnoticed.
IMPACT_ORDER = ["critical", "serious", "moderate", "minor"]
# the demo's titles, as English and Japanese pages give them
DELEGATION = re.compile(r"^(Gujarat delegation to Shizuoka 2026|グジャラート州経済ミッション 静岡訪問 2026)$")
B2B_SESSION = re.compile(r"^(B2B session with Hamamatsu suppliers|浜松サプライヤー商談会)$")
LOCALES = {"en": "en-GB", "ja": "ja-JP"}
IMPORT_CSV = ("name,region_code,size_class,sectors,website\n"
              "Anand Dairy Machines Pvt Ltd,IN-GJ,small,food-processing,https://anand.example.in\n")


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class Audit:
    """What axe found on every page one role opened: (page, rule, impact, selector, help) rows."""
    found: list = field(default_factory=list)
    pages: list = field(default_factory=list)

    def check(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        # evaluated by the browser's devtools channel, so the page's Content-Security-Policy (script-src 'self')
        # stays in force: axe sees the page exactly as served
        page.evaluate(_axe_source())
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        self.pages.append(name)
        for violation in result["violations"]:
            for node in violation["nodes"]:
                self.found.append((name, violation["id"], violation["impact"],
                                   " ".join(str(part) for part in node["target"]), violation["help"]))

    def visit(self, page, url: str, name: str) -> None:
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url} answered {response and response.status}"
        self.check(page, name)

    def save(self, name: str) -> None:
        """Every finding, whatever its impact, for a person to review: test-artifacts/e2e/axe/<test>.tsv."""
        folder = ARTIFACTS / "axe"
        folder.mkdir(parents=True, exist_ok=True)
        rows = ["\t".join(row) for row in self.found]
        (folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    def failures(self) -> list:
        return sorted(self.found, key=lambda row: IMPACT_ORDER.index(row[2]) if row[2] in IMPACT_ORDER else 9)

    def report(self) -> str:
        rows = self.failures()
        lines = [f"{len(rows)} axe violations on {len({r[0] for r in rows})} of {len(self.pages)} pages "
                 "(most serious first):"]
        lines += [f"- {page_name}: {rule} ({impact}) at `{target}`: {help_text}"
                  for page_name, rule, impact, target, help_text in rows]
        return "\n".join(lines)


def _hrefs(page, pattern: str) -> list[str]:
    """The links in the page's main part whose address matches ``pattern`` (ids differ between databases)."""
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [href for href in hrefs if re.fullmatch(pattern, href.split("?")[0].split("#")[0])]


def _href(page, pattern: str) -> str:
    found = _hrefs(page, pattern)
    assert found, f"no link like {pattern} on {page.url}"
    return found[0]


def _log_in(page, live_server, email: str) -> None:
    page.goto(live_server.url("/login"))
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#user-menu")).to_be_attached()


@pytest.fixture
def audit(request):
    found = Audit()
    yield found
    found.save(request.node.name)


@pytest.fixture
def browser_in(browser):
    """browser_in("ja") is a page whose browser asks for Japanese (Accept-Language) or English."""
    contexts = []

    def _page(language: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=LOCALES[language])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield _page
    for context in contexts:
        context.close()


def _expect_language(page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def _staff_pages(page, live_server, audit: Audit, role: str) -> None:
    url = live_server.url
    audit.visit(page, url("/"), f"{role} home")
    audit.visit(page, url("/delegations/"), f"{role} delegations")
    delegation = page.locator("main").get_by_role("link", name=DELEGATION).first.get_attribute("href")
    audit.visit(page, url(delegation), f"{role} delegation")
    event = _href(page, r"/events/\d+")
    audit.visit(page, url(delegation + "/agenda"), f"{role} delegation agenda")
    audit.visit(page, url(delegation + "/members"), f"{role} delegation members")
    audit.visit(page, url(delegation + "/members/import"), f"{role} members import")
    audit.visit(page, url(delegation + "/edit"), f"{role} delegation form")
    audit.visit(page, url(event), f"{role} event")
    new_followup = _href(page, r"/outcomes/followups/new")
    audit.visit(page, url(event + "/edit"), f"{role} event form")
    audit.visit(page, url(event + "/dietary"), f"{role} dietary sheet")
    page.goto(url(delegation))
    for stay in _hrefs(page, r"/events/\d+"):  # the visit's hotel stay: its rooming list
        page.goto(url(stay))
        if _hrefs(page, r"/events/\d+/rooming-list"):
            audit.visit(page, url(stay + "/rooming-list"), f"{role} rooming list")
            break
    else:
        raise AssertionError(f"{role}: the demo visit has no hotel stay with a rooming list")
    audit.visit(page, url(delegation + "/events/new"), f"{role} new event form")
    audit.visit(page, url("/exchanges/"), f"{role} exchange tracker")

    audit.visit(page, url("/people/"), f"{role} people")
    people = _hrefs(page, r"/people/\d+")
    person = people[0]
    audit.visit(page, url(person), f"{role} person")
    audit.visit(page, url(person + "/edit"), f"{role} person form")
    for other in people:  # the feed's page, for the first person whose feed this office may manage
        page.goto(url(other))
        if _hrefs(page, r"/people/\d+/calendar-feed"):
            audit.visit(page, url(_href(page, r"/people/\d+/calendar-feed")), f"{role} calendar feed")
            break
    else:
        raise AssertionError(f"{role} may manage no one's calendar feed")
    audit.visit(page, url("/people/new"), f"{role} new person form")

    audit.visit(page, url("/firms/"), f"{role} firms")
    audit.visit(page, url(_href(page, r"/firms/\d+")), f"{role} firm")
    audit.visit(page, url("/firms/new"), f"{role} firm form")
    audit.visit(page, url("/firms/import"), f"{role} firm import")

    audit.visit(page, url("/b2b/"), f"{role} B2B sessions")
    session = page.locator("main").get_by_role("link", name=B2B_SESSION).first.get_attribute("href")
    audit.visit(page, url(session), f"{role} B2B session")
    participants = _hrefs(page, r"/b2b/participants/\d+")
    meeting_move = _href(page, r"/b2b/meetings/\d+/edit")
    meeting_swap = _href(page, r"/b2b/meetings/\d+/swap")
    answers = _hrefs(page, r"/b2b/requests/\d+/answer")  # the demo's waiting requests go to one side only
    audit.visit(page, url(session + "/schedule"), f"{role} B2B schedule grid")
    for participant in participants:  # a firm of the office's own region: it asks for meetings
        page.goto(url(participant))
        if _hrefs(page, r"/b2b/participants/\d+/requests/new"):
            break
    else:
        raise AssertionError(f"{role} may request a meeting for no firm")
    audit.visit(page, url(participant), f"{role} B2B participant")
    audit.visit(page, url(participant + "/requests/new"), f"{role} B2B request form")
    if answers:
        audit.visit(page, url(answers[0]), f"{role} B2B answer a request")
    audit.visit(page, url(meeting_move), f"{role} B2B move a meeting")
    audit.visit(page, url(meeting_swap), f"{role} B2B swap meetings")
    audit.visit(page, url(session + "/meetings/new"), f"{role} B2B new meeting")
    audit.visit(page, url(session + "/tables"), f"{role} B2B tables")
    audit.visit(page, url(session + "/interpreters"), f"{role} B2B interpreters")
    audit.visit(page, url(session + "/edit"), f"{role} B2B settings")
    audit.visit(page, url(f"/outcomes/b2b/{session.rstrip('/').rsplit('/', 1)[1]}/feedback"),
                f"{role} B2B feedback and follow-ups")

    audit.visit(page, url("/outcomes/"), f"{role} outcomes dashboard")
    audit.visit(page, url("/outcomes/followups/"), f"{role} follow-ups")
    followup = _href(page, r"/outcomes/followups/\d+")
    audit.visit(page, url(followup), f"{role} follow-up")
    audit.visit(page, url(followup + "/edit"), f"{role} follow-up form")
    audit.visit(page, url(new_followup), f"{role} new follow-up form")
    audit.visit(page, url("/outcomes/agreements/"), f"{role} agreements")
    agreement = _href(page, r"/outcomes/agreements/\d+")
    audit.visit(page, url(agreement), f"{role} agreement")
    audit.visit(page, url(agreement + "/edit"), f"{role} agreement form")
    audit.visit(page, url("/outcomes/agreements/new"), f"{role} new agreement form")

    audit.visit(page, url("/partnerships/"), f"{role} partnerships")
    audit.visit(page, url(_href(page, r"/partnerships/\d+")), f"{role} partnership")
    audit.visit(page, url("/regions/"), f"{role} regions")
    audit.visit(page, url("/venues/"), f"{role} venues")
    audit.visit(page, url("/outbox/"), f"{role} email log")
    audit.visit(page, url("/account"), f"{role} profile")
    audit.visit(page, url("/account/password"), f"{role} change password")
    _open_menus(page, audit, role)

    _with_errors(page, audit, url("/firms/new"), f"{role} firm form")
    _with_errors(page, audit, url("/people/new"), f"{role} person form")
    _with_errors(page, audit, url(delegation + "/events/new"), f"{role} event form")
    _with_errors(page, audit, url(participant + "/requests/new"), f"{role} B2B request form")
    _with_errors(page, audit, url(new_followup), f"{role} follow-up form")


def _with_errors(page, audit: Audit, url: str, name: str) -> None:
    """A form sent empty comes back with its errors at the fields and a summary at its top."""
    page.goto(url)
    page.locator("main form[method=post]").last.locator("button:not([type=button])").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    audit.check(page, f"{name} with errors")


def _open_menus(page, audit: Audit, role: str) -> None:
    """The navigation's drop-down groups, open (axe skips what is hidden)."""
    page.goto(page.url.split("#")[0])
    page.wait_for_load_state("load")
    page.locator("#mainnav .dropdown-toggle").first.click()
    expect(page.locator("#mainnav .dropdown-menu.show")).to_be_visible()
    audit.check(page, f"{role} navigation menu open")
    page.locator("#user-menu").click()
    expect(page.locator("#mainnav .dropdown-menu-end.show")).to_be_visible()
    audit.check(page, f"{role} user menu open")


def _import_preview(page, live_server, audit: Audit, role: str, tmp_path) -> None:
    """The import's preview page: a one-firm CSV uploaded (and left unconfirmed)."""
    upload = tmp_path / "firms.csv"
    upload.write_text(IMPORT_CSV, encoding="utf-8")
    page.goto(live_server.url("/firms/import"))
    page.locator("main input[type=file]").set_input_files(str(upload))
    page.locator("main form[enctype] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/firms/imports/\d+$", page.url), f"the upload did not lead to its preview: {page.url}"
    audit.check(page, f"{role} firm import preview")


def _member_import_preview(page, live_server, audit: Audit, role: str, tmp_path) -> None:
    """The members import's preview: a new person and a row with errors (left unconfirmed)."""
    upload = tmp_path / "members.csv"
    upload.write_text("name,email,role\nNirmala Sitaraman,nirmala@example.in,member\n,bad@,chief\n",
                      encoding="utf-8")
    page.goto(live_server.url("/delegations/"))
    delegation = page.locator("main").get_by_role("link", name=DELEGATION).first.get_attribute("href")
    page.goto(live_server.url(delegation + "/members/import"))
    page.locator("main input[type=file]").set_input_files(str(upload))
    page.locator("main form[enctype] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/members/imports/\d+$", page.url), f"the upload did not lead to its preview: {page.url}"
    audit.check(page, f"{role} members import preview")


def _scheduler_preview(page, live_server, audit: Audit, role: str) -> None:
    """The scheduler's form and a fresh preview (run, not applied: the schedule stays as it is)."""
    page.goto(live_server.url("/b2b/"))
    page.locator("main").get_by_role("link", name=B2B_SESSION).first.click()
    page.wait_for_load_state("networkidle")
    form = page.locator("form.b2b-solve-form")
    form.locator("input[name=time_limit]").fill("2")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/b2b/runs/\d+$"), timeout=60_000)
    audit.check(page, f"{role} B2B scheduler preview")
    page.locator("main button[name=action][value=discard]").click()  # the schedule stays as the demo made it
    page.wait_for_load_state("load")
    audit.check(page, f"{role} B2B session after discarding a preview")


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("role, email", [("administrator", "admin@demo.planner"),
                                         ("state cell", "gujarat@demo.planner"),
                                         ("prefecture office", "shizuoka@demo.planner")])
def test_staff_pages_have_no_accessibility_violations(browser_in, audit, live_server, tmp_path, role, email,
                                                      language):
    page = browser_in(language)
    _log_in(page, live_server, email)
    _expect_language(page, language)
    _staff_pages(page, live_server, audit, f"{role} ({language})")
    if role == "administrator":
        audit.visit(page, live_server.url("/admin/users"), f"{role} ({language}) users")
        audit.visit(page, live_server.url(_href(page, r"/admin/users/\d+/edit")), f"{role} ({language}) user form")
        audit.visit(page, live_server.url("/admin/users/new"), f"{role} ({language}) new user form")
        audit.visit(page, live_server.url("/admin/audit"), f"{role} ({language}) audit log")
        audit.visit(page, live_server.url("/outcomes/rates"), f"{role} ({language}) exchange rates")
    if role == "state cell":
        _import_preview(page, live_server, audit, f"{role} ({language})", tmp_path)
        _member_import_preview(page, live_server, audit, f"{role} ({language})", tmp_path)
        _scheduler_preview(page, live_server, audit, f"{role} ({language})")
    assert not audit.failures(), audit.report()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_delegate_pages_have_no_accessibility_violations(browser_in, audit, live_server, language):
    page = browser_in(language)
    _log_in(page, live_server, "delegate@demo.planner")
    _expect_language(page, language)
    audit.check(page, f"delegate ({language}) home")
    audit.visit(page, live_server.url("/agenda"), f"delegate ({language}) agenda")
    audit.visit(page, live_server.url("/b2b/mine"), f"delegate ({language}) my B2B meetings")
    audit.visit(page, live_server.url("/account"), f"delegate ({language}) profile")
    assert not audit.failures(), audit.report()


def test_pages_on_a_phone_have_no_accessibility_violations(browser, audit, live_server):
    """On a phone the navigation folds into its menu button and wide tables scroll in their own box."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        page = context.new_page()
        _log_in(page, live_server, "admin@demo.planner")
        audit.check(page, "phone home")
        page.locator("button.navbar-toggler").click()
        expect(page.locator("#mainnav")).to_be_visible()
        audit.check(page, "phone navigation open")
        url = live_server.url
        page.goto(url("/delegations/"))
        delegation = page.locator("main").get_by_role("link", name=DELEGATION).first.get_attribute("href")
        page.goto(url("/b2b/"))
        session = page.locator("main").get_by_role("link", name=B2B_SESSION).first.get_attribute("href")
        page.goto(url(session))
        participant = _href(page, r"/b2b/participants/\d+")
        for path, name in [("/delegations/", "delegations"), (delegation, "delegation"),
                           (delegation + "/agenda", "agenda"), (delegation + "/members", "members"),
                           (session, "B2B session"), (session + "/schedule", "B2B schedule grid"),
                           (session + "/interpreters", "B2B interpreters"), (participant, "B2B participant"),
                           ("/firms/", "firms"), ("/people/", "people"), ("/outcomes/followups/", "follow-ups"),
                           ("/outcomes/agreements/", "agreements"), ("/partnerships/", "partnerships"),
                           ("/admin/users", "users"), ("/admin/audit", "audit log"), ("/outbox/", "email log")]:
            audit.visit(page, url(path), f"phone {name}")
    finally:
        context.close()
    assert not audit.failures(), audit.report()


def _an_invite_answer_link(live_server) -> str:
    run_planner(["outbox", "send"], live_server.env)
    for envelope in live_server.smtp.envelopes:
        body = email.message_from_bytes(envelope.data, policy=email.policy.default).get_body(("plain",))
        match = body and re.search(r"(http://\S+/invites/rsvp/\S+)", body.get_content())
        if match:
            return match.group(1)
    raise AssertionError("no invite with an answer link reached the mail server")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_public_pages_have_no_accessibility_violations(browser_in, audit, live_server, language):
    """The login page, the language switch on it, and an invite's answer page opened from the mail."""
    page = browser_in(language)
    audit.visit(page, live_server.url("/login"), f"login ({language})")
    _expect_language(page, language)
    other = "ja" if language == "en" else "en"
    page.locator(f"form.language-switch button[name=locale][value={other}]").click()
    page.wait_for_load_state("networkidle")
    _expect_language(page, other)
    audit.check(page, f"login after switching to {other}")
    page.context.clear_cookies()  # the answer page speaks the recipient's (or the browser's) language
    audit.visit(page, _an_invite_answer_link(live_server), f"invite answer ({language})")
    assert not audit.failures(), audit.report()


# Pages opened from a mail, and printouts ------------------------------------------------------------------
# What a delegate sees after following a mail (the feedback form, its thanks page, the invite's answer once given,
# links that expired or were damaged), and the printouts (agendas, the B2B grid, table sheets and a firm's B2B
# agenda, name badges, the schedule of stay), on screen and as printed (print media: what the paper shows).
# The mail pages come from real mails (the outbox worker delivering to the test's mail server); an expired link is
# the same link signed again with a past expiry. Their language is the visitor's choice (the cookie the EN / 日本語
# switch sets), so both languages are checked whatever the recipient's own setting.
# The feedback requests are the second round (months after the session): the feedback journey sends the first, and
# nobody is asked twice in a round. The demo's only representative with a mail address is Mehul Shah; his answers
# here are at the first stage ("Exploring"), which moves no follow-up back, so that journey still moves the
# meeting's follow-up on to the stage it chooses. The invite answered here is someone else's: the invite journey
# answers Mehul's.

MEHUL = "mehul.shah@example.in"
SHIFT_DAYS = 400  # the session, moved back for a moment: more than the six months before the second request
A_WHILE_AGO = datetime.now(UTC) - timedelta(days=1)  # the expiry an expired link carries


def _mails(live_server):
    return [email.message_from_bytes(envelope.data, policy=email.policy.default)
            for envelope in live_server.smtp.envelopes]


def _links(live_server, pattern: str) -> list[tuple[str, str]]:
    """(recipient, link) for every delivered mail whose plain text has a link matching ``pattern``."""
    found = []
    for message in _mails(live_server):
        body = message.get_body(("plain",))
        for link in re.findall(pattern, body.get_content() if body else ""):
            found.append((message["To"].addresses[0].addr_spec, link))
    return found


def _secret(live_server) -> str:
    return live_server.env.get("SECRET_KEY") or DEV_SECRET_KEY


@pytest.fixture(scope="module")
def feedback_links(live_server):
    """The second round of feedback requests of the demo's B2B session, as mailed: (recipient, link) pairs.
    The session is moved back in time only while the requests are queued: the journeys after this one find
    it where the demo put it."""
    pattern = r"(http://\S+/outcomes/feedback/\S+)"
    if not any("/outcomes/feedback/" in link for _, link in _links(live_server, pattern)):
        database = live_server.instance / "e2e.sqlite3"
        moved = ("UPDATE events SET starts_at = datetime(starts_at, :shift), ends_at = datetime(ends_at, :shift) "
                 "WHERE id IN (SELECT event_id FROM b2b_sessions)")
        with sqlite3.connect(database) as connection:
            connection.execute(moved, {"shift": f"-{SHIFT_DAYS} days"})
        try:
            run_planner(["followups", "feedback", "--due"], live_server.env)
        finally:
            with sqlite3.connect(database) as connection:
                connection.execute(moved, {"shift": f"+{SHIFT_DAYS} days"})
        run_planner(["outbox", "send"], live_server.env)
    links = _links(live_server, pattern)
    assert links, "no feedback request reached the mail server"
    return links


def _in_language(page, live_server, language: str) -> None:
    """The visitor's own choice of language, as the header's switch makes it (before any page is opened)."""
    page.context.add_cookies([{"name": "planner_locale", "value": language, "url": live_server.base_url}])


def _expired(link: str, rewrite) -> str:
    base, token = link.rsplit("/", 1)
    return f"{base}/{rewrite(token)}"


def _damaged(link: str) -> str:
    base, token = link.rsplit("/", 1)
    return f"{base}/{token[:-4]}AAAA"


def _check_refusal(page, audit: Audit, url: str, status: int, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{name}: {url} answered {response and response.status}"
    audit.check(page, name)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_feedback_pages_from_the_mail_have_no_accessibility_violations(browser_in, audit, live_server,
                                                                       feedback_links, language):
    page = browser_in(language)
    _in_language(page, live_server, language)
    link = feedback_links[0][1]
    name = f"feedback ({language})"
    audit.visit(page, link, f"{name} form")
    _expect_language(page, language)
    block = page.locator("main fieldset").first
    expect(block).to_be_visible()
    meeting_id = block.locator("select[id^=stage-]").get_attribute("id").removeprefix("stage-")

    page.locator(f"#stage-{meeting_id}").select_option("")  # a rating without what comes next (answered before:
    page.locator(f"label[for=rating-{meeting_id}-3]").click()  # the form shows the earlier answer)
    page.locator("main form button:not([type=button])").last.click()
    page.wait_for_load_state("load")
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    audit.check(page, f"{name} form with errors")

    page.locator(f"#stage-{meeting_id}").select_option("exploring")  # the first stage: moves no follow-up back
    page.locator("main form button:not([type=button])").last.click()
    page.wait_for_load_state("load")
    expect(page.locator("main form")).to_have_count(0)
    audit.check(page, f"{name} thanks")

    audit.visit(page, link, f"{name} form answered before")
    secret = _secret(live_server)
    request_id = read_token(link.rsplit("/", 1)[1], secret=secret)
    _check_refusal(page, audit, _expired(link, lambda _: make_token(request_id, A_WHILE_AGO, secret)), 410,
                   f"{name} link expired")
    _check_refusal(page, audit, _damaged(link), 404, f"{name} link not valid")
    assert not audit.failures(), audit.report()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_invite_answer_pages_after_answering_have_no_accessibility_violations(browser_in, audit, live_server,
                                                                             language):
    # not Mehul's invites: the invite journey answers those and checks what it sees
    pattern = r"Accept: (http://\S+/invites/rsvp/\S+)"
    if not _links(live_server, pattern):  # the demo's invites, unless a test before delivered them
        run_planner(["outbox", "send"], live_server.env)
    links = [link for to, link in _links(live_server, pattern) if to != MEHUL]
    assert links, "no invite with an answer link reached anyone but Mehul Shah"
    link = links[0]
    page = browser_in(language)
    _in_language(page, live_server, language)
    name = f"invite answer ({language})"
    page.goto(link)
    _expect_language(page, language)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("main .alert-success")).to_be_visible()
    audit.check(page, f"{name} recorded")
    audit.visit(page, link, f"{name} answered before")
    expect(page.locator("main [data-answer-so-far]")).to_be_visible()

    secret = _secret(live_server)

    def expired(token: str) -> str:
        data = load_rsvp_token(secret, token)
        return make_rsvp_token(secret, event_uid=data.event_uid, person_id=data.person_id, answer=data.answer,
                               expires_at=A_WHILE_AGO, sequence=data.sequence)

    _check_refusal(page, audit, _expired(link, expired), 410, f"{name} link expired")
    _check_refusal(page, audit, _damaged(link), 404, f"{name} link not valid")
    assert not audit.failures(), audit.report()


def _on_screen_and_printed(page, audit: Audit, url: str, name: str, *, screen: bool = True) -> None:
    """The page as shown (unless another test checks it already) and as printed."""
    if screen:
        audit.visit(page, url, name)
    else:
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url} answered {response.status}"
    page.emulate_media(media="print")
    try:
        audit.check(page, f"{name} printed")
    finally:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_printouts_have_no_accessibility_violations(browser_in, audit, live_server, language):
    """The organiser's printouts (Gujarat's state cell organises the demo's visit and its B2B session)."""
    page = browser_in(language)
    _log_in(page, live_server, "gujarat@demo.planner")
    _expect_language(page, language)
    url, role = live_server.url, f"organiser ({language})"
    page.goto(url("/delegations/"))
    delegation = page.locator("main").get_by_role("link", name=DELEGATION).first.get_attribute("href")
    page.goto(url(delegation + "/members"))
    person_agenda = _href(page, r"/people/\d+/agenda")
    stay = _href(page, r"/delegations/\d+/members/\d+/schedule-of-stay")
    _on_screen_and_printed(page, audit, url(delegation + "/agenda"), f"{role} delegation agenda", screen=False)
    _on_screen_and_printed(page, audit, url(person_agenda), f"{role} person's agenda")
    _on_screen_and_printed(page, audit, url(delegation + "/badges"), f"{role} name badges")
    _on_screen_and_printed(page, audit, url(stay), f"{role} schedule of stay")

    page.goto(url("/b2b/"))
    session = page.locator("main").get_by_role("link", name=B2B_SESSION).first.get_attribute("href")
    page.goto(url(session))
    participant = _href(page, r"/b2b/participants/\d+")
    _on_screen_and_printed(page, audit, url(session + "/schedule"), f"{role} B2B schedule grid", screen=False)
    table_sheets = _hrefs(page, r"/b2b/\d+/tables/\d+")
    assert table_sheets, f"no table sheet linked from {page.url}"
    _on_screen_and_printed(page, audit, url(table_sheets[0]), f"{role} B2B table sheet")
    _on_screen_and_printed(page, audit, url(participant), f"{role} a firm's B2B agenda", screen=False)
    assert not audit.failures(), audit.report()


def test_delegates_printed_agenda_has_no_accessibility_violations(browser_in, audit, live_server):
    page = browser_in("en")
    _log_in(page, live_server, "delegate@demo.planner")
    _on_screen_and_printed(page, audit, live_server.url("/agenda"), "delegate agenda", screen=False)
    assert not audit.failures(), audit.report()
