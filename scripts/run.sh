#!/usr/bin/env bash
# Install, migrate, load demo data and start gongkai on http://127.0.0.1:8000/ (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
echo
echo "打开浏览器访问 http://127.0.0.1:8000/"
echo "演示账号见上方 seed_demo 的输出（例如 用户名 admin，密码 gongkai-demo-2021）。按 Ctrl+C 停止。"
echo
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
