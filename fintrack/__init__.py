"""fintrack: a personal finance tracker API."""
