"""A tiny test-only service built exactly like the real ones, proving the core's write path."""
