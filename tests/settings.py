"""The settings the suite runs under: the project's own, read from the environment
as always, with a password hasher made for tests first (PBKDF2's deliberate
slowness costs a quarter of a second per user and proves nothing a test asks).
The project's own hashers stay after it, so that a process that inherits these
settings still reads the passwords stored by the project's."""

from django.conf import global_settings

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *global_settings.PASSWORD_HASHERS,
]
