// gloss search: reads the static index that `gloss build` writes to search/i/ (see
// src/build/search.rs for its format). No dependencies, no other hosts. The index files are
// scripts calling gloss_search_* rather than JSON, so the search also works from file://,
// where browsers refuse fetch(). Only the shards a query needs are loaded.
(() => {
  'use strict';
  const d = document;
  const form = d.getElementById('search');
  const input = d.getElementById('gl-q');
  const status = d.getElementById('gl-search-status');
  const list = d.getElementById('gl-results');
  if (!form || !input || !status || !list) return;
  const text = form.dataset;
  const script = d.currentScript;
  // The site root: the template's data-root, else the folder this script was loaded from.
  const root = text.root != null ? new URL(text.root, location.href)
    : new URL('.', script ? script.src : location.href);
  // The index of the page's language: the template's data-index (a site in several
  // languages has one below each language's home), else the site root's.
  const base = text.index != null ? new URL(text.index, location.href) : new URL('search/i/', root);
  const onDisk = location.protocol === 'file:';
  const PAGE = 20;

  // Loading index files: each script calls back with its key; a load without its call fails.
  const waiting = new Map();
  const loaded = new Map();
  const arrive = (id, data) => { const w = waiting.get(id); if (w) { waiting.delete(id); w(data); } };
  window.gloss_search_meta = (m) => arrive('m', m);
  window.gloss_search_shard = (key, data) => arrive('t:' + key, data);
  // A docs shard's rows as src/search/format.rs packs them, back to [url, title, kind,
  // excerpt, lang]: a url of '#…' is on the page of the last row without a fragment,
  // excerpt 1 is that row's title, and a kind or lang left off (or null) is the previous row's.
  function unpack(rows) {
    let page = null;
    let prev = null;
    return rows.map(([url, title, excerpt, kind, lang]) => {
      if (page && url[0] === '#') url = page[0] + url;
      if (page && excerpt === 1) excerpt = page[1];
      const row = [url, title, kind ?? prev?.[2], excerpt, lang ?? prev?.[4]];
      if (!url.includes('#')) page = row;
      prev = row;
      return row;
    });
  }
  window.gloss_search_docs = (n, rows) => arrive('d:' + n, unpack(rows));
  function load(id, file, version) {
    if (loaded.has(id)) return loaded.get(id);
    const p = new Promise((ok, fail) => {
      const s = d.createElement('script');
      waiting.set(id, ok);
      s.src = new URL(file, base).href + (version && !onDisk ? '?v=' + version : '');
      s.async = true;
      s.onload = () => { s.remove(); if (waiting.delete(id)) fail(new Error('no index in ' + file)); };
      s.onerror = () => { s.remove(); waiting.delete(id); fail(new Error('cannot load ' + file)); };
      d.head.append(s);
    });
    loaded.set(id, p);
    p.catch(() => loaded.delete(id));
    return p;
  }
  const meta = () => load('m', 'meta.js');

  // Words as the index has them: runs of letters and digits, lowercased, ä ö ü ß ς folded.
  const FOLD = { 'ä': 'a', 'ö': 'o', 'ü': 'u', 'ß': 'ss', 'ς': 'σ' };
  function words(q) {
    const out = [];
    for (const w of q.match(/[\p{Alphabetic}\p{N}]+/gu) || []) {
      if ([...w].length > 40) continue;
      const f = w.toLowerCase().replace(/[äöüßς]/g, (c) => FOLD[c]);
      if (!out.includes(f)) out.push(f);
    }
    return out;
  }
  const fileName = (key) => [...key].map((c) => (/^[A-Za-z0-9]$/.test(c) ? c : '_' + c.codePointAt(0).toString(16) + '_')).join('');
  // A word's shard: its first two letters, one more for as long as that key was split.
  function keyOf(m, w) {
    const cs = [...w];
    let n = Math.min(2, cs.length);
    while (cs.length > n && m.split.includes(cs.slice(0, n).join(''))) n++;
    return cs.slice(0, n).join('');
  }

  // The records a word finds, with their weights: the word's own stem group; else the groups
  // whose stem it begins with (an inflection the site never used: "milliarden" → "milliard",
  // English "policy" → "polici"); else, for the word being typed, the words it begins.
  function matches(shard, w, typing) {
    const found = new Map();
    const add = (g, f) => { if (g >= 0 && !(found.get(g) >= f)) found.set(g, f); };
    const own = shard && shard.w[w];
    if (own !== undefined && own !== null) {
      const ids = Array.isArray(own) ? own : [own];
      if (ids.every((g) => g < 0)) return null; // too common to say anything
      ids.forEach((g) => add(g, 1));
    } else if (shard) {
      shard.s.forEach((s, g) => {
        const n = s.length;
        if (n >= 3 && w.length - n <= 4 && w.startsWith(s)) add(g, 0.8);
        else if (n >= 4 && s.endsWith('i') && w.length - n <= 3 && w.startsWith(s.slice(0, -1))) add(g, 0.8);
      });
      // The same word with or without an ending of one or two letters (French and Spanish
      // plurals and genders: "investissement" for "investissements", "piste" for "pistes"),
      // whose stem is too short for the rule above.
      if ([...w].length >= 4) {
        for (const word in shard.w) {
          const d = word.length - w.length;
          if (d !== 0 && Math.abs(d) <= 2 && (d > 0 ? word.startsWith(w) : w.startsWith(word)) && word.length >= 4) {
            [].concat(shard.w[word]).forEach((g) => add(g, 0.8));
          }
        }
      }
      if (typing && [...w].length >= 3) {
        let n = 0;
        for (const word in shard.w) {
          if (n >= 64) break;
          if (word.length > w.length && word.startsWith(w)) {
            n++;
            [].concat(shard.w[word]).forEach((g) => add(g, 0.6));
          }
        }
      }
    }
    const docs = new Map();
    for (const [g, f] of found) {
      const p = shard.p[g];
      let doc = 0;
      for (let i = 0; i < p.length; i += 2) {
        doc += p[i];
        const s = p[i + 1] * f;
        if (!(docs.get(doc) >= s)) docs.set(doc, s);
      }
    }
    return docs;
  }

  async function rank(q) {
    const m = await meta();
    const ws = words(q);
    const shards = await Promise.all(ws.map((w) => {
      const key = keyOf(m, w);
      return m.keys.includes(key) ? load('t:' + key, 't/' + fileName(key) + '.js', m.v) : null;
    }));
    let result = null;
    ws.forEach((w, i) => {
      const docs = matches(shards[i], w, i === ws.length - 1);
      if (!docs) return; // common words do not narrow
      if (!result) { result = docs; return; }
      const next = new Map();
      for (const [doc, s] of docs) if (result.has(doc)) next.set(doc, result.get(doc) + s);
      result = next;
    });
    const ranked = [...(result || new Map())].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc]) => doc);
    return { m, ranked };
  }

  function href(url) {
    let rel = url.replace(/^\/+/, '');
    if (onDisk) rel = rel.replace(/^([^#?]*\/)?(?=[#?]|$)/, (p) => p + 'index.html');
    return new URL(rel, root).href;
  }

  const say = (template, q, n) => template.replace('{q}', q).replace('{n}', n);
  let current = 0;
  let shown = [];
  let state = null;
  async function showMore(fresh) {
    const { m, ranked } = state;
    const id = current;
    const page = ranked.slice(shown.length, shown.length + PAGE);
    const tables = await Promise.all([...new Set(page.map((doc) => Math.floor(doc / m.per)))]
      .map((n) => load('d:' + n, 'd/' + n + '.js', m.v).then((rows) => [n, rows])));
    if (id !== current) return;
    const rows = new Map(tables);
    if (fresh) list.replaceChildren();
    d.getElementById('gl-more')?.remove();
    for (const doc of page) {
      const row = rows.get(Math.floor(doc / m.per))[doc % m.per];
      if (!row) continue;
      const [url, title, kind, excerpt, lang] = row;
      const li = d.createElement('li');
      li.className = 'gl-result gl-result-' + kind;
      // A result's words in another language than the page's say so (WCAG 3.1.2).
      const primary = (tag) => (tag || '').split('-')[0].toLowerCase();
      const other = lang && primary(lang) !== primary(d.documentElement.lang) ? { lang } : {};
      const a = Object.assign(d.createElement('a'), { className: 'gl-result-link', href: href(url), textContent: title, ...other });
      const k = Object.assign(d.createElement('span'), { className: 'gl-result-kind', textContent: text['kind' + kind[0].toUpperCase() + kind.slice(1)] || kind });
      const head = Object.assign(d.createElement('p'), { className: 'gl-result-title' });
      head.append(a, ' ', k);
      li.append(head);
      if (excerpt) li.append(Object.assign(d.createElement('p'), { className: 'gl-result-excerpt', textContent: excerpt, ...other }));
      list.append(li);
      shown.push(doc);
    }
    if (shown.length < ranked.length) {
      const more = Object.assign(d.createElement('button'), { id: 'gl-more', type: 'button', className: 'gl-button gl-more', textContent: text.more });
      more.addEventListener('click', () => {
        const first = shown.length;
        showMore().then(() => list.children[first]?.querySelector('a')?.focus());
      });
      list.after(more);
    }
  }

  async function search(q) {
    const id = ++current;
    q = q.trim();
    try { history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname); } catch (_) { /* file:// may refuse */ }
    if (!words(q).length) {
      list.replaceChildren();
      d.getElementById('gl-more')?.remove();
      status.textContent = '';
      return;
    }
    list.setAttribute('aria-busy', 'true');
    try {
      const r = await rank(q);
      if (id !== current) return;
      state = r;
      shown = [];
      await showMore(true);
      if (id !== current) return;
      const n = r.ranked.length;
      status.textContent = say(n === 0 ? text.none : n === 1 ? text.one : text.many, q, n.toLocaleString(d.documentElement.lang || undefined));
    } catch (e) {
      if (id === current) status.textContent = text.failed;
    } finally {
      if (id === current) list.removeAttribute('aria-busy');
    }
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 150);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  form.hidden = false;
  const q = new URLSearchParams(location.search).get('q');
  if (q) { input.value = q; search(q); }
})();
