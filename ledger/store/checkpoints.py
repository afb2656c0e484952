"""Signed checkpoints of the hash chain: the crypto adapter (Ed25519, ``cryptography``).

A checkpoint says "at this moment the chain's head was at POSITION with HASH", signed
with a key held apart from the ledger. ``verify`` checks every stored checkpoint's
signature and that the chain still has that hash at that position, so a rewrite of
the chain after a checkpoint (every hash recomputed) is caught. See ADR 0023 for what
a checkpoint proves and what it does not.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.errors import BadData


class CheckpointKeyError(BadData):
    """The signing key's file cannot be read or is not an Ed25519 key."""


def message(position: int, head_hash: bytes, made_at: str) -> bytes:
    """What a checkpoint's signature covers."""
    return (
        f"complaints-ledger checkpoint v1\nposition {position}\n"
        f"head {head_hash.hex()}\nmade {made_at}\n"
    ).encode()


def fingerprint(public_key: bytes) -> str:
    """A short name for a public key, to compare by eye."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


@dataclass(frozen=True)
class Signer:
    """The checkpoint signing key, loaded from (or created in) its file."""

    path: Path
    key: Ed25519PrivateKey
    created: bool

    @property
    def public_key(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, position: int, head_hash: bytes, made_at: datetime) -> tuple[str, bytes]:
        made = made_at.isoformat()
        return made, self.key.sign(message(position, head_hash, made))

    @classmethod
    def load_or_create(cls, path: Path) -> Signer:
        if not path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    out.write(pem)
                public_path(path).write_bytes(
                    key.public_key().public_bytes(
                        serialization.Encoding.PEM,
                        serialization.PublicFormat.SubjectPublicKeyInfo,
                    )
                )
            except OSError as error:
                raise CheckpointKeyError(
                    f"cannot create the checkpoint key {path}: {error.strerror}"
                ) from None
            return cls(path, key, created=True)
        try:
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except OSError as error:
            raise CheckpointKeyError(
                f"cannot read the checkpoint key {path}: {error.strerror}"
            ) from None
        except (ValueError, TypeError):
            raise CheckpointKeyError(f"{path} is not an unencrypted PEM private key") from None
        if not isinstance(loaded, Ed25519PrivateKey):
            raise CheckpointKeyError(f"{path} is not an Ed25519 key")
        return cls(path, loaded, created=False)


def trusted_public_key(path: Path) -> bytes:
    """The public key in ``path``: the signing key's file or its ``.pub`` beside it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointKeyError(
            f"cannot read the checkpoint key {path}: {error.strerror}"
        ) from None
    public: object
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(data, password=None)
            public = private.public_key()
        else:
            public = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise CheckpointKeyError(f"{path} is not a PEM Ed25519 key") from None
    if not isinstance(public, Ed25519PublicKey):
        raise CheckpointKeyError(f"{path} is not an Ed25519 key")
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signature_holds(
    public_key: bytes, signature: bytes, position: int, head_hash: bytes, made_at: str
) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, message(position, head_hash, made_at)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
