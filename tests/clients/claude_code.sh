#!/usr/bin/env bash
# `make test-claude`: the real Claude Code (npm @anthropic-ai/claude-code, pinned in tests/clients/claude_code,
# ~245 MB with its platform binary) 1) health-checks every server of this project's .mcp.json, offline,
# with no login, in a throwaway HOME that trusts this folder (Claude Code leaves project servers pending
# until the folder is trusted); 2) runs the end-to-end suite tests/claude/e2e (pytest -m claude_cli):
# the real CLI against a scripted fake of the Anthropic Messages API.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
NODE_DIR="$ROOT/tests/clients/claude_code"
CLAUDE="$NODE_DIR/node_modules/.bin/claude"
export NPM_CONFIG_UPDATE_NOTIFIER=false
command -v npm >/dev/null || { echo "test-claude: npm not found; install Node.js 20+" >&2; exit 1; }

# Install exactly the locked CLI once (node_modules is never committed); reinstall when the lock changes.
STAMP="$NODE_DIR/node_modules/.lock-stamp"
if [ ! -f "$STAMP" ] || ! cmp -s "$NODE_DIR/package-lock.json" "$STAMP"; then
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$NODE_DIR/package-lock.json" "$STAMP"
fi

WORK="$(mktemp -d)"
LOCAL="$ROOT/.claude/settings.local.json"   # Claude Code may write approvals there: leave no trace
[ -e "$LOCAL" ] && had_local=1 || had_local=0
trap 'rm -rf "$WORK"; [ "$had_local" = 1 ] || rm -f "$LOCAL"' EXIT
(
  export HOME="$WORK/home" DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1
  mkdir -p "$HOME"
  # A git worktree's project is its main repository: trust both paths.
  MAIN="$(cd "$ROOT" && git rev-parse --path-format=absolute --git-common-dir 2>/dev/null | sed 's#/\.git$##' || echo "$ROOT")"
  printf '{"projects": {"%s": {"hasTrustDialogAccepted": true}, "%s": {"hasTrustDialogAccepted": true}}}\n' \
    "$ROOT" "$MAIN" > "$HOME/.claude.json"
  out="$(cd "$ROOT" && "$CLAUDE" mcp list 2>&1)"
  echo "$out"
  # `claude mcp list` exits 0 even on errors: judge by what it prints.
  if grep -qE '\[Error\]|Skipped|Pending approval|✘' <<<"$out"; then exit 1; fi
  for server in odoo facebook instagram twitter; do
    grep -qE "^$server: .*✔ Connected" <<<"$out" || { echo "test-claude: $server is not connected" >&2; exit 1; }
  done
  echo "Claude Code $("$CLAUDE" --version): all four servers connected"
)
cd "$ROOT" && .venv/bin/pytest -m claude_cli -p no:randomly tests/claude/e2e
