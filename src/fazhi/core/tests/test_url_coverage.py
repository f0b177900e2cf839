"""Every named URL (page or API endpoint) has the four permission cases."""

from django.urls import URLPattern, URLResolver, get_resolver

from fazhi.core.testing import scoping

# Not business pages: authentication itself, the API's own schema and docs, Django admin.
EXEMPT = {"login", "logout", "api:schema", "api:docs", "api:api-root"}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_has_four_cases():
    # Import every test module so the ScopedCases subclasses register themselves.
    import importlib
    import pkgutil

    import fazhi

    for mod in pkgutil.walk_packages(fazhi.__path__, "fazhi."):
        if ".tests.test_" in mod.name:
            importlib.import_module(mod.name)
    names = set(_names(get_resolver().url_patterns)) - EXEMPT
    names = {n for n in names if not n.endswith("-format") and "format" not in n}
    missing = sorted(names - scoping.COVERED)
    assert not missing, f"these URLs have no four-case permission test: {missing}"
