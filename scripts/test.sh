#!/usr/bin/env bash
# Set up everything and run every test: formatting, lints, the desktop checks (bindings,
# TypeScript, UI build, WebDriver end-to-end tests of the real window under Xvfb), then the
# Rust unit, integration and CLI tests. Works on a fresh Debian 12 machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages and tools for the desktop app and its end-to-end tests (idempotent).
./scripts/setup-desktop.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt"
cargo fmt --all -- --check

# Builds ui/dist first (the Tauri crate embeds it, so clippy on it needs it too).
echo "== desktop: bindings, TypeScript, UI build, end-to-end tests"
./scripts/test-desktop.sh

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== rust tests (core, CLI, enrichment, sync, fake CRM servers)"
cargo test --locked 2>&1 | tee target/rust-tests.log

# One closing line over every suite (the e2e log is written by test-desktop.sh).
cat target/rust-tests.log target/e2e.log 2>/dev/null | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0) }'
