"""The weekly digest: open follow-ups overdue or due within 7 days, one mail per owner, through the outbox."""

from datetime import date

from sqlalchemy import select

from planner.followups.digest import followups_for_digest, send_digests
from planner.outbox.models import OutboxMessage

TODAY = date(2026, 11, 25)


def test_digest_selects_overdue_and_due_within_seven_days_only(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    overdue = factories.followup(b2b.meeting, owner=owner, title="overdue", due_date=date(2026, 11, 20))
    today = factories.followup(b2b.meeting, owner=owner, title="today", due_date=TODAY)
    in_seven = factories.followup(b2b.meeting, owner=owner, title="in seven", due_date=date(2026, 12, 2))
    factories.followup(b2b.meeting, owner=owner, title="in eight", due_date=date(2026, 12, 3))
    factories.followup(b2b.meeting, owner=owner, title="no date", stage="no_interest")  # open needs no date then
    factories.followup(b2b.meeting, owner=owner, title="done", due_date=date(2026, 11, 20), is_open=False)
    assert followups_for_digest(TODAY) == {owner: [overdue, today, in_seven]}


def test_digest_goes_to_each_owner_through_the_outbox(b2b, factories, database):
    gujarat = factories.user("state", "IN-GJ", email="kiran@gujarat.example")
    shizuoka = factories.user("prefecture", "JP-22", email="yuki@shizuoka.example")
    factories.followup(b2b.meeting, owner=gujarat, title="Send NDA", next_action="Send NDA draft",
                       due_date=date(2026, 11, 20))
    factories.followup(b2b.meeting_2, owner=shizuoka, title="Visit plant", due_date=date(2026, 11, 30))
    assert send_digests(TODAY) == {"kiran@gujarat.example": 1, "yuki@shizuoka.example": 1}
    messages = database.session.scalars(select(OutboxMessage).where(OutboxMessage.related_type == "followup_digest")
                                        .order_by(OutboxMessage.to_email)).all()
    assert [(m.to_email, m.subject) for m in messages] == [
        ("kiran@gujarat.example", "Follow-ups due: 1 (1 overdue)"),
        ("yuki@shizuoka.example", "Follow-ups due: 1 (0 overdue)")]
    body = messages[0].raw.decode("utf-8", "replace")
    assert "Send NDA draft" in body and "overdue by 5 days" in body


def test_a_digest_is_in_the_email_log_of_its_owners_region_only(b2b, factories, login_as, database):
    # the owner's follow-ups name Shizuoka (one) and Yamanashi (another): Shizuoka must not read the other
    gujarat = factories.user("state", "IN-GJ", email="kiran@gujarat.example")
    factories.followup(b2b.meeting, owner=gujarat, title="Send NDA", due_date=date(2026, 11, 20))
    yamanashi = factories.delegation(("IN-GJ",), ("JP-19",))
    factories.followup(yamanashi, owner=gujarat, title="Yamanashi hydrogen deal", due_date=date(2026, 11, 21))
    send_digests(TODAY)
    (message,) = database.session.scalars(select(OutboxMessage).where(
        OutboxMessage.related_type == "followup_digest")).all()
    database.session.commit()
    assert [r.code for r in message.regions] == ["IN-GJ"]
    assert login_as("prefecture", "JP-22").get(f"/outbox/{message.id}").status_code == 404
    assert "Yamanashi hydrogen deal" in login_as("state", "IN-GJ").get(f"/outbox/{message.id}").get_data(
        as_text=True)


def test_digest_skips_inactive_owners(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    factories.followup(b2b.meeting, owner=owner, due_date=TODAY)
    owner.is_active = False
    assert followups_for_digest(TODAY) == {}


def test_cli_remind_queues_digests(b2b, factories, runner, database):
    owner = factories.user("state", "IN-GJ", email="owner@gujarat.example")
    factories.followup(b2b.meeting, owner=owner, due_date=date(2020, 1, 1))
    database.session.commit()
    result = runner.invoke(args=["followups", "remind"])
    assert result.exit_code == 0, result.output
    assert "owner@gujarat.example: 1 follow-up(s)" in result.output
    assert "1 digest(s) queued." in result.output


def test_an_owner_who_may_no_longer_see_a_follow_up_is_not_mailed_it(factories, database):
    # moved by an administrator to Maharashtra, or made a delegate: the weekly mail went on listing Gujarat's
    # titles and next actions (found by the security review); such follow-ups now lose their owner, and the
    # digest checks what the owner may see all the same
    from planner.accounts.operations import update_user

    moved = factories.user("state", "IN-GJ", email="moved@gujarat.example")
    turned = factories.user("prefecture", "JP-22", email="turned@shizuoka.example")
    stays = factories.user("state", "IN-GJ", email="stays@gujarat.example")
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    for owner in (moved, turned, stays):
        factories.followup(delegation, owner=owner, title=f"Kept by {owner.email}", next_action="Send NDA draft",
                           due_date=date(2026, 11, 20))
    update_user(moved, name=moved.name, role="state", region=factories.region("IN-MH"), is_active=True)
    update_user(turned, name=turned.name, role="delegate", region=None, is_active=True)
    database.session.flush()
    assert [owner.email for owner in followups_for_digest(TODAY)] == ["stays@gujarat.example"]
    assert send_digests(TODAY) == {"stays@gujarat.example": 1}
