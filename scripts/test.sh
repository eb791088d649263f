#!/usr/bin/env bash
# Install gongkai and run the whole test suite. Uses SQLite unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
