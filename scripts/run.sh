#!/usr/bin/env bash
# Set up and run Carnet's desktop window (SQLite is embedded: no server to start).
# The database is the platform data dir's carnet.db unless CARNET_DB says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./scripts/run-app.sh "$@"
