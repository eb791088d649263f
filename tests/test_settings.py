"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_from_url

PROJECT = Path(__file__).resolve().parent.parent


def test_database_url_is_parsed_into_postgresql_settings():
    config = database_from_url("postgres://gk:p%40ss@db.local:5433/gongkai")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "gongkai",
        "gk",
        "p@ss",
        "db.local",
        "5433",
    )


def test_database_url_other_than_postgres_is_refused_in_chinese():
    with pytest.raises(ImproperlyConfigured, match="只支持 postgres"):
        database_from_url("mysql://root@localhost/db")


def run_check(env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_or_hosts_stops_with_a_clear_message():
    result = run_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "生产模式（DEBUG=0）必须设置环境变量：SECRET_KEY、ALLOWED_HOSTS" in result.stderr


def test_production_with_its_settings_starts():
    result = run_check(
        {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "gongkai.example.gov.cn"}
    )
    assert result.returncode == 0, result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
