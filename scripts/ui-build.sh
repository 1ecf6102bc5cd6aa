#!/usr/bin/env bash
# ui-build.sh bundles the page: internal/web/ui/src/main.js and what it
# imports (the project's modules and the npm packages pinned in
# internal/web/ui/package-lock.json) into internal/web/ui/dist/app.js and
# dist/app.css, which the binary embeds. The bundle is committed, so that
# `go build` alone makes a complete binary; run this after changing src/.
#
#   scripts/ui-build.sh           rebuild dist/
#   scripts/ui-build.sh --check   build into a temporary folder and fail if
#                                 it differs from the committed dist/
#
# npm ci runs first when node_modules does not match the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../internal/web/ui"

installed() {
	node -e '
		const lock = require("./package-lock.json").packages;
		for (const [path, p] of Object.entries(lock)) {
			if (!path.startsWith("node_modules/") || p.optional) continue;
			if (require("./" + path + "/package.json").version !== p.version) process.exit(1);
		}
	' 2>/dev/null
}
if ! installed; then
	npm ci --no-audit --no-fund >&2
fi

out=dist
if [ "${1:-}" = "--check" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
# --legal-comments=eof keeps the packages' licence notices; the same
# esbuild version on the same sources writes the same bytes.
./node_modules/.bin/esbuild src/main.js --bundle --minify --format=iife --target=es2020 \
	--legal-comments=eof --entry-names=app --outdir="$out" --log-level=warning \
	--loader:.png=dataurl --loader:.svg=dataurl
if [ "$out" != dist ]; then
	for f in app.js app.css; do
		if ! cmp -s "$out/$f" "dist/$f"; then
			echo "ui-build.sh: internal/web/ui/dist/$f differs from a fresh build of src/: run scripts/ui-build.sh and commit dist/" >&2
			exit 1
		fi
	done
	echo "ui-build.sh: dist/ matches a fresh build of src/"
fi
