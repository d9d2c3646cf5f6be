"""Per-user quotas of rare, heavy operations (imports, exports): exact sliding windows."""
