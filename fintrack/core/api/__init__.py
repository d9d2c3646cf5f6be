"""The HTTP layer shared by every app: problem details, parsers, pagination, schema, throttles."""
