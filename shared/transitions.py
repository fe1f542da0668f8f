"""Status machines declared as data: which action moves a record from which statuses to which.

    TRANSITIONS = transition_table(
        Transition("pay", sources=("pending",), target="paid", label="Mark paid"),
        Transition("cancel", sources=("pending", "paid"), target="cancelled", label="Cancel"),
    )

Keyed by action, because that is what a button, an API action and a service receive. A
service applies one with a conditional UPDATE (``filter(pk=..., status__in=t.sources)``) and
raises ``Conflict`` when no row matched, so two concurrent transitions can never both win.
"""

from dataclasses import dataclass

from shared.errors import DomainError


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: str

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


def transition_table(*transitions: Transition) -> dict[str, Transition]:
    """The machine as ``{action: Transition}``; an action declared twice is a mistake."""
    table: dict[str, Transition] = {}
    for transition in transitions:
        if transition.action in table:
            raise ValueError(f"Transition {transition.action!r} is declared twice.")
        table[transition.action] = transition
    return table


def get_transition(table: dict[str, Transition], action: str) -> Transition:
    """The transition named ``action``; an unknown action is invalid input (400)."""
    try:
        return table[action]
    except KeyError:
        message = f"Unknown action {action!r}."
        raise DomainError(message, field="action", code="unknown_action") from None
