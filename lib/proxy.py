"""The client's address behind a reverse proxy.

gunicorn gives Django the proxy's address as REMOTE_ADDR. When the request comes from one
of settings.TRUSTED_PROXIES, the client is the right-most address in X-Forwarded-For that
is not itself a trusted proxy; REMOTE_ADDR is set to it, so that the login lockout and the
audit log see the real client. Requests from anywhere else keep their REMOTE_ADDR: a
client cannot choose its own address by sending the header.
"""

from django.conf import settings


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trusted = set(settings.TRUSTED_PROXIES)
        if trusted and request.META.get("REMOTE_ADDR") in trusted:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            while hops and hops[-1] in trusted:
                hops.pop()
            if hops:
                request.META["REMOTE_ADDR"] = hops[-1]
        return self.get_response(request)
