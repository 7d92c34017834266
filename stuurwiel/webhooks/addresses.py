"""Which receivers a webhook may be sent to: public addresses only.

An endpoint's URL is typed by an admin, but the request goes out from our
server, inside its network: without a check, ``http://127.0.0.1:5432/`` or
``http://169.254.169.254/`` (a cloud's metadata service) would let a webhook
reach what only the server can reach (server-side request forgery). So an
address whose host is — or resolves to — a loopback, private, link-local,
shared, reserved, multicast or otherwise non-global address is refused, unless
``STUURWIEL_WEBHOOK_ALLOW_HOSTS`` allows it: a comma-separated list of host
names (``hooks.intern``), addresses (``10.1.2.3``) or networks (``10.1.0.0/16``).

It is checked when an endpoint is saved and again at every attempt (DNS can
change between the two); :func:`resolve_public` gives the address that was
checked, and the transport connects to exactly that address, so a second DNS
answer cannot slip in between the check and the connection.

Limits: a host name that does not resolve when it is saved is accepted (it
reaches nothing; each attempt checks again).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Exception):
    """The URL's host is (or resolves to) an address webhooks may not reach."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Target:
    """Where one attempt connects: the URL's parts and the checked address."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed() -> tuple[set[str], list[Network]]:
    names: set[str] = set()
    networks: list[Network] = []
    for entry in settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            names.add(entry.strip().lower().rstrip("."))
    return names, networks


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast


def split(url: str) -> tuple[str, str, int, str]:
    """The scheme, host, port and path (with query) of an http(s) URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("Give an http:// or https:// address."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise AddressRefused(_("The address has an invalid port.")) from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname.lower().rstrip("."), port, path


def _addresses(host: str, port: int) -> list[Address]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def resolve_public(url: str) -> Target:
    """Resolve the URL's host and check every address it has; the first one to
    connect to. :class:`AddressRefused` if any is not public (and not allowed),
    ``OSError`` if the name does not resolve."""
    scheme, host, port, path = split(url)
    names, networks = _allowed()
    addresses = _addresses(host, port)
    if not addresses:
        raise OSError(f"{host} has no address")
    if host not in names:
        for address in addresses:
            if not _public(address) and not any(address in network for network in networks):
                raise AddressRefused(
                    _(
                        "“{host}” is (or resolves to) {address}, an address that is not "
                        "public; webhooks are only sent to public addresses unless "
                        "STUURWIEL_WEBHOOK_ALLOW_HOSTS allows it."
                    ).format(host=host, address=address)
                )
    return Target(scheme, host, port, path, str(addresses[0]))


def check_url(url: str) -> None:
    """For saving an endpoint: :class:`AddressRefused` if the URL reaches a
    non-public address; a name that does not resolve (yet) passes."""
    try:
        resolve_public(url)
    except OSError:
        return
