"""The HTTP side of quotas: the throttle that checks a quota before the work, and its headers."""
