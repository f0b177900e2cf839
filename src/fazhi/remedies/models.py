"""The app's models live beside each register's code; Django finds them here."""

from fazhi.remedies.litigation.models import *  # noqa: F403
from fazhi.remedies.reconsideration.models import *  # noqa: F403
