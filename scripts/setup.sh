#!/usr/bin/env bash
# Installs everything Go Trace Lens's demo and tests need on a fresh Debian 12 machine with Node 20:
#   - Go 1.23 (bookworm-backports), Chromium, and what code-server's native modules need (apt-get, as root);
#   - the extension's npm packages (npm ci);
#   - the end-to-end host: code-server (a real VS Code) with Node 24, and playwright-core (test/e2e/host).
# Each step is skipped when what it installs is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: '$*' needs root; run this script as root or install sudo." >&2; exit 1; fi
}

need_apt=()
[ -x /usr/lib/go-1.23/bin/go ] || need_apt+=(go)
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev pkg-config >/dev/null 2>&1 || need_apt+=(build)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "Installing system packages (${need_apt[*]})"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /etc/apt/sources.list.d/backports.list ]; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | as_root tee /etc/apt/sources.list.d/backports.list >/dev/null
  fi
  as_root apt-get update -qq
  as_root apt-get install -y -qq -t bookworm-backports golang-1.23-go
  as_root apt-get install -y -qq chromium libkrb5-dev pkg-config
fi

log "Installing the extension's npm packages (npm ci)"
npm ci --no-audit --no-fund

host=test/e2e/host
stamp="$host/node_modules/.go-trace-lens-host"
want=$(sha256sum "$host/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$host/node_modules/code-server/lib/vscode/node_modules" ]; then
  log "The end-to-end host (code-server, Node 24, playwright-core) is up to date"
else
  log "Installing the end-to-end host: code-server with Node 24, and playwright-core (takes a few minutes)"
  npm run e2e:install
  echo "$want" > "$stamp"
fi
log "Setup complete"
