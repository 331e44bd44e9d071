#!/usr/bin/env bash
# Builds and opens the Carnet desktop window.
#   scripts/run-app.sh            debug build, own data folder (carnet-dev)
#   scripts/run-app.sh --release  release build, the real data folder (same as the CLI)
#   CARNET_DB=FILE scripts/run-app.sh   open that database file (the CLI honours it too)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PROFILE=debug
CARGO_FLAGS=()
if [ "${1:-}" = "--release" ]; then PROFILE=release; CARGO_FLAGS=(--release); fi

scripts/setup-desktop.sh
(cd ui && npm run build)
cargo build -p carnet-app -p carnet-cli "${CARGO_FLAGS[@]}"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-app: no display; starting the window under Xvfb (screenshot it with: import -window root shot.png)" >&2
  exec xvfb-run -a -s "-screen 0 1440x900x24" "target/$PROFILE/carnet-app"
fi
exec "target/$PROFILE/carnet-app"
