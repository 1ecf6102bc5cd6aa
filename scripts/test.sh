#!/usr/bin/env bash
# The project's test command: the README's, and the one CI runs.
# Installs what the browser tests need (Debian's chromium, playwright-core),
# then checks formatting and vet, and runs every test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

internal/web/e2e/setup.sh

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -race -count=1 -timeout 30m ./...
