"""The status workflow: where an idea may go from each status (docs/how-to-review.md)."""

from __future__ import annotations

from bubbleup.core.model import BubbleupError, Status

TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.PROPOSED: (Status.UNDER_REVIEW, Status.PLANNED, Status.DECLINED, Status.DUPLICATE),
    Status.UNDER_REVIEW: (Status.PROPOSED, Status.PLANNED, Status.DECLINED, Status.DUPLICATE),
    Status.PLANNED: (Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.DONE, Status.DECLINED),
    Status.IN_PROGRESS: (Status.PLANNED, Status.DONE, Status.DECLINED),
    Status.DONE: (Status.IN_PROGRESS,),
    Status.DECLINED: (Status.PROPOSED, Status.UNDER_REVIEW),
    Status.DUPLICATE: (Status.PROPOSED, Status.UNDER_REVIEW),
}
"""The workflow: from each status, where an idea may go next (docs/how-to-review.md)."""

ADOPTED = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)
"""The statuses that mean an idea was taken up: its adoption share and its authors' recognition."""


def check_transition(current: Status, wanted: Status) -> None:
    """Refuse a move the workflow does not allow, listing the ones it does."""
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        names = ", ".join(status.value for status in allowed)
        raise BubbleupError(
            f"an idea cannot go from {current.value} to {wanted.value}; from {current.value} it can go to: {names}"
        )
