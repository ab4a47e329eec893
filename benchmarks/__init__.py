"""Performance figures (`make bench`): each benchmark compares against a reference run in the same
invocation, prints a table and writes JSON to benchmarks/results/. Nothing here is asserted in tests."""
