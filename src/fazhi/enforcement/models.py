"""The app's models live beside each package's code; Django finds them here."""

from fazhi.enforcement.fault.models import *  # noqa: F403
from fazhi.enforcement.licence.models import *  # noqa: F403
from fazhi.enforcement.penalty.models import *  # noqa: F403
from fazhi.enforcement.publication.models import *  # noqa: F403
from fazhi.enforcement.records.models import *  # noqa: F403
from fazhi.enforcement.subjects.models import *  # noqa: F403
