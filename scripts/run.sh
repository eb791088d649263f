#!/usr/bin/env bash
# Install, migrate, load demo data and start gongkai on http://127.0.0.1:8000/ (SQLite),
# with the background task worker beside the server; Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
PORT="${PORT:-8000}"
.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo
echo "打开浏览器访问 http://127.0.0.1:${PORT}/"
echo "演示账号见上方 seed_demo 的输出（例如 用户名 admin，密码 gongkai-demo-2021）。按 Ctrl+C 停止（后台处理进程一起停止）。"
echo
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
