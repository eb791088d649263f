#!/usr/bin/env python
"""Production smoke test: gunicorn with DEBUG=0 on a free port, as in README “生产部署”.

    DATABASE_URL=postgres://…/scratch .venv/bin/python scripts/smoke_gunicorn.py

Migrates the database named by DATABASE_URL (a scratch database: demo data is loaded into
it), starts gunicorn (config/wsgi.py, gunicorn.conf.py) on a free port with production
settings, waits for the health URL, signs in as the demo 审核人, opens the annual report
and downloads its workbook, then stops gunicorn. Requests carry X-Forwarded-Proto: https as
the reverse proxy would. Exits non-zero, saying which step failed, on any problem.
"""

import http.client
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "shenhe", "gongkai-demo-2021"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, and the proxy's headers."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, content


def step(message):
    print(f"== {message}", flush=True)


def fail(message):
    print(f"失败：{message}", file=sys.stderr, flush=True)
    sys.exit(1)


def main():
    if not os.environ.get("DATABASE_URL"):
        fail("请用 DATABASE_URL 指定一个 PostgreSQL 临时数据库。")
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "TRUSTED_PROXIES": "127.0.0.1",
        }
        python = str(ROOT / ".venv/bin/python")
        step("migrate, seed_demo")
        for args in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [python, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        step(f"gunicorn on 127.0.0.1:{port} (DEBUG=0)")
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            browser = Browser(port)
            deadline = time.monotonic() + 60
            while True:
                try:
                    response, content = browser.request("GET", "/health/?format=json")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        fail("gunicorn 没有启动")
                    time.sleep(0.5)
            health = json.loads(content)
            step(f"health {response.status}: {health}")
            if response.status != 200 or set(health.values()) != {"OK"}:
                fail(f"健康检查未通过：{health}")

            step("sign in")
            response, content = browser.request("GET", "/admin/login/?next=/reports/")
            token = (
                re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
            )
            origin = f"https://127.0.0.1:{port}"
            response, _ = browser.request(
                "POST",
                "/admin/login/?next=/reports/",
                body=urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "username": USERNAME,
                        "password": PASSWORD,
                        "next": "/reports/",
                    }
                ),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"{origin}/admin/login/",
                    "Origin": origin,
                },
            )
            if response.status != 302:
                fail(f"登录失败（HTTP {response.status}）")

            step("open the annual report")
            response, content = browser.request("GET", "/reports/")
            links = re.findall(rb'href="(/reports/\d+/\d+/)"', content)
            if response.status != 200 or not links:
                fail(f"年度报告列表打不开（HTTP {response.status}）")
            report = links[0].decode()
            response, content = browser.request("GET", report)
            if response.status != 200 or "政府信息公开工作年度报告".encode() not in content:
                fail(f"年度报告 {report} 打不开（HTTP {response.status}）")
            static = re.search(rb'href="(/static/css/gongkai\.[0-9a-f]{12}\.css)"', content)
            if not static:
                fail("页面没有引用带哈希的静态文件（collectstatic 未运行？）")
            response, _ = browser.request("GET", static.group(1).decode())
            if response.status != 200:
                fail(f"静态文件 {static.group(1).decode()} 取不到（HTTP {response.status}）")

            step("download the workbook")
            workbook = re.search(
                rb'href="(/reports/\d+/\d+/(?:workbook\.xlsx|signed/[^"]+))"', content
            )
            if not workbook:
                fail("报告页面上没有工作簿下载链接")
            response, content = browser.request("GET", workbook.group(1).decode())
            if response.status != 200 or not content.startswith(b"PK"):
                fail(f"工作簿下载失败（HTTP {response.status}）")
            from openpyxl import load_workbook

            sheets = load_workbook(io.BytesIO(content), read_only=True).sheetnames
            step(f"workbook {workbook.group(1).decode()}: {len(content)} bytes, sheets {sheets}")
        finally:
            server.terminate()
            server.wait(30)
    print("生产模式冒烟测试通过。")


if __name__ == "__main__":
    main()
