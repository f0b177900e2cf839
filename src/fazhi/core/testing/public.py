"""The permission cases of a public page (/public/, no account): anyone reaches it, signed in or not, and
it shows no staff link, no staff navigation and no record id. A test class inherits `PublicCases`, names
`url_name` and says how to build the URL (`url(world)`); `test_every_url_has_four_cases` counts it as covered."""

import re

from fazhi.core.testing import scoping

# What a public page must never contain: links into the staff site, the staff navigation, admin, the API.
STAFF_PATH = re.compile(r'(?:href|action|src)="/(?!public/|static/)[^"]*"')


def assert_public_page(body: str) -> None:
    found = STAFF_PATH.findall(body)
    assert not found, f"a public page links outside /public/ and /static/: {found[:5]}"
    ids = re.findall(r'(?:href|action|src)="[^"]*/\d+/?(?:[?#][^"]*)?"', body)
    assert not ids, f"a public page links by record id: {ids[:5]}"
    for marker in ("主导航", "工作台", "退出", "/history/", "/admin/", "/api/"):
        assert marker not in body, f"a public page shows the staff site's 「{marker}」"


class PublicCases:
    url_name: str = ""
    status: int = 200  # what an anonymous GET answers (a CAPTCHA refresh without its header: 404)
    check_page: bool = True  # an HTML page of the public layout (not an image or JSON)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.url_name:
            scoping.COVERED.add(cls.url_name)

    def url(self, world) -> str:
        raise NotImplementedError

    def test_anonymous_reaches_it(self, world):
        response = world.client().get(self.url(world))
        assert response.status_code == self.status, response.content[:300]
        if self.check_page:
            assert_public_page(response.content.decode())

    def test_signed_in_staff_get_the_public_layout_too(self, world):
        response = world.client("fzb").get(self.url(world))
        assert response.status_code == self.status
        if self.check_page:
            assert_public_page(response.content.decode())
