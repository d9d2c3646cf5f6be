"""Settings modules: base (shared), local (make run), production (make serve), test (pytest)."""
