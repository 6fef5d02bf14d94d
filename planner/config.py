"""Settings from the environment, with development defaults that work with no variables set."""

import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-change-me"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int, low: int = 0) -> int:
    """A whole number of at least ``low`` (every count, size and delay here): a typo stops the start with an
    error naming the variable, instead of a bare ValueError or a negative target the tracker counts with."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < low:
        raise RuntimeError(f"{name} must be a whole number of at least {low}, not {value!r}.")
    return number


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (os.environ.get(name) or "").strip().lower() or default
    if value not in choices:
        raise RuntimeError(f"{name} must be one of {', '.join(choices)}, not {os.environ.get(name)!r}.")
    return value


def from_environment(instance_path: str) -> dict:
    """Read every setting the planner knows from environment variables."""
    sqlite_path = Path(instance_path) / "planner.sqlite3"
    behind_https = _bool("PLANNER_HTTPS")
    return {
        "ENV_NAME": os.environ.get("PLANNER_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{sqlite_path}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: readable only by the server, not sent on cross-site POSTs, HTTPS-only when deployed so.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": behind_https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": behind_https,
        "PREFERRED_URL_SCHEME": "https" if behind_https else "http",
        "MAX_CONTENT_LENGTH": _int("PLANNER_MAX_UPLOAD_BYTES", 8 * 1024 * 1024, low=1),
        # reverse proxies in front whose X-Forwarded-For / -Proto to trust (app_setup installs ProxyFix)
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "WTF_CSRF_TIME_LIMIT": None,
        # Login throttling: failures counted in the database, so the limit holds across workers.
        "LOGIN_FAILURE_WINDOW_SECONDS": _int("PLANNER_LOGIN_WINDOW_SECONDS", 15 * 60, low=1),
        # per account from one client address (a guesser's address is stopped, the owner elsewhere is not);
        # per account from all addresses together (guesses spread over many addresses); per address
        "LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS": _int("PLANNER_LOGIN_MAX_PER_ACCOUNT_ADDRESS", 5, low=1),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": _int("PLANNER_LOGIN_MAX_PER_ACCOUNT", 20, low=1),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int("PLANNER_LOGIN_MAX_PER_ADDRESS", 30, low=1),
        # Argon2id cost; tests lower it to keep the suite fast.
        "PASSWORD_HASH_TIME_COST": _int("PLANNER_ARGON2_TIME_COST", 3, low=1),
        "PASSWORD_HASH_MEMORY_KIB": _int("PLANNER_ARGON2_MEMORY_KIB", 64 * 1024),
        # The annual exchange target of the states–prefectures initiative.
        "EXCHANGE_TARGET_STATES": _int("PLANNER_TARGET_STATES", 3),
        "EXCHANGE_TARGET_PREFECTURES": _int("PLANNER_TARGET_PREFECTURES", 3),
        "EXCHANGE_YEAR_BASIS": _choice("PLANNER_YEAR_BASIS", "calendar", ("calendar", "fiscal")),
        # Mail (Flask-Mail names). No MAIL_SERVER means: write .eml files to the instance mailbox folder.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25, low=1),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        # The envelope sender (where bounces go); the From header is ORGANIZER_EMAIL.
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "planner@planner.localhost"),
        "MAIL_TIMEOUT_SECONDS": _int("MAIL_TIMEOUT_SECONDS", 30, low=1),
        # The outbox worker: messages per claim (one SMTP connection each), how long a claim is held, tries
        # before a message is marked failed, and the retry delay (doubling from BACKOFF up to BACKOFF_MAX).
        "OUTBOX_BATCH_SIZE": _int("PLANNER_OUTBOX_BATCH_SIZE", 200, low=1),
        "OUTBOX_LEASE_SECONDS": _int("PLANNER_OUTBOX_LEASE_SECONDS", 600, low=1),
        "OUTBOX_MAX_ATTEMPTS": _int("PLANNER_OUTBOX_MAX_ATTEMPTS", 8, low=1),
        "OUTBOX_BACKOFF_SECONDS": _int("PLANNER_OUTBOX_BACKOFF_SECONDS", 60),
        "OUTBOX_BACKOFF_MAX_SECONDS": _int("PLANNER_OUTBOX_BACKOFF_MAX_SECONDS", 3600),
        "OUTBOX_POLL_SECONDS": _int("PLANNER_OUTBOX_POLL_SECONDS", 2, low=1),
        "ORGANIZER_EMAIL": os.environ.get("PLANNER_ORGANIZER_EMAIL", "delegations@planner.localhost"),
        "ORGANIZER_NAME": os.environ.get("PLANNER_ORGANIZER_NAME", "Delegation Planner"),
        "FOLLOWUP_SECOND_REQUEST_MONTHS": _int("PLANNER_FOLLOWUP_SECOND_REQUEST_MONTHS", 6),
        # how long a mailed link to set a forgotten password works (at most a day)
        "PASSWORD_RESET_MINUTES": _int("PLANNER_PASSWORD_RESET_MINUTES", 60, low=10),
        # how many links one client address may ask for in an hour, for any addresses (an office shares one)
        "PASSWORD_RESET_MAX_PER_ADDRESS": _int("PLANNER_PASSWORD_RESET_MAX_PER_ADDRESS", 20, low=1),
        # Absolute links in mails and feeds are built from this (not from a request: the CLI enqueues too).
        "PUBLIC_BASE_URL": os.environ.get("PLANNER_PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MAILBOX_DIR": os.environ.get("PLANNER_MAILBOX_DIR", str(Path(instance_path) / "mailbox")),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["en", "ja"],
        # WTForms' own messages ("This field is required.") in the page's language, from WTForms' catalogues.
        "WTF_I18N_ENABLED": True,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
    }


def check_production_safety(config: dict) -> None:
    """Refuse to run a production deployment with the development secret."""
    if config.get("ENV_NAME") == "production":
        secret = config.get("SECRET_KEY") or ""
        if secret == DEV_SECRET_KEY or len(secret) < 32:
            raise RuntimeError(
                "PLANNER_ENV=production needs SECRET_KEY set to a random value of at least 32 characters "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
