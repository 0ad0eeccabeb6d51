"""Encryption at rest and keyed hashing for sensitive fields (R-DP-3).

Values are encrypted with Fernet under FIELD_ENCRYPTION_KEY; exact-match search uses
an HMAC-SHA256 under FIELD_HASH_KEY, so the database never sees the clear value.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    return hmac.new(
        settings.FIELD_HASH_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()
