#!/usr/bin/env bash
# Install gongkai and run the whole test suite. Uses SQLite unless DATABASE_URL is set.
# Two workers (pytest-xdist), each test module kept whole on one worker (its world is built
# once); GONGKAI_TEST_WORKERS=0 runs in one process. The browser journeys need Debian's
# Chromium, CJK fonts and poppler-utils (.ci/run installs them) and fail loudly without.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null 2>&1; then
  echo "注意：浏览器端到端测试需要 /usr/bin/chromium、fonts-noto-cjk 和 poppler-utils：" \
    "apt-get install chromium fonts-noto-cjk poppler-utils（.ci/run 会自动安装）。" >&2
fi
workers="${GONGKAI_TEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  exec .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python -m pytest -n "$workers" --dist loadfile "$@"
