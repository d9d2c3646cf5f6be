"""Imports of bank CSVs (previewed, committed, undone) and the streamed export of records."""
