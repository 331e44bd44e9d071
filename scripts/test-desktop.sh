#!/usr/bin/env bash
# The desktop app's checks, as CI runs them:
#   1. setup (apt packages, tauri-driver, npm ci)            scripts/setup-desktop.sh
#   2. regenerate ui/src/bindings.ts and fail if it was stale (cargo test -p carnet-app)
#   3. TypeScript type check and the UI build                 tsc --noEmit, vite build
#   4. build the app and the CLI
#   5. end-to-end tests of the real window under Xvfb         cargo test -p carnet-e2e
# Screenshots land in docs/screenshots/ (E2E_SCREENSHOT_DIR overrides).
# CARNET_E2E_SCALE sets the size of the scale test (default 100000).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"

scripts/setup-desktop.sh

# tauri's build embeds ui/dist: it must exist before any build of carnet-app.
[ -f ui/dist/index.html ] || (cd ui && npm run build)

echo "== bindings"
cargo test -p carnet-app
if ! git diff --exit-code -- ui/src/bindings.ts; then
  echo "ui/src/bindings.ts was stale: commit the regenerated file" >&2
  exit 1
fi

echo "== typescript"
(cd ui && npx tsc --noEmit -p tsconfig.json && npm run build)

echo "== build"
cargo build -p carnet-app -p carnet-cli
# (clippy and rustfmt of these crates run workspace-wide in scripts/test.sh)

echo "== end-to-end (real window, Xvfb)"
xvfb-run -a -s "-screen 0 1440x900x24" \
  cargo test -p carnet-e2e -- --test-threads=1 --nocapture 2>&1 | tee target/e2e.log
echo "e2e log: target/e2e.log"
