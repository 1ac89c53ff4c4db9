"""Every knob of the app in one place (pydantic-settings, env prefix ``MOVIEMAGIC_``, ``.env`` supported)."""

from __future__ import annotations

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
    sales_cutoff_minutes: int = Field(default=10, ge=0, le=24 * 60)
    cancel_cutoff_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    refund_policy: Literal["keep_fee", "percent"] = "keep_fee"
    refund_percent: int = Field(default=100, ge=0, le=100)
    convenience_fee_minor: int = Field(default=3000, ge=0)  # per ticket
    tax_percent: float = Field(default=18.0, ge=0, le=100)
    currency: str = Field(default="INR", pattern=r"^[A-Z]{3}$")

    # Accounts.
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)  # tests lower it; production keeps 12+
    admin_email: str = "admin@moviemagic.local"  # created on first embedded start
    max_failed_logins: int = Field(default=5, ge=1, le=100)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)

    # Notifications.
    staff_email: str = ""
    notify_poll_seconds: float = Field(default=2.0, gt=0, le=300)
    mailbox: bool | None = None  # keep what SNS would email for the Mailbox page; None: embedded backend only

    # Live seat map across instances (off for a single process).
    live_poller: bool = False
    live_poll_seconds: float = Field(default=3.0, gt=0, le=60)

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

    @field_validator("staff_email")
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
    def mailbox_enabled(self) -> bool:
        return self.backend == "embedded" if self.mailbox is None else self.mailbox

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

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
