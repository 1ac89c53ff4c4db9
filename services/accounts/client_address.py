"""Which client a request comes from, for login throttling.

Behind the deploy's reverse proxy every request's peer is the proxy, and the browser's address is the
last entry the proxy appended to ``X-Forwarded-For``. That header is believed only when the peer is a
configured trusted proxy (``MOVIEMAGIC_TRUSTED_PROXIES``); otherwise anyone could claim any address and
slip past the per-client throttle. Entries added by trusted proxies are skipped from the right; the first
untrusted one is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's IP address as text (``unknown`` when there is no usable peer)."""
    current = _ip(peer)
    if current is None:
        return UNKNOWN
    if not forwarded_for or not _is_trusted(current, trusted):
        return str(current)
    for entry in reversed(forwarded_for.split(",")):
        hop = _ip(entry)
        if hop is None:  # garbage in the header: stop at the last address we could trust
            return str(current)
        current = hop
        if not _is_trusted(hop, trusted):
            return str(hop)
    return str(current)  # every hop is a trusted proxy: the leftmost is the best we know


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
