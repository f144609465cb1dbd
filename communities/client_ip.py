"""The address of the person at the keyboard, also behind a reverse proxy.

Behind nginx (or any proxy) every request arrives from the proxy's address, so the login lockout (django-axes,
keyed on username and address) would let anyone lock a username for everyone. Set ``TRUSTED_PROXIES`` (the
proxies' addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``) and the client's address is read from the
``X-Forwarded-For`` header the proxy sets (``CLIENT_IP_HEADER`` names another): the right-most address in it
that is not one of the trusted proxies. A request that does not come from a trusted proxy is taken at its word:
its own address, whatever headers it sends, so a client cannot choose its address by sending the header.
"""
import ipaddress

from django.conf import settings


def _networks():
    return [ipaddress.ip_network(value.strip(), strict=False)
            for value in getattr(settings, "TRUSTED_PROXIES", []) if value.strip()]


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    peer = _address(remote)
    if not networks or peer is None or not _trusted(peer, networks):
        return remote
    header = request.META.get(getattr(settings, "CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR"), "")
    for value in reversed(header.split(",")):
        address = _address(value)
        if address is None:
            break  # a malformed hop: trust nothing further left
        if not _trusted(address, networks):
            return str(address)
    return remote
