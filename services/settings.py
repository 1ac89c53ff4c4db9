"""Every knob of the app in one place (pydantic-settings, env prefix ``MOVIEMAGIC_``, ``.env`` supported)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting has a bad value; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOVIEMAGIC_", env_file=".env", extra="ignore")

    # Where the data lives.
    backend: Literal["embedded", "aws"] = "embedded"
    region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    endpoint_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    table_prefix: str = Field(default="moviemagic-", pattern=r"^[A-Za-z0-9_.-]{0,40}$")
    topic_name: str = Field(default="moviemagic-bookings", pattern=r"^[A-Za-z0-9_-]{1,256}$")
    topic_arn: str = Field(default="", pattern=r"^(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+)?$")
    data_dir: Path = Path(".moviemagic")
    seed_demo: bool | None = None  # None: seed in embedded mode only

    # The web server.
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str = ""  # base of links in emails; empty: http://host:port
    storage_secret: str = ""  # empty in embedded mode: generated and kept in data_dir (0600)
    ticket_secret: str = ""  # signs ticket QR tokens; empty in embedded mode: generated like storage_secret
    api_secret: str = ""  # signs API bearer tokens; empty in embedded mode: generated like storage_secret
    api_token_minutes: int = Field(default=60, ge=1, le=24 * 60)

    # Booking rules.
    hold_minutes: int = Field(default=8, ge=1, le=60)
    max_seats_per_booking: int = Field(default=10, ge=1, le=50)
    max_held_seats: int = Field(default=20, ge=1, le=500)  # live held seats per account across all shows
    sales_cutoff_minutes: int = Field(default=10, ge=0, le=24 * 60)
    cancel_cutoff_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    refund_policy: Literal["keep_fee", "percent"] = "keep_fee"
    refund_percent: int = Field(default=100, ge=0, le=100)
    convenience_fee_minor: int = Field(default=3000, ge=0)  # per ticket
    tax_percent: float = Field(default=18.0, ge=0, le=100)
    currency: str = Field(default="INR", pattern=r"^[A-Z]{3}$")
    # Staff scheduling: a screen stays busy this long after a film's runtime (ads before, cleaning after).
    schedule_buffer_minutes: int = Field(default=20, ge=0, le=240)

    # Accounts.
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)  # tests lower it; production keeps 12+
    admin_email: str = "admin@moviemagic.local"  # created on first embedded start
    # Login throttling: per account and per client address, failures beyond the free ones make the next
    # attempt wait (1 s, 2 s, 4 s ... up to the cap): a progressive delay, never a lock anyone can trigger.
    max_failed_logins: int = Field(default=5, ge=1, le=100)  # free failures per account
    max_failed_logins_per_client: int = Field(default=20, ge=1, le=10_000)  # free failures per client address
    login_max_delay_seconds: int = Field(default=300, ge=1, le=24 * 3600)
    # Client addresses of reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated).
    trusted_proxies: str = ""
    reset_link_minutes: int = Field(default=30, ge=5, le=24 * 60)

    # Notifications.
    staff_email: str = ""
    notify_poll_seconds: float = Field(default=2.0, gt=0, le=300)
    mailbox: bool | None = None  # keep what SNS would email for the Mailbox page; None: embedded backend only
    # SES sender (docs/NOTIFICATIONS.md): a verified From address turns it on; the SQS queue subscribed to
    # the topic that it consumes. Off (empty): customers get SNS email subscriptions with filter policies.
    ses_sender: str = ""
    ses_queue_name: str = Field(default="moviemagic-ses", pattern=r"^[A-Za-z0-9_-]{1,80}$")

    # Live seat map across instances (off for a single process).
    live_poller: bool = False
    live_poll_seconds: float = Field(default=3.0, gt=0, le=60)

    # Request limits: JSON API bodies, other HTTP bodies and websocket messages (bytes).
    max_json_body_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_socket_message_bytes: int = Field(default=256 * 1024, ge=16 * 1024, le=16 * 1024 * 1024)

    # Lobby kiosks (issue 13).
    kiosk_idle_seconds: int = Field(default=45, ge=3, le=600)  # no touch this long: "Still there?"
    kiosk_warning_seconds: int = Field(default=15, ge=2, le=120)  # the "Still there?" countdown
    kiosk_terminal_seconds: int = Field(default=60, ge=3, le=300)  # the card terminal waits this long for a card
    kiosk_pairing_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)  # a pairing link lives this long
    kiosk_pin: str = Field(default="", pattern=r"^(\d{4,8})?$")  # staff PIN of every kiosk; empty: one per kiosk
    kiosk_tomorrow_from_hour: int = Field(default=18, ge=0, le=24)  # local hour from which tomorrow's shows appear
    kiosk_health_seconds: float = Field(default=5.0, ge=1, le=300)  # how often a kiosk checks pairing and backend
    # How the kiosk machines print: "silent" when started by deploy/kiosk-launcher.sh (--kiosk-printing),
    # "dialog" when a plain browser shows the print dialog. The staff panel says which; the browser can't tell.
    kiosk_printing: Literal["dialog", "silent"] = "dialog"

    # Embedded backend. Every acknowledged write is journaled (fsynced) at once; a snapshot compacts the
    # journal this often when something changed, or sooner when the journal passes snapshot_journal_mb.
    snapshot_seconds: float = Field(default=60.0, gt=0, le=3600)
    snapshot_journal_mb: int = Field(default=8, ge=1, le=4096)
    # `python main.py backend`: the shared embedded server several app processes point at with
    # MOVIEMAGIC_ENDPOINT_URL. Loopback by default: it has no authentication of its own.
    backend_host: str = "127.0.0.1"
    backend_port: int = Field(default=4510, ge=1, le=65535)

    @field_validator("storage_secret", "ticket_secret", "api_secret")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError("must be at least 16 characters (or empty to generate one in embedded mode)")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (piece.strip() for piece in value.split(","))):
            ipaddress.ip_network(part, strict=False)  # ValueError names the bad entry
        return value

    @field_validator("staff_email", "ses_sender")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("must be an email address")
        return value.strip().lower()

    @property
    def shared_embedded(self) -> bool:
        """An app on the embedded backend that uses a running `python main.py backend` instead of its own."""
        return self.backend == "embedded" and self.endpoint_url is not None

    @property
    def should_seed_demo(self) -> bool:
        return self.backend == "embedded" if self.seed_demo is None else self.seed_demo

    @property
    def ses_enabled(self) -> bool:
        return bool(self.ses_sender)

    @property
    def mailbox_enabled(self) -> bool:
        return self.backend == "embedded" if self.mailbox is None else self.mailbox

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def https(self) -> bool:
        """Served to browsers over HTTPS (behind the deploy's proxy): HSTS and Secure cookies."""
        return self.base_url.startswith("https://")

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        parts = (piece.strip() for piece in self.trusted_proxies.split(","))
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts if part)

    def table_name(self, logical: str) -> str:
        return f"{self.table_prefix}{logical}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and ``.env``; a bad value raises one clear line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        env_name = f"MOVIEMAGIC_{field.upper()}"
        raise SettingsError(f"Invalid setting {env_name}: {first['msg']} (got {first.get('input')!r})") from exc
    if settings.backend == "aws":
        missing = [name for name in ("storage_secret", "ticket_secret", "api_secret") if not getattr(settings, name)]
        if missing:
            raise SettingsError(
                f"Invalid setting MOVIEMAGIC_{missing[0].upper()}: required when MOVIEMAGIC_BACKEND=aws"
            )
    return settings
