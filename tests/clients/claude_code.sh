#!/usr/bin/env bash
# `make test-claude`: the real Claude Code (npm @anthropic-ai/claude-code, ~245 MB, so not part of CI)
# reads this project's .mcp.json and health-checks every server. Offline; no login; a throwaway HOME
# that trusts this folder (Claude Code leaves project servers pending until the folder is trusted).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${CLAUDE_CODE_VERSION:-2.1.332}"
WORK="$(mktemp -d)"
LOCAL="$ROOT/.claude/settings.local.json"   # Claude Code writes its approvals there: leave no trace
[ -e "$LOCAL" ] && had_local=1 || had_local=0
trap 'rm -rf "$WORK"; [ "$had_local" = 1 ] || rm -f "$LOCAL"' EXIT
command -v npm >/dev/null || { echo "test-claude: npm not found; install Node.js 20+" >&2; exit 1; }
(cd "$WORK" && npm install --no-audit --no-fund --loglevel=error "@anthropic-ai/claude-code@$VERSION" >/dev/null)
export HOME="$WORK/home" DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1
mkdir -p "$HOME"
printf '{"projects": {"%s": {"hasTrustDialogAccepted": true, "enableAllProjectMcpServers": true}}}\n' "$ROOT" \
  > "$HOME/.claude.json"
out="$(cd "$ROOT" && "$WORK/node_modules/.bin/claude" mcp list 2>&1)"
echo "$out"
# `claude mcp list` exits 0 even on errors: judge by what it prints.
if grep -qE '\[Error\]|Skipped|Pending approval|✘' <<<"$out"; then exit 1; fi
for server in odoo facebook instagram twitter; do
  grep -qE "^$server: .*✔ Connected" <<<"$out" || { echo "test-claude: $server is not connected" >&2; exit 1; }
done
echo "Claude Code $VERSION: all four servers connected"
