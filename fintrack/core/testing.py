"""Helpers that only the test settings use."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost: the same algorithm as production, without the wait."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
