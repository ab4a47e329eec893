"""One module per `ai-employee` subcommand, each with `register(subparsers)`; imports stay light
(heavy work is imported inside the handler) so `ai-employee --help` is instant."""
