"""The four permission cases every page and endpoint gets: anonymous, no role, same unit, other unit.

A test class inherits `ScopedCases`, names its `url_name`, and says how to build the URL of
something belonging to a unit (`url(world, unit)`) and which text shows it (`marker(world, unit)`).
`test_every_url_has_four_cases` fails when a URL name has no such class.
"""

import pytest

COVERED: set[str] = set()

SAME_UNIT_USER, RECORD_UNIT = "d01", "D01"
OTHER_UNIT_USER = "d02"  # holds a role on D02 only


class ScopedCases:
    url_name: str = ""
    api: bool = False
    # A list answers 200 without the other unit's records; a record answers 404.
    is_list: bool = False
    # Reference data shared by all units (the legal calendar): any role may read it,
    # a user of another unit too; a user holding no role may not.
    shared: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.url_name:
            COVERED.add(cls.url_name)

    def url(self, world, unit) -> str:
        raise NotImplementedError

    def marker(self, world, unit) -> str:
        return unit.name

    # POST-only actions set method = "post" and give the form data.
    method: str = "get"

    def data(self, world, unit) -> dict:
        return {}

    def get(self, world, username):
        unit = world.unit(RECORD_UNIT)
        client = world.client(username)
        url = self.url(world, unit)
        if self.method == "post":
            if self.api:  # the API takes JSON bodies (multipart only for uploads)
                return client.post(url, self.data(world, unit), content_type="application/json"), unit
            return client.post(url, self.data(world, unit)), unit
        return client.get(url), unit

    def test_anonymous(self, world):
        response, _ = self.get(world, None)
        if self.api:
            assert response.status_code == 401
        else:
            assert response.status_code == 302 and "/login/" in response["Location"]

    def test_no_role(self, world):
        response, unit = self.get(world, "nobody")
        self._assert_hidden(response, world, unit)

    def test_same_unit(self, world):
        response, unit = self.get(world, SAME_UNIT_USER)
        assert response.status_code == 200, response.content[:500]
        assert self.marker(world, unit) in response.content.decode()

    def test_other_unit(self, world):
        response, unit = self.get(world, OTHER_UNIT_USER)
        if self.shared:
            assert response.status_code == 200
            assert self.marker(world, unit) in response.content.decode()
        else:
            self._assert_hidden(response, world, unit)

    def _assert_hidden(self, response, world, unit):
        if self.shared:
            assert response.status_code == 403
        elif self.is_list:
            # Refused outright (no role at all), a filter naming a unit the user may not see refused as if
            # the unit did not exist (400), or answered without the record.
            assert response.status_code in (200, 400, 403)
            assert self.marker(world, unit) not in response.content.decode()
        else:
            assert response.status_code in (403, 404)


@pytest.fixture
def covered_url_names():
    return COVERED
