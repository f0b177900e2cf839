"""The local demo's settings file, and the one-line report of a bad setting.

`script/server` exports the demo's settings (FAZHI_ENV=development, its SECRET_KEY …) for the
server it starts, and leaves them in `var/fazhi.env` so that the `fazhi` command finds them in a
new shell. The file only fills a process whose environment does not name its FAZHI_ENV:
production sets its variables (FAZHI_ENV=production among them) and never reads it.

    python -m fazhi.envfile write NAME …   # script/server: the named variables, from its environment
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
FILE_NAME = "fazhi.env"
# sysexits.h EX_CONFIG: a configuration error, for scripts and systemd.
EXIT_CONFIG = 78


def var_dir() -> Path:
    return Path(os.environ.get("FAZHI_VAR_DIR") or PROJECT_DIR / "var")


def read(path: Path) -> dict[str, str]:
    """`NAME=value` lines (the file is also valid shell); blank lines and # comments skipped."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip().removeprefix("export ").strip()] = value.strip()
    return values


def load() -> Path | None:
    """Fill the variables missing from the environment from var/fazhi.env, unless the environment
    names its FAZHI_ENV (then it is configured by its variables alone). Returns the file used."""
    if os.environ.get("FAZHI_ENV"):
        return None
    path = var_dir() / FILE_NAME
    if not path.is_file():
        return None
    for name, value in read(path).items():
        os.environ.setdefault(name, value)
    return path


def write(names: list[str]) -> Path:
    """Write the named variables of this environment to var/fazhi.env, readable by the owner only."""
    directory = var_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    lines = ["# Written by script/server: the local demo's settings, read by the `fazhi` command",
             "# when FAZHI_ENV is not set in its environment. Not for production."]
    lines += [f"{name}={os.environ[name]}" for name in names if os.environ.get(name)]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return path


def config_error(exc: BaseException) -> str:
    """One line: what is wrong (the settings name the variable) and where settings come from."""
    reason = " ".join(str(exc).split())
    return (f"fazhi: 配置错误:{reason}。本机演示请先运行 script/server(它把演示设置写入 var/{FILE_NAME});"
            f"生产环境请设置环境变量(见 README 的 Settings 一节)。")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "write":
        sys.exit("用法: python -m fazhi.envfile write NAME …")
    print(write(sys.argv[2:]))
