#!/usr/bin/env bash
# Installs what the desktop app needs to build, run and be tested, on a fresh Debian 12
# (root) or on a machine that already has it: every step is skipped when done.
#   - apt: webkit2gtk/GTK dev packages (Tauri), Xvfb + xauth (headless window),
#     webkit2gtk-driver (WebKitWebDriver), imagemagick + x11-utils (screenshots), Node.js.
#   - tauri-driver 2.x into ./.tools (cargo install --root .tools).
#   - npm ci in ui/ (from the committed package-lock.json).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

APT_PACKAGES=(
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev librsvg2-dev libssl-dev
  xvfb xauth webkit2gtk-driver imagemagick x11-utils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-desktop: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "setup-desktop: Node.js >= 18 is needed for Vite (found $(node --version))" >&2
  exit 1
fi

if ! command -v cargo >/dev/null; then
  echo "setup-desktop: cargo not found: install Rust (rustup) first" >&2
  exit 1
fi

if [ ! -x .tools/bin/tauri-driver ]; then
  echo "setup-desktop: installing tauri-driver into .tools"
  cargo install tauri-driver --version '^2' --locked --root .tools
fi

# npm ci only when the lock file changed since the last install.
stamp=ui/node_modules/.carnet-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  (cd ui && npm ci --no-audit --no-fund)
  cp ui/package-lock.json "$stamp"
fi
echo "setup-desktop: ok"
