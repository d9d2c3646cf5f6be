"""Analytics: the period summary and the monthly trends, computed by the database."""
