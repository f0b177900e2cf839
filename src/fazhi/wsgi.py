import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    from fazhi.envfile import config_error

    # One line in the server's log, not a traceback. 4 is gunicorn's "app failed to load":
    # the server stops instead of restarting workers that cannot start.
    print(config_error(exc), file=sys.stderr, flush=True)
    raise SystemExit(4) from None
