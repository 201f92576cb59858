"""Ed25519 keys and signatures for decision records, through the ``cryptography`` package
(the optional extra ``attest-rules[sign]``): keys are PEM files (PKCS#8 private keys, SPKI
public keys), as ``openssl genpkey -algorithm ed25519`` writes them, or ``attest-rules keygen``."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from attest_rules.errors import AttestRulesError


class SigningError(AttestRulesError):
    """A key that cannot be read or used, or signing asked for without ``cryptography``."""


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise SigningError(
            "signing records needs the cryptography package: pip install 'attest-rules[sign]'"
        ) from None
    return ed25519


def key_id(raw_public: bytes) -> str:
    """How a public key is named in a record: ``ed25519:`` and 16 bytes of its sha256."""
    return "ed25519:" + hashlib.sha256(raw_public).hexdigest()[:32]


@dataclass(frozen=True)
class Signer:
    """A private key that signs records."""

    key: Any
    public_raw: bytes

    @classmethod
    def from_pem(cls, path: str | Path) -> Signer:
        _crypto()
        from cryptography.hazmat.primitives import serialization

        try:
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise SigningError(f"{path} is not an unencrypted PEM private key: {exc}") from None
        if not isinstance(key, _crypto().Ed25519PrivateKey):
            raise SigningError(f"{path} is not an Ed25519 private key")
        raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return cls(key, raw)

    def sign(self, data: bytes) -> dict[str, str]:
        """The signature fields of a record's integrity for ``data``, its canonical JSON."""
        return {
            "signature": base64.b64encode(self.key.sign(data)).decode(),
            "public_key": base64.b64encode(self.public_raw).decode(),
            "key_id": key_id(self.public_raw),
        }


def public_key_raw(path: str | Path) -> bytes:
    """The raw Ed25519 public key of a PEM public key file (or of a private key's)."""
    ed25519 = _crypto()
    from cryptography.hazmat.primitives import serialization

    data = Path(path).read_bytes()
    try:
        key: Any = serialization.load_pem_public_key(data)
    except ValueError:
        try:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError) as exc:
            raise SigningError(f"{path} is not a PEM Ed25519 key: {exc}") from None
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise SigningError(f"{path} is not an Ed25519 key")
    raw: bytes = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def signature_holds(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is the Ed25519 signature of ``data`` by ``public_raw``."""
    ed25519 = _crypto()
    from cryptography.exceptions import InvalidSignature

    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def new_key_pem() -> tuple[bytes, bytes]:
    """A new Ed25519 key: (private PEM, PKCS#8 unencrypted; public PEM, SPKI)."""
    ed25519 = _crypto()
    from cryptography.hazmat.primitives import serialization

    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public
