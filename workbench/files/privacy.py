"""Identifiers in what leaves the workbench: masked with a key when the user asks.

A masked id is ``m-`` and 16 hex digits of HMAC-SHA256 over the id, keyed with
a secret: the same customer (or household) masks to the same value wherever
one key is used, so the sheets of one report, or reports made with one key,
still line up; without the key nobody can work back from a masked id, not
even by hashing every id the bank could have. The key is ``--mask-key`` (or
``$WORKBENCH_MASK_KEY``) when given, else a random key made once per run:
masked ids of two runs then do not match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

import pandas as pd

KEY_ENV = "WORKBENCH_MASK_KEY"
DIGITS = 16  # 64 bits: among ten million ids, a collision is about one in three hundred thousand


_given: str | None = None


@lru_cache(maxsize=1)
def _run_key() -> bytes:
    return secrets.token_bytes(32)


def use_key(text: str | None) -> None:
    """The key the user gave for this run (None: the environment's, else a random one)."""
    global _given
    _given = text or None


def key() -> bytes:
    """The masking key: the one given, else ``$WORKBENCH_MASK_KEY``, else this run's own."""
    text = _given or os.environ.get(KEY_ENV)
    return text.encode("utf-8") if text else _run_key()


def mask(identifier: str, secret: bytes | None = None) -> str:
    """One id (a customer's or a household's), masked; the empty id stays empty."""
    if not identifier:
        return ""
    digest = hmac.new(secret or key(), identifier.encode("utf-8"), hashlib.sha256).hexdigest()
    return "m-" + digest[:DIGITS]


def mask_ids(ids: pd.Series, secret: bytes | None = None) -> pd.Series:
    """Every id of a column, masked (each distinct id hashed once)."""
    text = ids.astype(str)
    codes, uniques = pd.factorize(text)
    secret = secret or key()
    masked = pd.Index([mask(u, secret) for u in uniques], dtype=object)
    return pd.Series(masked.take(codes), index=ids.index, dtype=object)
