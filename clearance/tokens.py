"""The link's token: the link id signed with Django's signing (HMAC over SECRET_KEY, with a salt of its own and a
timestamp). No secret of our own is made: a token can be forged only with SECRET_KEY."""

from __future__ import annotations

import uuid

from django.core import signing

SALT = "tawasul.clearance.link"


def token_for(link_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=SALT).sign(link_id.hex)


def link_id_from(token: str) -> uuid.UUID | None:
    """The link id a genuine token carries, or None for anything tampered with or malformed. Expiry, use and
    revocation are the link row's to say (`ClearanceLink.state`)."""
    try:
        return uuid.UUID(hex=signing.TimestampSigner(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
