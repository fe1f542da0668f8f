"""Status machines as data: keyed by action, each with its sources and target."""

import pytest

from shared.errors import DomainError
from shared.transitions import Transition, get_transition, transition_table

TABLE = transition_table(
    Transition("pay", sources=("pending",), target="paid", label="Mark paid"),
    Transition("cancel", sources=("pending", "paid"), target="cancelled", label="Cancel"),
)


def test_the_table_is_keyed_by_action():
    assert list(TABLE) == ["pay", "cancel"]
    assert TABLE["cancel"].allowed_from("paid")
    assert not TABLE["pay"].allowed_from("paid")


def test_an_action_declared_twice_is_refused():
    with pytest.raises(ValueError, match="pay"):
        transition_table(TABLE["pay"], TABLE["pay"])


def test_an_unknown_action_is_invalid_input():
    with pytest.raises(DomainError) as caught:
        get_transition(TABLE, "teleport")
    assert (caught.value.status_code, caught.value.field) == (400, "action")
    assert get_transition(TABLE, "pay") is TABLE["pay"]
