#!/usr/bin/env python
"""Same as the installed `fazhi` command, for a checkout without the package installed."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
from fazhi.cli import main  # noqa: E402

main()
