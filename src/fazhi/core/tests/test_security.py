import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOGIN = "/login/"
PASSWORD = "fazhi-demo-2026"


def attempt(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def test_wrong_password_shows_a_chinese_error(world):
    response = attempt("d01", "wrong")
    assert response.status_code == 400
    assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()


def test_lockout_after_repeated_failures_is_per_username_and_ip(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("d01", "wrong", ip="10.0.0.1")
    locked = attempt("d01", PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    # The same office address for another user, and the same user elsewhere, are not locked.
    assert attempt("d02", PASSWORD, ip="10.0.0.1").status_code == 302
    assert attempt("d01", PASSWORD, ip="10.0.0.2").status_code == 302


def test_success_resets_the_failure_count(world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("d03", "wrong")
    assert attempt("d03", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("d03", "wrong")
    assert attempt("d03", PASSWORD).status_code == 302


def test_session_id_is_rotated_at_login(world):
    client = Client()
    client.get(LOGIN)
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(LOGIN, {"username": "fzb", "password": PASSWORD}).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after


def test_idle_timeout_defaults_to_30_minutes_and_slides():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_idle_session_expires(world):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = world.client("fzb")
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_csrf_is_enforced_on_forms(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "fzb", "password": PASSWORD}).status_code == 403
    client.force_login(world.user("fzb"))
    unit = world.unit("D01")
    response = client.post(reverse("unit-edit", args=["D01"]), {"name": "x", "version": unit.version})
    assert response.status_code == 403


def test_csrf_is_enforced_on_session_api_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("fzb"))
    response = client.post("/api/v1/calendar/arrangements/", {}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_password_validators_refuse_weak_passwords(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak, world.user("d01"))


def _run_fazhi(args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "FAZHI_ENV", "SECRET_KEY")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "fazhi.cli", *args], capture_output=True, text=True, env=env)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    proc = _run_fazhi(["check", "--deploy", "--fail-level", "WARNING"], {
        "FAZHI_ENV": "production", "SECRET_KEY": "k" * 20 + "Zq9-x!" * 10, "ALLOWED_HOSTS": "fazhi.example.gov.cn",
        "FAZHI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fazhi.settings",
    })
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    proc = _run_fazhi(["check"], {"FAZHI_ENV": "production", "FAZHI_VAR_DIR": str(tmp_path),
                                  "DJANGO_SETTINGS_MODULE": "fazhi.settings"})
    assert proc.returncode != 0
    assert "SECRET_KEY" in proc.stderr


def test_production_defaults_are_safe(tmp_path):
    proc = _run_fazhi(["shell", "-c", "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
                       "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS)"],
                      {"FAZHI_ENV": "production", "SECRET_KEY": "x" * 60, "FAZHI_VAR_DIR": str(tmp_path),
                       "DJANGO_SETTINGS_MODULE": "fazhi.settings"})
    assert proc.stdout.split("\n")[-2] == "False True True True 31536000 []", proc.stdout + proc.stderr


def test_static_assets_are_local(world):
    body = world.client("fzb").get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    docs = world.client("fzb").get("/api/v1/docs").content.decode()
    assert "https://" not in docs and "/static/drf_spectacular_sidecar/" in docs


def test_vendored_assets_are_found_by_collectstatic():
    from django.contrib.staticfiles import finders

    for path in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/htmx/htmx.min.js", "vendor/echarts/echarts.min.js", "fazhi/fazhi.css"]:
        assert finders.find(path), path


@pytest.mark.slow
def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    proc = _run_fazhi(["collectstatic", "--noinput", "-v", "0"], {
        "FAZHI_ENV": "development", "DEBUG": "0", "SECRET_KEY": "x" * 60, "FAZHI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "fazhi.settings",
    })
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
