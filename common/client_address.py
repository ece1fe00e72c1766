"""The visitor's address, for every rule that counts or locks by address: the API rate
limit, the public forms' limits and the admin's lock-out after failed sign-ins.

Behind `API_NUM_PROXIES` proxies that each append to X-Forwarded-For (the reverse proxy
of docker-compose.yml is one), the address is the one the outermost proxy saw; entries a
client wrote into the header itself come before it and are ignored. With no proxy
(the default), only the peer address counts, so the header cannot be forged.
"""

from django.conf import settings


def client_address(request) -> str:
    proxies = settings.API_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
