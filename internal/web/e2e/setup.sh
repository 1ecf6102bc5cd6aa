#!/usr/bin/env bash
# setup.sh installs what TestBrowser (internal/web/browser_test.go) needs:
# Debian's chromium and node, and playwright-core from package-lock.json.
# It is idempotent: a second run changes nothing. Playwright never downloads
# a browser here; the test drives the system chromium.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: need ${missing[*]}; run as root or install them: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
fi

# npm ci reinstalls from scratch; skip it when the locked playwright-core is
# already installed.
installed() {
	node -e '
		const want = require("./package-lock.json").packages["node_modules/playwright-core"].version;
		process.exit(require("./node_modules/playwright-core/package.json").version === want ? 0 : 1);
	' 2>/dev/null
}
if ! installed; then
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
echo "setup.sh: chromium $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | awk '{print $2}'), node $(node --version), playwright-core $(node -p 'require("playwright-core/package.json").version')"
