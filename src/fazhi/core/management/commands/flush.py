"""Django's `flush`, able to erase append-only tables on SQLite.

PostgreSQL erases with TRUNCATE, which fires no row trigger. SQLite erases with DELETE, which
the append-only triggers refuse: they are lifted for the flush and put back after it (the test
suite flushes between transactional tests)."""

from django.core.management.commands.flush import Command as FlushCommand

from fazhi.core import append_only


class Command(FlushCommand):
    def handle(self, **options):
        using = options["database"]
        append_only.uninstall_sqlite(using)
        try:
            return super().handle(**options)
        finally:
            append_only.install(using)
