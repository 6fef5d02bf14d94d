"""A small session for the matchmaking tests: 2 Indian and 2 Japanese firms of Gujarat and Shizuoka."""

from dataclasses import dataclass

from tests import factories


@dataclass
class Small:
    session: object
    in1: object
    in2: object
    jp1: object
    jp2: object


def small_session(**settings) -> Small:
    session = factories.b2b_session(**settings)
    return Small(session, *(factories.b2b_participant(session, code) for code in ("IN-GJ", "IN-GJ", "JP-22",
                                                                                     "JP-22")))
