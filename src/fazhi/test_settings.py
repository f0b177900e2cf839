"""Settings for the test suite: the real settings, with FAZHI_ENV=test."""

import os

os.environ.setdefault("FAZHI_ENV", "test")

from fazhi.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Persistent connections outlive pytest-django's per-test setup on PostgreSQL.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

import tempfile  # noqa: E402

# Evidence uploaded by tests goes to a throw-away folder, never to var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="fazhi-test-media-"))  # noqa: F405
