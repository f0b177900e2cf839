"""The `fazhi` command in a plain new shell: after script/server it finds the demo's settings in
var/; with a setting missing or wrong, the command and the server say so in one line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
SECRET = "s" * 60


def plain_env(tmp_path, **extra) -> dict:
    """A new shell: PATH and HOME only (plus where var/ is, so the test leaves the real one alone)."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), **extra}


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def assert_one_line_refusal(result, *words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fazhi: 配置错误:"), result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.slow
def test_after_script_server_the_readme_command_works_in_a_new_shell(tmp_path):
    var = tmp_path / "var"
    # What script/server does: its own line that leaves the settings in var/, then migrate.
    line = next(ln for ln in (ROOT / "script" / "server").read_text().splitlines() if "fazhi.envfile write" in ln)
    run(["bash", "-c", line], cwd=ROOT, check=True, env=plain_env(
        tmp_path, FAZHI_VAR_DIR=str(var), FAZHI_ENV="development", DEBUG="0", SECRET_KEY=SECRET))
    assert oct((var / "fazhi.env").stat().st_mode & 0o777) == "0o600"  # it holds the secret key
    shell = plain_env(tmp_path, FAZHI_VAR_DIR=str(var))
    run([BIN / "fazhi", "migrate", "-v", "0"], shell, check=True)

    result = run([BIN / "fazhi", "deadline", "litigation.answer", "2026-09-16"], shell)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "2026-10-08"   # 15 days, rolled past 国庆节
    assert "Traceback" not in result.stderr


def test_without_settings_the_command_says_so_in_one_line(tmp_path):
    result = run([BIN / "fazhi", "deadline", "litigation.answer", "2026-09-16"],
                 plain_env(tmp_path, FAZHI_VAR_DIR=str(tmp_path / "empty")))
    assert_one_line_refusal(result, "SECRET_KEY", "script/server")
    assert result.returncode == 78 and result.stdout == ""


def test_an_environment_that_names_its_fazhi_env_ignores_the_demo_file(tmp_path):
    """Production sets its variables: a demo's var/fazhi.env never relaxes it."""
    (tmp_path / "fazhi.env").write_text(f"FAZHI_ENV=development\nSECRET_KEY={SECRET}\n")
    result = run([BIN / "fazhi", "check"], plain_env(tmp_path, FAZHI_VAR_DIR=str(tmp_path), FAZHI_ENV="production"))
    assert_one_line_refusal(result, "SECRET_KEY")


@pytest.mark.parametrize("variable, value, word", [
    ("SESSION_IDLE_MINUTES", "半小时", "SESSION_IDLE_MINUTES"),
    ("DATABASE_URL", "mysqlx://nowhere/fazhi", "DATABASE_URL"),
    ("FAZHI_ENV", "staging", "FAZHI_ENV"),
    ("SECURE_COOKIES", "ture", "SECURE_COOKIES"),  # a typo must not turn secure cookies off
])
def test_a_wrong_setting_is_named_in_one_line(tmp_path, variable, value, word):
    env = plain_env(tmp_path, FAZHI_VAR_DIR=str(tmp_path), **{"FAZHI_ENV": "development", variable: value})
    assert_one_line_refusal(run([BIN / "fazhi", "check"], env), word)


def test_the_server_stops_with_one_line_when_a_setting_is_missing(tmp_path):
    env = plain_env(tmp_path, FAZHI_VAR_DIR=str(tmp_path))
    result = run([sys.executable, "-c", "import fazhi.wsgi"], env)
    assert_one_line_refusal(result, "SECRET_KEY")
    assert result.returncode == 4   # gunicorn's "app failed to load": it stops instead of respawning
    served = run([BIN / "gunicorn", "fazhi.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"], env)
    assert served.returncode != 0 and "Traceback" not in served.stderr
    assert "fazhi: 配置错误:生产环境必须设置环境变量 SECRET_KEY" in served.stderr
