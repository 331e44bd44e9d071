#!/usr/bin/env bash
# Memory of the desktop app (its Rust process and WebKit's processes, PSS) with no people
# and with 100,000 people shown in the table, in a RELEASE build, under Xvfb.
#   scripts/bench-memory.sh            # 100,000 people
#   CARNET_E2E_SCALE=1000000 scripts/bench-memory.sh
# Prints "memory ..." lines; fails if the figures miss issue #8's targets.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
scripts/setup-desktop.sh
[ -f ui/dist/index.html ] || (cd ui && npm run build)
cargo build --release -p carnet-app
export APP_BIN="$ROOT/target/release/carnet-app"
cargo build -p carnet-cli
xvfb-run -a -s "-screen 0 1440x900x24" \
  cargo test -p carnet-e2e --test memory -- --ignored --test-threads=1 --nocapture 2>&1 |
  tee target/bench-memory.log | grep -E "^memory|seeded|test result"
