"""Charts in the user's language: words translated, Japanese drawn."""

import logging
import warnings


def _japanese(login_as, database, role="state", region="IN-GJ"):
    client = login_as(role, region)
    client.user.locale = "ja"
    database.session.commit()
    return client


def test_charts_draw_japanese_words_with_a_font_that_has_them(login_as, factories, database, caplog):
    factories.delegation(("IN-GJ",), ("JP-22",))
    client = _japanese(login_as, database)
    for url in ("/exchanges/chart.svg", "/outcomes/funnel.svg", "/outcomes/agreements.svg"):
        with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
            warnings.simplefilter("always")
            response = client.get(url)
        assert response.status_code == 200, url
        svg = response.get_data(as_text=True)
        # matplotlib names each text in a comment before its glyphs: the words are Japanese
        assert "Delegations per year" not in svg and "From meetings" not in svg and "Agreements signed" not in svg
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        assert not missing, (url, missing[:2])
        assert "findfont" not in caplog.text
