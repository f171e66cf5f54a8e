#!/usr/bin/env python3
"""Bytes and file counts of a gloss output folder, per kind of output.

Usage: benches/output-bytes.py OUT [--parts]

Kinds: article pages, W3C annotation exports, the search index, tag/people/claims/
corrections listings, the front page and its pagination, feeds and sitemap, assets.
With --parts, the article pages are also split into their sections (head with JSON-LD,
glance box, body, notes, figures panel, footer), so a change to one of them shows up
on its own. Also prints the largest file (the issue's limit is 1 MB per file)."""
import os, re, sys

def kind(rel):
    top = rel.split("/", 1)[0]
    name = rel.rsplit("/", 1)[-1]
    if re.fullmatch(r"\d{4}", top):
        return "article jsonld (W3C export)" if name.endswith(".jsonld") else "article html"
    return {
        "search": "search index", "tags": "tag listings", "people": "people listings",
        "claims": "claims listings", "corrections": "corrections listing",
        "page": "front page + pagination", "index.html": "front page + pagination",
    }.get(top, "feeds, sitemap" if name.endswith(".xml") else "assets, other")

SECTIONS = [
    ("head + JSON-LD", r"<!doctype", r'<aside class="gl-glance"|<div class="gl-body">'),
    ("glance box", r'<aside class="gl-glance"', r'<div class="gl-body">'),
    ("body", r'<div class="gl-body">', r'<section class="gl-notes"|<section class="gl-figures"|<footer class="article-footer">'),
    ("notes", r'<section class="gl-notes"', r'<section class="gl-figures"|<footer class="article-footer">'),
    ("figures panel", r'<section class="gl-figures"', r'<footer class="article-footer">'),
    ("footer + rest", r'<footer class="article-footer">', None),
]

def parts(text, acc):
    for name, start, end in SECTIONS:
        m = re.search(start, text, re.I)
        if not m:
            continue
        e = re.search(end, text[m.end():]) if end else None
        stop = m.end() + e.start() if e else len(text)
        acc[name] = acc.get(name, 0) + len(text[m.start():stop].encode())

def main():
    out = sys.argv[1]
    split = "--parts" in sys.argv
    totals, counts, sect = {}, {}, {}
    biggest = (0, "")
    for root, dirs, files in os.walk(out):
        for f in files:
            p = os.path.join(root, f)
            rel = os.path.relpath(p, out)
            n = os.path.getsize(p)
            k = kind(rel)
            totals[k] = totals.get(k, 0) + n
            counts[k] = counts.get(k, 0) + 1
            biggest = max(biggest, (n, rel))
            if split and k == "article html":
                parts(open(p, encoding="utf-8").read(), sect)
    print(f"| kind | files | bytes | MB |\n| --- | ---: | ---: | ---: |")
    for k in sorted(totals, key=lambda k: -totals[k]):
        print(f"| {k} | {counts[k]} | {totals[k]} | {totals[k] / 1e6:.1f} |")
    t = sum(totals.values())
    print(f"| **total** | {sum(counts.values())} | {t} | {t / 1e6:.1f} |")
    print(f"\nlargest file: {biggest[1]} ({biggest[0]} bytes)")
    if split:
        print("\n| article page section | bytes | MB |\n| --- | ---: | ---: |")
        for name, _, _ in SECTIONS:
            if name in sect:
                print(f"| {name} | {sect[name]} | {sect[name] / 1e6:.1f} |")

main()
