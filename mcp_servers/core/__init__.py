"""What every server and the orchestrator share: settings, vault, action requests, ledger, policy,
audit log, resilience and the server base. Import the submodules directly; this package imports nothing
so that a server's start-up pays only for what it uses."""
