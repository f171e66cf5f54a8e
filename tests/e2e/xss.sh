#!/usr/bin/env bash
# Script holes, tested in headless Debian Chromium: builds a hostile site in a temporary folder
# with the release gloss (or $GLOSS) and loads every page of it (xss.mjs).
#   tests/e2e/xss.sh
# First the vectors gloss must refuse (script files in content/, articles in place of generated
# pages): that build must fail and write nothing. Then the vectors it must make inert (heading
# attributes, raw HTML, script links and images in bodies, summaries and notes; a file named
# `javascript:…`; embeds' captions and forged embed placeholders): that build must succeed
# and no page may run the contributor's script, nor load anything but the embed gloss built.
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
trap 'rm -rf "$TMP"' EXIT
S="$TMP/site"
mkdir -p "$S/content/2019" "$S/content/x" "$S/content/a/sub"
cat >"$S/site.toml" <<'EOF'
title = "Feindliche Seite"
language = "de"
base_url = "https://example.org/x"
EOF

# The payloads: every one calls alert() if it runs.
H='{autofocus tabindex=0 onfocus=alert(document.domain) onmouseover=alert(2)}'
RAW='<img src=x onerror=alert(3)> <svg onload=alert(4)></svg> <details open ontoggle=alert(5)><summary>d</summary></details> <a href="javascript:alert(6)">roh</a> <iframe srcdoc="<script>parent.alert(7)</script>"></iframe> <form><button formaction="javascript:alert(8)">f</button></form>'
MD='[link](javascript:alert(9)) <javascript:alert(10)> ![bild](javascript:alert(11)) ![svg](data:image/svg+xml,<svg/onload=alert(12)>) [daten](data:text/html,<script>alert(13)</script>)'

cat >"$S/content/2019/feindlich.md" <<EOF
+++
title = "Feindlich <script>alert(14)</script>"
date = 2019-07-24
tags = ["<img src=x onerror=alert(15)>"]
summary = '''
# Zusammenfassung Zzyzxwort $H

$RAW $MD
'''

[[claim]]
text = "Ein Satz"
verdict = "false"
by = "<script>alert(16)</script>"
conclusion = "<img src=x onerror=alert(17)>"
note = '''
## Notiz $H

$RAW $MD
'''

[[quote]]
text = "Worte"
speaker = "<svg onload=alert(18)>"

[[correction]]
text = "Fehler"
correct = "<img src=x onerror=alert(19)>"
note = '''
### Korrektur $H

$RAW $MD
'''
+++
# Überschrift $H

Ein Satz. Worte. Fehler.

$RAW

$MD
EOF

# The same without raw HTML, which alone made the sanitizer run: heading attributes and
# markdown's own links and images must be made inert by themselves.
cat >"$S/content/2019/ueberschriften.md" <<EOF
+++
title = "Überschriften"
date = 2019-07-23
summary = '''
# Zusammenfassung $H

$MD
'''

[[note]]
text = "Ein Satz"
note = '''
## Notiz $H

$MD
'''

[[correction]]
text = "Fehler"
correct = "Fehlerlos"
note = '''
### Korrektur $H
'''
+++
# Überschrift $H

Ein Satz. Fehler.

## Zweite $H

$MD
EOF

# A file name that was a script address on the home page, in listings and in search results.
cat >"$S/content/javascript:alert(document.domain)%2F%2F.md" <<'EOF'
+++
title = "Feindlicher Name"
date = 2019-07-25
tags = ["Name"]
summary = "Zzyzxwort im Namen."

[[claim]]
text = "Ein Satz"
verdict = "false"
+++
Ein Satz.
EOF
mkdir -p "$S/content/a b"
printf '+++\ntitle = "Zeichen"\ndate = 2019-07-26\n+++\nText.\n' >"$S/content/a b/#?%:x.md"

# Embeds: a caption holding markup, and raw HTML forging gloss's placeholder with a script
# address and an address off the allow-list (the sanitizer keeps the placeholder's attributes,
# so gloss.js must refuse them). xss.mjs clicks every button and checks what loads.
cat >"$S/content/2019/einbettung.md" <<'EOF'
+++
title = "Einbettung"
date = 2019-07-27
+++
```embed
https://youtu.be/aqz-KE-bpKQ
<img src=x onerror=alert(25)> "Titel" <script>alert(26)</script>
```

<figure class="gl-embed"><div class="gl-embed-box"><button type="button" class="gl-embed-load" data-embed-src="javascript:alert(27)" data-embed-title="x">falsch</button> <button type="button" class="gl-embed-load" data-embed-src="https://evil.example/embed/aqz-KE-bpKQ" hidden>falsch 2</button></div></figure>
EOF

fail=0
# Refused: each of `files`; the build must fail, name each and write nothing.
refused() {
  local what="$1"; shift
  if (cd "$S" && "$GLOSS" build >"$TMP/refused.log" 2>&1); then
    echo "not ok - $what: the build fails"; fail=1
  elif [ -e "$S/public" ]; then
    echo "not ok - $what: nothing is written"; fail=1
  else
    local missing=""
    for f in "$@"; do grep -qF "$f: error:" "$TMP/refused.log" || missing="$missing $f"; done
    if [ -n "$missing" ]; then
      echo "not ok - $what: each is named:$missing"; cat "$TMP/refused.log"; fail=1
    else
      echo "ok - $what: refused, each named, nothing written"
    fi
  fi
  for f in "$@"; do rm "$S/$f"; done
}

# Script files from content/.
echo 'alert(20)' >"$S/content/gloss.js"
echo '<script>alert(21)</script>' >"$S/content/index.html"
echo '<script>alert(22)</script>' >"$S/content/x/evil.html"
echo '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(23)"/>' >"$S/content/x/evil.svg"
printf '+++\ntitle = "Sub"\ndate = 2019-07-24\n+++\nx\n' >"$S/content/a/sub.md"
echo '<script>alert(24)</script>' >"$S/content/a/sub/index.html"
refused "script files in content/" content/gloss.js content/index.html content/x/evil.html \
  content/x/evil.svg content/a/sub/index.html
# Articles in place of generated pages.
printf '+++\ntitle = "Home"\ndate = 2019-07-24\n+++\nx\n' >"$S/content/index.md"
printf '+++\ntitle = "Claims"\ndate = 2019-07-24\n+++\nx\n' >"$S/content/claims.md"
printf '+++\ntitle = "Feed"\ndate = 2019-07-24\n+++\nx\n' >"$S/content/feed.xml.md"
refused "articles in place of generated pages" content/index.md content/claims.md content/feed.xml.md

# An embed block whose address is a script, or off the allow-list: an error at its line.
printf '+++\ntitle = "E"\ndate = 2019-07-24\n+++\n```embed\njavascript:alert(28)\n```\n\n```embed\nhttps://evil.example/v/1\n```\n' >"$S/content/x/einbettung.md"
if (cd "$S" && "$GLOSS" build >"$TMP/refused.log" 2>&1); then
  echo "not ok - embed blocks off the allow-list: the build fails"; fail=1
elif [ -e "$S/public" ] || ! grep -qF "content/x/einbettung.md:6:1: error:" "$TMP/refused.log" \
    || ! grep -qF "content/x/einbettung.md:10:1: error:" "$TMP/refused.log"; then
  echo "not ok - embed blocks off the allow-list: each located, nothing written"; cat "$TMP/refused.log"; fail=1
else
  echo "ok - embed blocks off the allow-list: refused at their lines, nothing written"
fi
rm "$S/content/x/einbettung.md"

(cd "$S" && "$GLOSS" build >&2)
status=0
env GLOSS_E2E_CACHE="$CACHE" node "$HERE/xss.mjs" "$S/public" Zzyzxwort || status=$?
[ $fail -eq 0 ] || exit 1
exit $status
