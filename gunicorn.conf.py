"""gunicorn settings for production: `.venv/bin/gunicorn config.wsgi -c gunicorn.conf.py`.

Everything can be changed by environment variables (README “生产部署”).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Imports and big exports run in the task worker, so a request never needs long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Only the reverse proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No runtime control socket (one per user by default, shared by every gunicorn started by
# that user); restart with the service manager instead.
control_socket_disable = True
