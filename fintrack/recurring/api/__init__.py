"""The HTTP layer of recurring rules."""
