"""A small world for the follow-up tests: a Gujarat → Shizuoka delegation with a B2B session on 13 Oct 2026 whose
Indian firm has two meetings, each firm with one representative (with an e-mail address)."""

from dataclasses import dataclass

import pytest


@dataclass
class B2BWorld:
    partnership: object
    delegation: object
    session: object
    indian: object
    japanese: object
    japanese_2: object
    meeting: object
    meeting_2: object
    indian_rep: object
    japanese_rep: object


@pytest.fixture
def b2b(factories):
    partnership = factories.partnership("IN-GJ", "JP-22")
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), partnership_id=partnership.id)
    session = factories.b2b_session(delegation)
    indian_rep = factories.person("Mehul Shah", email="mehul@sanand-auto.example")
    japanese_rep = factories.person("Taro Yamada", email="taro@suzuki-seiki.example")
    indian = factories.b2b_participant(session, "IN-GJ", representatives=[indian_rep])
    japanese = factories.b2b_participant(session, "JP-22", representatives=[japanese_rep])
    japanese_2 = factories.b2b_participant(session, "JP-22")
    meeting = factories.b2b_meeting(session, indian, japanese, slot=1)
    meeting_2 = factories.b2b_meeting(session, indian, japanese_2, slot=2)
    return B2BWorld(partnership, delegation, session, indian, japanese, japanese_2, meeting, meeting_2, indian_rep,
                    japanese_rep)
