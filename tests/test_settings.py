"""Production settings: safe by default, and no secret in the repository."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "-production-only-key-for-the-test-0123456789",
        DJANGO_ALLOWED_HOSTS="mg.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_in_production_fails_clearly():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="mg.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_no_literal_secret_key_in_settings():
    source = (ROOT / "mealplan" / "settings.py").read_text()
    assert not re.search(r"SECRET_KEY\s*=\s*['\"]", source)
    assert "django-insecure" not in source
