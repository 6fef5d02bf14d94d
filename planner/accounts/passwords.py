"""Password hashing with argon2id (argon2-cffi), cost from the settings."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=current_app.config["PASSWORD_HASH_MEMORY_KIB"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# A hash to verify against when the account does not exist, so that a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH_CACHE: dict[tuple[int, int], str] = {}


def verify_dummy(password: str) -> None:
    key = (current_app.config["PASSWORD_HASH_TIME_COST"], current_app.config["PASSWORD_HASH_MEMORY_KIB"])
    if key not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[key] = hash_password("not-a-real-password")
    verify_password(_DUMMY_HASH_CACHE[key], password)
