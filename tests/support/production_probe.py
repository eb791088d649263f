"""Run by test_deploy_check in a subprocess with production settings (DEBUG=0).

Creates a superuser and one application in the (temporary) database, then fetches admin
pages over HTTPS through the full middleware stack and prints, as JSON, each page's
status, security headers, cookies and any inline code the CSP would block.
"""

import datetime
import json

from django.test import Client

from accounts.models import User
from applications.models import Application, Organization
from tests.support.inline_code import inline_code

HOST = "gongkai.example.gov.cn"

office = Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")
application = Application.objects.create(
    organization=office,
    received_on=datetime.date(2021, 3, 1),
    applicant_type="natural_person",
    applicant_name="张三",
    content="申请公开某文件",
)
root = User.objects.create_superuser("root", password="Production-probe-2021")

anonymous = Client(HTTP_HOST=HOST)
signed_in = Client(HTTP_HOST=HOST)
signed_in.force_login(root)
pages = [
    (anonymous, "/admin/login/"),
    (signed_in, "/admin/"),
    (signed_in, "/"),
    (signed_in, "/admin/applications/application/"),
    (signed_in, "/admin/applications/application/add/"),
    (signed_in, f"/admin/applications/application/{application.pk}/change/"),
    (signed_in, f"/admin/applications/application/{application.pk}/history/"),
    (signed_in, "/admin/accounts/user/"),
]
results = []
for client, url in pages:
    response = client.get(url, secure=True)
    results.append(
        {
            "url": url,
            "status": response.status_code,
            "headers": {name.lower(): value for name, value in response.headers.items()},
            "cookies": {
                name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
                for name, morsel in response.cookies.items()
            },
            "inline": inline_code(response.content.decode()),
        }
    )
plain_http = anonymous.get("/admin/login/")
results.append(
    {
        "url": "http:/admin/login/",
        "status": plain_http.status_code,
        "headers": {"location": plain_http.get("Location", "")},
    }
)
print("PROBE" + json.dumps(results, ensure_ascii=False))
