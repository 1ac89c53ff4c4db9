"""The signed credential a paired kiosk browser keeps in its storage: ``K1.<kiosk id>.<version>.<signature>``.

The version is the kiosk's ``credential_version``: pairing again or revoking bumps it, so every older
credential stops working at once. The signature (HMAC-SHA256, 128 bits, base 32) uses a key derived from
the storage secret for this purpose only, so the secret itself is never used as is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

VERSION = "K1"
_ID = re.compile(r"^[a-z0-9-]{1,64}$")


@dataclass(frozen=True)
class KioskClaim:
    kiosk_id: str
    version: int


class KioskCredentials:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("storage_secret is empty: kiosk credentials cannot be signed")
        self._key = hashlib.sha256(f"moviemagic-kiosk:{secret}".encode()).digest()

    def issue(self, kiosk_id: str, version: int) -> str:
        if not _ID.match(kiosk_id):
            raise ValueError(f"kiosk id {kiosk_id!r} cannot be carried in a credential")
        body = f"{VERSION}.{kiosk_id}.{version}"
        return f"{body}.{self._sign(body)}"

    def read(self, credential: object) -> KioskClaim | None:
        """The claim of a well-formed, correctly signed credential; None for anything else."""
        if not isinstance(credential, str):
            return None
        parts = credential.split(".")
        if len(parts) != 4 or parts[0] != VERSION or not _ID.match(parts[1]) or not parts[2].isdigit():
            return None
        body = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign(body), parts[3]):
            return None
        return KioskClaim(parts[1], int(parts[2]))

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:16]
        return base64.b32encode(digest).decode().rstrip("=")
