#!/usr/bin/env bash
# Create .venv (Python 3.11) and install gongkai with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python_bin="${PYTHON:-}"
  if [ -z "$python_bin" ]; then
    if command -v python3.11 >/dev/null 2>&1; then python_bin=python3.11; else python_bin=python3; fi
  fi
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,dev]"
# Static files for production (DEBUG=0): collected here, into STATIC_ROOT (default
# staticfiles/), with hashed names and a manifest; never by hand.
DEBUG=0 SECRET_KEY="${SECRET_KEY:-collectstatic-only}" ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost}" \
  .venv/bin/python manage.py collectstatic --noinput --verbosity 0
