#!/usr/bin/env bash
# One-article edits of a built site, timed: appends a sentence to one article, builds with
# `--timings` under /usr/bin/time, puts the article back and builds again (untimed), RUNS times.
# Usage: benches/one-edit.sh GLOSS_BIN SITE_DIR OUT_DIR [RUNS] [ARTICLE]
#   SITE_DIR: a site built into OUT_DIR before (the 10k archive: ../shared/bench/gen_corpus.py)
#   ARTICLE:  below SITE_DIR (default content/2017/artikel-3787.md)
# The first edits after a first build are slower (no spare output yet, no folder stamps yet):
# time the fourth and later.
set -euo pipefail
GLOSS="$(realpath "${1:?usage: $0 GLOSS_BIN SITE_DIR OUT_DIR [RUNS] [ARTICLE]}")"
SITE="${2:?site folder}"; OUT="${3:?output folder}"; RUNS="${4:-3}"
FILE="$SITE/${5:-content/2017/artikel-3787.md}"
SAVED="$(mktemp)"; trap 'cp "$SAVED" "$FILE"; rm -f "$SAVED"' EXIT
cd "$SITE"
for _ in $(seq "$RUNS"); do
  cp "$FILE" "$SAVED"
  printf '\nEin neuer Satz mit dem Wort Quokkaflug am Ende.\n' >> "$FILE"
  /usr/bin/time -f "one edit: %e s wall, %U s user, %S s sys, %M KB peak" \
    "$GLOSS" build --out "$OUT" --timings 2>&1 | grep -E "^one edit|^  [a-z(].* [0-9.]+ ms$"
  cp "$SAVED" "$FILE"
  "$GLOSS" build --out "$OUT" >/dev/null 2>&1
done
