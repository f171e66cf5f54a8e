#!/usr/bin/env bash
# A site in several languages in headless Debian Chromium (tests/fixtures/multilingual):
# each language's search page queries its own index, and finds the forms of a word that
# Snowball stems alike in that language; the language switcher leads to each translation.
#   tests/e2e/languages.sh            (GLOSS=path/to/gloss to use a built binary)
# Ends with `N passed, M failed`; exits 1 on failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=setup.sh
. "$HERE/setup.sh"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cp -r "$REPO/tests/fixtures/multilingual/." "$TMP/site"
if [ -n "${GLOSS:-}" ]; then
  (cd "$TMP/site" && $GLOSS build --out "$TMP/out" >&2)
else
  (cd "$TMP/site" && cargo run -q --manifest-path "$REPO/Cargo.toml" -- build --out "$TMP/out" >&2)
fi
exec env GLOSS_E2E_CACHE="$CACHE" node "$HERE/languages.mjs" "$TMP/out"
