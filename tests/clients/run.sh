#!/usr/bin/env bash
# `make test-clients`: an independent MCP client (the MCP Inspector CLI from npm) starts every server
# of .mcp.json, lists its tools and calls one read tool. Any error, or a result not in SANDBOX, fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
NODE_DIR="$ROOT/tests/clients/node"
PY="$ROOT/.venv/bin/python"

export NPM_CONFIG_UPDATE_NOTIFIER=false
command -v npm >/dev/null || { echo "test-clients: npm not found; install Node.js 20+ (https://nodejs.org)" >&2; exit 1; }

# Install exactly the locked Inspector once (node_modules is never committed); reinstall when the lock changes.
STAMP="$NODE_DIR/node_modules/.lock-stamp"
if [ ! -f "$STAMP" ] || ! cmp -s "$NODE_DIR/package-lock.json" "$STAMP"; then
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  cp "$NODE_DIR/package-lock.json" "$STAMP"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home"            # the Inspector writes ~/.mcp-inspector/; keep it out of the real home
unset MCP_CATALOG_PATH              # --config (read-only) and a catalog are mutually exclusive
mkdir -p "$HOME"
CONFIG="$WORK/inspector.json"
SERVERS="$(cd "$ROOT" && "$PY" -m tests.clients.inspector_config "$CONFIG" "$WORK")"

inspector() {
  (cd "$NODE_DIR" && npx --no-install @modelcontextprotocol/inspector --cli --config "$CONFIG" --format json -q "$@")
}

failed=0
while read -r server tool; do
  if ! inspector --server "$server" --method tools/list >"$WORK/$server.tools.json"; then
    echo "FAIL $server: tools/list" >&2; failed=1; continue
  fi
  if ! inspector --server "$server" --method tools/call --tool-name "$tool" >"$WORK/$server.call.json"; then
    echo "FAIL $server: tools/call $tool" >&2; failed=1; continue
  fi
  if ! summary="$("$PY" - "$WORK/$server.tools.json" "$WORK/$server.call.json" "$tool" <<'PYEOF'
import json, sys
tools = json.load(open(sys.argv[1]))["result"]["tools"]
call = json.load(open(sys.argv[2]))["result"]
names = [t["name"] for t in tools]
assert sys.argv[3] in names, f"{sys.argv[3]} not among {names}"
assert not call.get("isError"), call
mode = (call.get("structuredContent") or {}).get("mode")
assert mode == "SANDBOX", f"expected a SANDBOX result, got mode={mode!r}"
print(f"{len(names)} tools, {sys.argv[3]} -> {mode}")
PYEOF
  )"; then
    echo "FAIL $server: unexpected answer" >&2; failed=1; continue
  fi
  echo "ok   $server: $summary"
done <<<"$SERVERS"
exit "$failed"
