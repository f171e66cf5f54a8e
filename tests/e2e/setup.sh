# Sourced by run.sh and xss.sh (with HERE set to this folder): installs what the browser tests
# need: Debian's chromium (apt) when /usr/bin/chromium is missing, node, and playwright-core +
# axe-core (npm, as package.json pins them) into CACHE, which it sets.
CACHE="${GLOSS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gloss-e2e}"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d "$CACHE/node_modules/playwright-core" ] || [ ! -d "$CACHE/node_modules/axe-core" ] \
  || ! cmp -s "$HERE/package.json" "$CACHE/package.json"; then
  mkdir -p "$CACHE"
  cp "$HERE/package.json" "$CACHE/package.json"
  (cd "$CACHE" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
