"""What the response being made shows, noted as it is made: the surrogate keys
the edge keeps it under (``articles/freshness/edge.py`` sends them and purges by
them). A model's address notes its row (``articles.models.base.linked``) without
the models knowing of any cache: this layer knows nothing of stories."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_shown: ContextVar[set[str] | None] = ContextVar("shown", default=None)


def show(*keys: str) -> None:
    """Note that the response being made shows what ``keys`` name."""
    shown = _shown.get()
    if shown is not None:
        shown.update(keys)


def is_recording() -> bool:
    """A reader response is being made (not a signed-in user's, nor a preview)."""
    return _shown.get() is not None


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """The keys ``show`` is given while the block runs."""
    shown: set[str] = set()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)
