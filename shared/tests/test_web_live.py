"""shared.web.live: events reach a channel-layer group after the commit, never on rollback."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.db import transaction

from shared.web.live import group_send_now, group_send_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def member_of(group: str) -> str:
    """A channel that joined ``group``, as a consumer's socket would."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def received(channel: str) -> list[dict]:
    layer = get_channel_layer()

    async def drain() -> list[dict]:
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), timeout=0.1))
            except TimeoutError:
                return messages

    return async_to_sync(drain)()


def test_an_event_is_sent_when_the_transaction_commits():
    channel = member_of("room")
    with transaction.atomic():
        group_send_on_commit("room", {"type": "live.event", "n": 1})
        assert received(channel) == []  # not yet: the rows are not there for anybody
    assert received(channel) == [{"type": "live.event", "n": 1}]


def test_nothing_is_sent_when_the_transaction_rolls_back():
    channel = member_of("room")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        group_send_on_commit("room", {"type": "live.event"})
        1 / 0  # noqa: B018 (the error that rolls the transaction back)
    assert received(channel) == []


def test_only_the_group_named_hears_it():
    mine, other = member_of("room-1"), member_of("room-2")
    group_send_now("room-1", {"type": "live.event"})
    assert received(mine) == [{"type": "live.event"}]
    assert received(other) == []


def test_it_sends_from_a_thread_whose_event_loop_is_running():
    channel = member_of("room")

    async def inside_a_running_loop() -> None:
        # A synchronous call made while this thread's loop runs (Playwright in a test body).
        group_send_now("room", {"type": "live.event", "from": "loop"})

    asyncio.run(inside_a_running_loop())
    assert received(channel) == [{"type": "live.event", "from": "loop"}]


def test_an_error_in_the_sending_thread_reaches_the_caller():
    async def inside_a_running_loop() -> None:
        group_send_now("not a valid group name!", {"type": "live.event"})

    with pytest.raises(TypeError, match="Group name"):
        asyncio.run(inside_a_running_loop())


def test_without_a_channel_layer_nothing_happens(settings):
    settings.CHANNEL_LAYERS = {}
    channel_layers.backends.clear()
    group_send_now("room", {"type": "live.event"})  # no layer configured: no error either
    assert get_channel_layer() is None
