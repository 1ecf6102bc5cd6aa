#!/usr/bin/env bash
# setup.sh installs what the exchange formats' tests check their files
# with: networkx (Debian's python3-networkx, unless a Python on PATH has
# it) reads the GraphML exports, and FollowTheMoney's own model (its
# JavaScript edition, pinned in ftm/testdata/ftmjs/package-lock.json)
# reads the FollowTheMoney lines. Idempotent; the tests skip, saying why,
# where neither is installed.
set -euo pipefail
cd "$(dirname "$0")"

if ! python3 -c 'import networkx' 2>/dev/null; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: need networkx; run as root or install it: apt-get install python3-networkx" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends python3-networkx
fi

ftm=ftm/testdata/ftmjs
installed() {
	(cd "$ftm" && node -e '
		const want = require("./package-lock.json").packages["node_modules/@alephdata/followthemoney"].version;
		process.exit(require("./node_modules/@alephdata/followthemoney/package.json").version === want ? 0 : 1);
	') 2>/dev/null
}
if ! installed; then
	(cd "$ftm" && npm ci --no-audit --no-fund)
fi
echo "setup.sh: networkx $(python3 -c 'import networkx; print(networkx.__version__)'), followthemoney $(cd "$ftm" && node -p 'require("@alephdata/followthemoney/package.json").version')"
