"""The tenancy matrix: for every route that takes an object id, each role gets what its region may see and a
404 (or, where the whole page is not for the role, 403) for the rest. A route with an id that is not listed
here fails `test_every_id_route_is_in_the_matrix`, so new features must extend the matrix.

World: Gujarat (IN-GJ) and Shizuoka (JP-22) are "ours"; Maharashtra (IN-MH) and Wakayama (JP-30) are "theirs".
Each case builds one object that involves our regions and one that involves only theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests import factories


@dataclass
class Case:
    build_own: Callable  # (world) -> url
    build_other: Callable
    # role -> (status for own object, status for the other region's object)
    expect: dict


def _partnership_url(suffix=""):
    def own(world):
        return f"/partnerships/{world.partnership('IN-GJ', 'JP-22').id}{suffix}"

    def other(world):
        return f"/partnerships/{world.partnership('IN-MH', 'JP-30').id}{suffix}"

    return own, other


def _user_edit_url():
    return (lambda world: f"/admin/users/{world.users['state'].id}/edit",
            lambda world: f"/admin/users/{factories.user('state', 'IN-MH').id}/edit")


def _region_url():
    return (lambda world: "/regions/IN-GJ", lambda world: "/regions/IN-MH")


STAFF_READ_ALL = {"admin": (200, 200), "state": (200, 200), "prefecture": (200, 200), "delegate": (403, 403)}
OWN_REGION_ONLY = {"admin": (200, 200), "state": (200, 404), "prefecture": (200, 404), "delegate": (403, 403)}
ADMIN_ONLY = {"admin": (200, 200), "state": (403, 403), "prefecture": (403, 403), "delegate": (403, 403)}

MATRIX = {
    "partnerships.view": Case(*_partnership_url(), expect=STAFF_READ_ALL),
    "partnerships.edit": Case(*_partnership_url("/edit"), expect=OWN_REGION_ONLY),
    "regions.view": Case(*_region_url(), expect=STAFF_READ_ALL),
    "admin.edit_user": Case(*_user_edit_url(), expect=ADMIN_ONLY),
}


class World:
    def __init__(self):
        self.users = {"admin": factories.user("admin"), "state": factories.user("state", "IN-GJ"),
                      "prefecture": factories.user("prefecture", "JP-22"), "delegate": factories.user("delegate")}
        self._partnerships = {}

    def partnership(self, state, prefecture):
        key = (state, prefecture)
        if key not in self._partnerships:
            self._partnerships[key] = factories.partnership(state, prefecture)
        return self._partnerships[key]


def _id_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.arguments - {"filename"} and rule.endpoint != "static"}


def test_every_id_route_is_in_the_matrix(app):
    missing = _id_routes(app) - set(MATRIX)
    assert not missing, f"routes with an id that the tenancy matrix does not cover: {sorted(missing)}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_tenancy_matrix(endpoint, app, database):
    from tests.conftest import login

    world = World()
    case = MATRIX[endpoint]
    own_url, other_url = case.build_own(world), case.build_other(world)
    database.session.commit()
    for role, (own_status, other_status) in case.expect.items():
        client = app.test_client()
        login(client, world.users[role].email)
        got = (client.get(own_url).status_code, client.get(other_url).status_code)
        assert got == (own_status, other_status), f"{endpoint} as {role}: got {got}"
        if other_status == 404 and own_url.endswith("/edit"):
            # A POST to someone else's record is refused the same way, and changes nothing.
            assert client.post(other_url, data={}).status_code == 404
