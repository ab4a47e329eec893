"""The orchestrator: watcher, executor, scheduler, supervisor, dashboard and the `ai-employee` CLI."""
