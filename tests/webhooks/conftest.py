from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webhooks.receiver import Receiver, receiver_running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiver_running() as receiver:
        yield receiver


def endpoint_for(receiver: Receiver, institution, **fields):  # type: ignore[no-untyped-def]
    """An endpoint of `institution` pointing at the receiver, which learns its secret."""
    from webhooks.services import endpoint_create

    endpoint = endpoint_create(institution=institution, url=receiver.url, **fields)
    receiver.secret = endpoint.secret
    return endpoint
