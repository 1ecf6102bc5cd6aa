#!/usr/bin/env bash
# The project's test command: the README's, and the one CI runs.
# Installs what the browser tests need (Debian's chromium, playwright-core)
# and what the exchange formats' files are read back with (networkx,
# FollowTheMoney's model), starts a throwaway PostgreSQL server for the PostgreSQL store's tests
# (Debian's postgresql, installed if missing; stopped on exit), then checks
# formatting and vet, and runs every test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests save their screenshots here (one PNG per script and
# view), where CI keeps them; a folder already named is kept.
MOSAIC_ARTIFACTS=${MOSAIC_ARTIFACTS:-$PWD/artifacts}
mkdir -p "$MOSAIC_ARTIFACTS"
MOSAIC_ARTIFACTS=$(cd "$MOSAIC_ARTIFACTS" && pwd)
export MOSAIC_ARTIFACTS

internal/web/e2e/setup.sh
internal/exchange/setup.sh

# A server of one's own (MOSAIC_TEST_POSTGRES already set) is used as it is.
if [ -z "${MOSAIC_TEST_POSTGRES:-}" ]; then
  eval "$(scripts/postgres.sh start)"
  trap 'scripts/postgres.sh stop "$MOSAIC_PG_DIR"' EXIT
fi

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:"; echo "$unformatted"; exit 1
fi
go vet ./...
# A package's tests may take 50 minutes before they count as hung: the
# command's, with the race detector, took 24 minutes on an idle 2-core
# machine and over 30 with another process busy beside them.
go test -race -count=1 -timeout 50m ./...
