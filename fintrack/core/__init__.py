"""Cross-cutting pieces every app uses: errors, parsing, throttles, schema, health."""
