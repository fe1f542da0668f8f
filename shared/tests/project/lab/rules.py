"""An object permission for the shared tests: the owner of a counter, or staff, may reset it."""

import rules

from shared.accounts.rules import has_role


@rules.predicate
def owns_counter(user, counter) -> bool:
    return counter is not None and counter.name == f"owned-by-{user.pk}"


rules.add_perm("lab.reset_counter", owns_counter | has_role("staff"))
