"""`python -m benchmarks [name ...]`: run the benchmarks (all by default) and print their tables."""

from __future__ import annotations

import importlib
import sys
import time

# Each module defines `main() -> dict` (its figures; it prints its own table and writes its JSON).
BENCHMARKS = {
    "server_start": "benchmarks.server_start",
    "tool_call": "benchmarks.tool_call",
    "approval_latency": "benchmarks.approval_latency",
    "audit": "benchmarks.audit",
    "idle": "benchmarks.idle",
    "claude_first_request": "benchmarks.claude_first_request",
    "structure": "benchmarks.structure",
}


def run(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names or list(BENCHMARKS):
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(BENCHMARKS[name]).main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed.append(name)
            print(f"{name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"({name}: {time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
