"""How an API token is stored: its sha256 hex digest (the key itself never is)."""

from __future__ import annotations

import hashlib


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
