"""The settings the suite runs under: the project's own, read from the environment
as always, with a password hasher made for tests (PBKDF2's deliberate slowness
costs a quarter of a second per user and proves nothing a test asks)."""

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
