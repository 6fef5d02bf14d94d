"""A firm's profile lists its B2B meetings across sessions, limited to sessions the reader may see."""


def test_firm_page_lists_its_meetings_with_counterpart_time_and_table(login_as, factories, database):
    session = factories.b2b_session()
    indian = factories.b2b_participant(session, "IN-GJ", firm_=factories.firm("IN-GJ", name="Sanand Gears Pvt Ltd"))
    japanese = factories.b2b_participant(session, "JP-22", firm_=factories.firm("JP-22", name="Hamamatsu Seiki"))
    factories.b2b_meeting(session, indian, japanese, slot=2, table=1)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/firms/{indian.firm_id}").get_data(as_text=True)
    assert "Hamamatsu Seiki" in page and "B2B session" in page
    assert "10:20–10:40 JST (06:50–07:10 IST · 10:20–10:40 JST)" in page
    assert "Table 1" in page


def test_firm_page_hides_meetings_of_sessions_the_reader_cannot_see(login_as, factories, database):
    session = factories.b2b_session()
    indian = factories.b2b_participant(session, "IN-GJ", firm_=factories.firm("IN-GJ", name="Sanand Gears Pvt Ltd"))
    japanese = factories.b2b_participant(session, "JP-22", firm_=factories.firm("JP-22", name="Hamamatsu Seiki"))
    factories.b2b_meeting(session, indian, japanese, slot=1, table=1)
    database.session.commit()
    page = login_as("prefecture", "JP-30").get(f"/firms/{indian.firm_id}").get_data(as_text=True)
    assert "No B2B meetings in the sessions you can see." in page
    assert "Hamamatsu Seiki" not in page


def test_firm_page_hides_other_firms_meetings_from_a_region_that_merely_takes_part(login_as, factories, database):
    # Wakayama's firm takes part in the Gujarat-Shizuoka session, so Wakayama sees the session, but only its own
    # firm's meetings in it: not the Gujarat-Shizuoka one on the Gujarat firm's page
    session = factories.b2b_session()
    indian = factories.b2b_participant(session, "IN-GJ", firm_=factories.firm("IN-GJ", name="Sanand Gears Pvt Ltd"))
    japanese = factories.b2b_participant(session, "JP-22", firm_=factories.firm("JP-22", name="Hamamatsu Seiki"))
    wakayama = factories.b2b_participant(session, "JP-30", firm_=factories.firm("JP-30", name="Kii Ume Foods"))
    factories.b2b_meeting(session, indian, japanese, slot=1, table=1)
    factories.b2b_meeting(session, indian, wakayama, slot=2, table=1)
    database.session.commit()
    page = login_as("prefecture", "JP-30").get(f"/firms/{indian.firm_id}").get_data(as_text=True)
    assert "Kii Ume Foods" in page and "Hamamatsu Seiki" not in page
    page = login_as("prefecture", "JP-22").get(f"/firms/{indian.firm_id}").get_data(as_text=True)
    assert "Kii Ume Foods" in page and "Hamamatsu Seiki" in page  # an organiser sees both
