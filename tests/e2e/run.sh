#!/usr/bin/env bash
# End-to-end test of the default theme in headless Debian Chromium.
#   tests/e2e/run.sh [SITE_DIR]
# SITE_DIR is a built site (e.g. `public` after `gloss build`); without it this repository's
# seed site is built into a temporary folder. Installs what it needs: Debian's chromium (apt)
# when /usr/bin/chromium is missing, node, and playwright-core + axe-core (npm) into
# $GLOSS_E2E_CACHE (default ~/.cache/gloss-e2e). Ends with `N passed, M failed`; exits 1 on failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=setup.sh
. "$HERE/setup.sh"

if [ $# -ge 1 ]; then
  SITE="$(cd "$1" && pwd)"
else
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  (cd "$REPO" && cargo run -q -- build --out "$TMP/site" >&2)
  SITE="$TMP/site"
fi

exec env GLOSS_E2E_CACHE="$CACHE" node "$HERE/reader.mjs" "$SITE" "${GLOSS_E2E_PAGE:-2019/microsoft-openai/}"
