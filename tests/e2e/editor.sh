#!/usr/bin/env bash
# The preview's editor in headless Debian Chromium: serves a small site with `gloss serve`
# (the release gloss, or $GLOSS), selects words (by mouse, by keyboard and by script), fills
# each kind's form, saves, and compares the whole article file after each save; edits and
# deletes from a note; checks the highlight on the reloaded page, axe on the open form, that
# `gloss check` is clean, and that a page of another site, a request without the token, one
# naming another host and one for a file outside content/ change nothing; and that a
# `--read-only` preview offers no editor and writes nothing (editor.mjs).
#   tests/e2e/editor.sh
# Installs what it needs as run.sh does. Ends with `N passed, M failed`; exits 1 on failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=setup.sh
. "$HERE/setup.sh"
if [ -z "${GLOSS:-}" ]; then
  (cd "$REPO" && cargo build -q --release >&2)
  GLOSS="$(cd "${CARGO_TARGET_DIR:-$REPO/target}/release" && pwd)/gloss"
fi

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
S="$TMP/site"
mkdir -p "$S/content/2019"
cat >"$S/site.toml" <<'EOF'
title = "Testseite"
language = "de"
base_url = "https://example.org/t"
EOF
cat >"$S/people.toml" <<'EOF'
[[person]]
name = "Erika Muster"
role = "Bürgermeisterin"
EOF
cat >"$S/content/2019/rat.md" <<'EOF'
+++
title = "Der Rat tagt"
date = 2019-07-24
# Eine Bemerkung, die bleibt.
tags = ["Rat"]

[[note]]
text = "Stadtrat"
note = "Der Rat der Stadt."
+++
Der *Stadtrat* beschloss am Montag einen Haushalt von 40 Millionen Euro.

Bürgermeisterin Erika Muster sagte: „Wir sparen, wo wir können.“ Der Haushalt gilt ab 2020.

Der Kämmerer heißt Hans Meier, nicht Hans Maier. Der Montag war ein Feiertag.
EOF
printf 'secret = true\n' >"$S/outside.md"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() { # PORT ARGS…: starts gloss serve in the site and waits until it answers
  local port="$1"; shift
  (cd "$S" && exec "$GLOSS" serve --port "$port" "$@" >>"$TMP/serve.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/2019/rat/"; then return 0; fi
    sleep 0.1
  done
  echo "not ok - gloss serve answers on port $port"; cat "$TMP/serve.log"; exit 1
}
PORT="$(free_port)"
start "$PORT"
RO_PORT="$(free_port)"
# The read-only preview serves a copy, so that its (absent) writes could not be mistaken.
cp -r "$S" "$TMP/ro"
(cd "$TMP/ro" && exec "$GLOSS" serve --port "$RO_PORT" --read-only >>"$TMP/serve.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$RO_PORT/2019/rat/" && break; sleep 0.1; done

status=0
env GLOSS_E2E_CACHE="$CACHE" GLOSS="$GLOSS" node "$HERE/editor.mjs" "$S" "$PORT" "$TMP/ro" "$RO_PORT" || status=$?
exit $status
