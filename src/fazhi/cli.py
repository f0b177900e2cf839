"""The `fazhi` console command: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from fazhi import envfile

    envfile.load()  # the local demo's settings, left by script/server, when FAZHI_ENV is not set
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        _ = settings.INSTALLED_APPS  # read the settings first: a missing one is one line, not a traceback
    except ImproperlyConfigured as exc:
        print(envfile.config_error(exc), file=sys.stderr)
        sys.exit(envfile.EXIT_CONFIG)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
