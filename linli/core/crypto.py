"""Encryption at rest for personal identifiers, so a database dump does not reveal them in clear.

The key comes from LINLI_FIELD_KEY or is generated into var/field.key on first run. A keyed hash (HMAC) of the
value is stored beside the ciphertext, so duplicates can be found and lookups made without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(material: str) -> tuple[Fernet, bytes]:
    digest = hashlib.sha256(("linli-field-key:" + material).encode()).digest()
    mac_key = hashlib.sha256(("linli-lookup-key:" + material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest)), mac_key


def encrypt(value: str) -> str:
    fernet, _ = _keys(settings.LINLI_FIELD_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _ = _keys(settings.LINLI_FIELD_KEY)
    return fernet.decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    _, mac_key = _keys(settings.LINLI_FIELD_KEY)
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()
