import os

import pytest


def need(available: bool, reason: str) -> None:
    """Skip a test whose tool this machine lacks, with the reason shown, unless
    NEWSROOM_REQUIRE_TOOLS is set (as in CI): then a missing tool is a failure."""
    if available:
        return
    if os.environ.get("NEWSROOM_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_TOOLS=1)")
    pytest.skip(reason)
