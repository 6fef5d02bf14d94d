"""The email log pages (inside the rolling-back test transaction: nothing is delivered here)."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from planner.core.audit import AuditEntry
from planner.extensions import db
from planner.outbox.models import OutboxMessage
from planner.outbox.operations import enqueue_invites, enqueue_notice, organizer
from tests.outbox.helpers import meeting


def _notice(factories, *codes, subject="Visit confirmed", status="queued", **kwargs):
    queued = enqueue_notice(to_email="priya.shah@ahmedabad-tools.example", to_name="Priya Shah", subject=subject,
                            text_body=kwargs.pop("text_body", "See you in Shizuoka."),
                            regions=[factories.region(code) for code in codes])
    message = db.session.get(OutboxMessage, queued.id)
    message.status = status
    message.attempts = kwargs.pop("attempts", 0)
    message.last_error = kwargs.pop("last_error", "")
    return message


def test_index_admin_sees_every_message_and_a_state_cell_only_its_region(login_as, factories, database):
    ours = _notice(factories, "IN-GJ", "JP-22", subject="Gujarat–Shizuoka visit")
    theirs = _notice(factories, "IN-MH", "JP-30", subject="Maharashtra–Wakayama visit")
    database.session.commit()

    admin_page = login_as("admin").get("/outbox/").get_data(as_text=True)
    state_page = login_as("state", "IN-GJ").get("/outbox/").get_data(as_text=True)

    assert ours.subject in admin_page and theirs.subject in admin_page
    assert ours.subject in state_page and theirs.subject not in state_page


def test_index_gives_times_in_two_short_lines(login_as, factories, database):
    # 'Fri 27 Nov 2026, 00:54 IST · Fri 27 Nov 2026, 04:24 JST' in two columns pushed the table past 1366 px
    message = _notice(factories, "IN-GJ", subject="Timed")
    message.created_at = message.next_attempt_at = datetime(2026, 11, 26, 19, 24, tzinfo=UTC)
    database.session.commit()
    page = login_as("admin").get("/outbox/").get_data(as_text=True)
    assert page.count("<div>Fri 27 Nov 2026, 00:54 IST</div><div>04:24 JST</div>") == 2
    assert "IST · " not in page
    # on a phone the time goes under the subject (the columns are hidden below 992 px)
    assert "Notice · Fri 27 Nov 2026, 00:54 IST / 04:24 JST</div>" in page


def test_index_filters_by_status(login_as, factories, database):
    _notice(factories, "IN-GJ", subject="Delivered one", status="sent")
    _notice(factories, "IN-GJ", subject="Broken one", status="failed", last_error="550 no such user")
    database.session.commit()

    page = login_as("admin").get("/outbox/?status=failed&kind=bogus").get_data(as_text=True)

    assert "Broken one" in page and "550 no such user" in page and "Delivered one" not in page


def test_index_delegate_gets_403(login_as):
    assert login_as("delegate").get("/outbox/").status_code == 403


def test_view_shows_headers_and_text_escaped(login_as, factories, database):
    message = _notice(factories, "IN-GJ", subject="<script>alert(1)</script> agenda",
                      text_body="Bring <b>samples</b> & cards")
    database.session.commit()

    response = login_as("admin").get(f"/outbox/{message.id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; agenda" in html
    assert "Bring &lt;b&gt;samples&lt;/b&gt; &amp; cards" in html
    assert message.message_id.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "IST" in html and "JST" in html


def test_ics_download_gives_the_stored_calendar_and_404_for_a_notice(login_as, factories, database):
    invite = enqueue_invites(meeting(organizer=organizer()), method="REQUEST", subject="B2B", text_body="t",
                             html_body="<p>t</p>", regions=[factories.region("IN-GJ")])[0]
    notice = _notice(factories, "IN-GJ")
    database.session.commit()
    client = login_as("state", "IN-GJ")

    response = client.get(f"/outbox/{invite.id}/invite.ics")

    assert response.status_code == 200
    assert response.data == invite.ics
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response.headers["Content-Disposition"] == 'attachment; filename="invite.ics"'
    assert client.get(f"/outbox/{notice.id}/invite.ics").status_code == 404


def test_retry_post_queues_a_failed_message_again_and_audits_it(login_as, factories, database):
    message = _notice(factories, "JP-22", status="failed", attempts=8, last_error="timed out")
    database.session.commit()
    client = login_as("prefecture", "JP-22")

    response = client.post(f"/outbox/{message.id}/retry")

    database.session.expire_all()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/outbox/{message.id}")
    assert (message.status, message.attempts) == ("queued", 0)
    entry = database.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "outbox_messages")).one()
    assert (entry.action, entry.object_id, entry.actor_label) == ("retry", str(message.id), client.user.email)


def test_retry_of_a_sent_message_is_refused_and_changes_nothing(login_as, factories, database):
    message = _notice(factories, "IN-GJ", status="sent", attempts=1)
    database.session.commit()
    client = login_as("admin")

    response = client.post(f"/outbox/{message.id}/retry", follow_redirects=True)

    database.session.expire_all()
    assert "Only a failed message can be sent again." in response.get_data(as_text=True)
    assert (message.status, message.attempts) == ("sent", 1)


def test_malformed_and_unknown_ids_are_404(login_as):
    client = login_as("admin")

    assert [client.get(url).status_code for url in
            ("/outbox/0", "/outbox/99999999", "/outbox/99999999999999/invite.ics", "/outbox/abc")] == [404] * 4
    assert client.post("/outbox/99999999/retry").status_code == 404


def test_enqueued_by_is_the_logged_in_user(app, login_as, database):
    client = login_as("state", "IN-GJ")
    with app.test_request_context():
        from flask_login import login_user

        login_user(client.user)
        message = enqueue_notice(to_email="a@example.org", subject="s", text_body="t")

    assert message.enqueued_by_id == client.user.id
    assert database.session.scalar(select(OutboxMessage.enqueued_by_id).where(OutboxMessage.id == message.id)) \
        == client.user.id


def test_index_a_prefecture_office_sees_what_it_enqueued_even_without_its_region(app, login_as, database):
    office = login_as("prefecture", "JP-22")
    other_office = login_as("prefecture", "JP-30")
    with app.test_request_context():
        from flask_login import login_user

        login_user(office.user)
        enqueue_notice(to_email="a@example.org", subject="Agenda for the Gujarat delegation", text_body="t")
    database.session.commit()

    assert "Agenda for the Gujarat delegation" in office.get("/outbox/").get_data(as_text=True)
    assert "Agenda for the Gujarat delegation" not in other_office.get("/outbox/").get_data(as_text=True)


def test_an_office_does_not_read_what_its_change_sent_about_another_regions_programme(app, login_as, factories,
                                                                                       database):
    # e.g. a person's new address sends updates for a Maharashtra–Wakayama event: the office that changed it
    # saw those mails (and their .ics with attendees and notes) as 'enqueued by' it
    office = login_as("prefecture", "JP-22")
    with app.test_request_context():
        from flask_login import login_user

        login_user(office.user)
        theirs = enqueue_notice(to_email="sunil@mh.example", subject="Wakayama plant visit (update)", text_body="t",
                                regions=[factories.region("IN-MH"), factories.region("JP-30")])
        ours = enqueue_notice(to_email="taro@example.jp", subject="Granship visit (update)", text_body="t",
                              regions=[factories.region("IN-GJ"), factories.region("JP-22")])
    database.session.commit()
    page = office.get("/outbox/").get_data(as_text=True)
    assert "Granship visit (update)" in page and "Wakayama plant visit" not in page
    assert office.get(f"/outbox/{theirs.id}").status_code == 404 and office.get(f"/outbox/{ours.id}").status_code == 200
    assert "Wakayama plant visit" in login_as("prefecture", "JP-30").get("/outbox/").get_data(as_text=True)


def test_index_says_when_mail_is_held_up_and_why(login_as, factories, database):
    # a mail server refusing the login keeps every message queued (none lost, none failed); the log only showed
    # each message's error in small print, and a worker that does not run showed nothing at all
    from datetime import timedelta

    from planner.core.types import utcnow

    held = _notice(factories, "IN-GJ", "JP-22", subject="Held one", attempts=0,
                   last_error="535 5.7.8 Username and Password not accepted")
    held.created_at = utcnow() - timedelta(minutes=30)
    fresh = _notice(factories, "IN-GJ", subject="Fresh one")  # just written: not held up
    sent = _notice(factories, "IN-GJ", subject="Sent one", status="sent")
    sent.created_at = held.created_at
    database.session.commit()

    page = login_as("state", "IN-GJ").get("/outbox/").get_data(as_text=True)
    assert "1 message has been waiting for more than 10 minutes." in page
    # the cell is told what it means and whom to ask, not the server's words or the settings' names
    assert "a problem of the planner&#39;s mail set-up" in page and "Please tell your administrator." in page
    assert "Username and Password" not in page and "MAIL_" not in page
    page = login_as("admin").get("/outbox/").get_data(as_text=True)
    assert "The last try failed with: 535 5.7.8 Username and Password not accepted" in page
    # another region's log says nothing of Gujarat's mail
    assert "waiting for more than" not in login_as("state", "IN-MH").get("/outbox/").get_data(as_text=True)

    held.last_error = ""  # never tried, due half an hour ago: no worker runs
    fresh.created_at = held.next_attempt_at = fresh.next_attempt_at = held.created_at
    database.session.commit()
    page = login_as("admin").get("/outbox/").get_data(as_text=True)
    assert "2 messages have been waiting for more than 10 minutes." in page
    assert "check that the outbox worker runs" in page
    # a state cell is not told to run a server command
    page = login_as("state", "IN-GJ").get("/outbox/").get_data(as_text=True)
    assert "the mail service may be stopped" in page and "planner outbox run" not in page



def test_a_message_queued_again_by_hand_is_not_held_up_until_it_has_waited_again(login_as, factories, database):
    # a failed message of two days ago, queued again, brought the notice at once with its old error
    from datetime import timedelta

    from planner.core.types import utcnow
    from planner.outbox.operations import retry_message

    message = _notice(factories, "IN-GJ", subject="Bounced one", status="failed", attempts=8,
                      last_error="550 mailbox full")
    message.created_at = utcnow() - timedelta(days=2)
    retry_message(message)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert "waiting for more than" not in client.get("/outbox/").get_data(as_text=True)
    message.next_attempt_at = utcnow() - timedelta(minutes=11)  # due since, and no worker took it
    database.session.commit()
    assert "1 message has been waiting for more than 10 minutes." in client.get("/outbox/").get_data(as_text=True)


def test_a_refused_address_is_explained_as_one_the_cell_can_correct(login_as, factories, database):
    message = _notice(factories, "IN-GJ", subject="Bounced", status="failed", attempts=1,
                      last_error="recipient refused: 550 5.1.1 <x@example.invalid>: Recipient address rejected")
    database.session.commit()
    cell = login_as("state", "IN-GJ")
    for url in ("/outbox/", f"/outbox/{message.id}"):
        page = cell.get(url).get_data(as_text=True)
        assert "does not accept this address. Check the person&#39;s e-mail address" in page
        assert "Recipient address rejected" not in page
    page = login_as("admin").get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "The mail server answered: recipient refused: 550 5.1.1" in page


def test_index_filters_by_delegation_and_recipient_within_the_region(login_as, factories, database):
    from planner.invites.operations import send_session_invites
    from tests.invites.world import PRIYA, TARO, confirmed_event
    from tests.invites.world import b2b_meeting as world_meeting

    event = confirmed_event(title="Courtesy call")  # Priya and Taro: two invites
    session, b2b, _people = world_meeting()  # another Gujarat–Shizuoka delegation: two meeting invites
    send_session_invites(session)
    _notice(factories, "IN-GJ", subject="A notice about nothing in particular")
    theirs = factories.delegation(("IN-MH",), ("JP-30",), title="Maharashtra to Wakayama")
    database.session.commit()
    client = login_as("state", "IN-GJ")

    def subjects(query):
        page = client.get(f"/outbox/?{query}").get_data(as_text=True)
        return sorted(re.findall(r'<a href="/outbox/\d+">([^<]*)</a>', page)), page

    assert f'href="/outbox/?delegation={event.delegation_id}"' in client.get(
        f"/delegations/{event.delegation_id}").get_data(as_text=True)  # 'Mails sent' on the delegation's page
    listed, page = subjects(f"delegation={event.delegation_id}")
    assert len(listed) == 2 and all("Courtesy call" in s for s in listed)
    assert f'<option value="{event.delegation_id}" selected>' in page
    assert f'<option value="{theirs.id}"' not in page  # not Gujarat's to filter by
    listed, _page = subjects(f"delegation={session.event.delegation_id}")
    assert len(listed) == 2 and all("B2B:" in s for s in listed)
    everything, _page = subjects("")
    assert subjects(f"delegation={theirs.id}")[0] == everything  # another region's: no filter, nothing shown
    assert len(everything) == 5

    listed, page = subjects("recipient=taro%20YAMADA")  # name or address, any case, spaces between words
    assert len(listed) == 2 and 'value="taro YAMADA"' in page
    assert subjects("recipient=suzuki-seiki")[0] == listed
    assert subjects(f"recipient={TARO.split('@')[0]}&delegation={event.delegation_id}")[0] == [
        s for s in listed if "Courtesy call" in s]
    assert subjects(f"recipient={PRIYA}")[0] != []
    # by the Japanese name the log does not keep (山田 太郎), family name first, or typed full-width
    # (山田太郎: run together, as Japanese names are written)
    for query in ("山田", "山田%E3%80%80太郎", "山田太郎", "Yamada%20Taro", "ｔａｒｏ"):
        assert len(subjects(f"recipient={query}")[0]) == 2, query
    # another region's record of someone at an address in the log is not Gujarat's to search by
    factories.person("Zeta Confidential", region_code="IN-MH", email=PRIYA, name_ja="秘密 人物")
    database.session.commit()
    for query in ("Zeta%20Confidential", "秘密"):
        assert subjects(f"recipient={query}")[0] == [], query
    listed, page = subjects("recipient=%25")  # a '%' is a '%', not 'anything'
    assert listed == [] and "No messages match these filters." in page


def test_index_finds_the_mails_of_a_recipient_by_the_reading_of_their_name(login_as, database):
    from planner.delegations.models import Person
    from tests.invites.world import TARO, confirmed_event

    confirmed_event(title="Courtesy call")
    taro = database.session.scalar(select(Person).where(Person.email == TARO))
    taro.name_kana = "ヤマダ タロウ"
    database.session.commit()
    client = login_as("state", "IN-GJ")
    for query in ("やまだ", "ヤマダ%20タロウ", "たろう%20やまだ"):
        page = client.get(f"/outbox/?recipient={query}").get_data(as_text=True)
        assert len(re.findall(r'<a href="/outbox/\d+">', page)) == 1, query
