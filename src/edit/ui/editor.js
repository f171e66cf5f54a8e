// gloss serve's editor: select words of the article, say what they are, and the server writes
// the annotation into the article's front matter. Served by `gloss serve` only (never part of
// a built site). The server computes the anchor from the words and their surroundings, so this
// script only says what was selected.
(() => {
  'use strict';
  const cfgEl = document.getElementById('gloss-editor');
  const body = document.querySelector('.gl-body');
  if (!cfgEl || !body) return;
  const cfg = JSON.parse(cfgEl.textContent);
  const KINDS = ['claim', 'quote', 'note', 'figure', 'correction'];
  // Text the theme adds to the body that is not the article's: note numbers, footnote marks.
  const NOT_TEXT = 'sup.gl-ref, sup.footnote-reference, .gl-edit-ui';
  const BLOCK = /^(P|H[1-6]|LI|BLOCKQUOTE|PRE|TD|TH|TR|TABLE|DT|DD|DIV|FIGURE|FIGCAPTION|UL|OL)$/;
  let info = null;
  let words = {};
  let pending = null;
  let uid = 0;
  const w = (k) => words[k] || k;

  const api = (path, init = {}) => fetch(cfg.endpoint + path, {
    ...init,
    headers: { 'X-Gloss-Token': cfg.token, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    credentials: 'same-origin',
  }).then(async (r) => ({ status: r.status, json: await r.json().catch(() => ({ ok: false, error: String(r.status) })) }));

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  // The body's text as the reader sees it, with a line break between blocks, and where each
  // text node starts in it.
  function flatten() {
    const starts = new Map();
    let text = '';
    let lastBlock = null;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest(NOT_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      let b = n.parentElement;
      while (b !== body && !BLOCK.test(b.tagName)) b = b.parentElement;
      if (lastBlock && b !== lastBlock) text += '\n';
      lastBlock = b;
      starts.set(n, text.length);
      text += n.data;
    }
    return { text, starts };
  }

  // The offset in the flat text of a range boundary (container, offset).
  function offsetOf(flat, container, offset, atEnd) {
    if (container.nodeType === Node.TEXT_NODE) {
      const s = flat.starts.get(container);
      if (s !== undefined) return s + offset;
    }
    // An element boundary, or an excluded text node: the nearest counted text node.
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let best = atEnd ? 0 : flat.text.length;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = flat.starts.get(n);
      if (s === undefined) continue;
      const pos = container.compareDocumentPosition(n);
      const after = (pos & Node.DOCUMENT_POSITION_FOLLOWING) && !(pos & Node.DOCUMENT_POSITION_CONTAINED_BY);
      const inside = pos & Node.DOCUMENT_POSITION_CONTAINED_BY;
      if (atEnd && !after && !inside) best = s + n.data.length;
      if (!atEnd && (after || inside)) { best = s; break; }
    }
    return best;
  }

  // What is selected in the article's body, as words and their surroundings; null if nothing.
  function capture() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const notes = document.querySelector('.gl-notes');
    const inNote = notes && (notes.contains(range.startContainer) || notes.contains(range.endContainer));
    if (inNote) return { inNote: true, exact: sel.toString() };
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return null;
    const flat = flatten();
    const start = offsetOf(flat, range.startContainer, range.startOffset, false);
    const end = offsetOf(flat, range.endContainer, range.endOffset, true);
    const exact = flat.text.slice(start, end);
    if (!exact.trim()) return null;
    return {
      exact,
      prefix: flat.text.slice(Math.max(0, start - 64), start),
      suffix: flat.text.slice(end, end + 64),
      rect: range.getBoundingClientRect(),
    };
  }

  // The toolbar offered over a selection.
  const toolbar = el('div', { class: 'gl-edit-ui gl-edit-toolbar', role: 'toolbar', hidden: true, 'aria-keyshortcuts': 'Alt+Shift+A' });
  const status = el('p', { class: 'gl-edit-ui gl-edit-status', role: 'status' });
  document.body.append(toolbar, status);
  // A press on the toolbar must not end the selection it is about.
  toolbar.addEventListener('mousedown', (e) => e.preventDefault());

  function showToolbar() {
    const got = capture();
    if (!got || !info) { if (!toolbar.contains(document.activeElement)) toolbar.hidden = true; return; }
    pending = got;
    toolbar.hidden = false;
    const r = got.rect || { bottom: 0, left: 0 };
    toolbar.style.top = `${window.scrollY + r.bottom + 6}px`;
    toolbar.style.left = `${Math.max(4, window.scrollX + r.left)}px`;
  }

  let timer = null;
  document.addEventListener('selectionchange', () => { clearTimeout(timer); timer = setTimeout(showToolbar, 150); });
  document.addEventListener('keydown', (e) => {
    if (e.altKey && e.shiftKey && (e.key === 'A' || e.key === 'a') && !toolbar.hidden) {
      e.preventDefault();
      toolbar.querySelector('button').focus();
    } else if (e.key === 'Escape' && !toolbar.hidden && toolbar.contains(document.activeElement)) {
      toolbar.hidden = true;
    }
  });
  toolbar.addEventListener('keydown', (e) => {
    const buttons = [...toolbar.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      buttons[(i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length].focus();
    }
  });

  function field(label, input, hint) {
    const id = input.id || (input.id = `gl-edit-${++uid}`);
    return el('p', { class: 'gl-edit-field' }, el('label', { for: id, text: label }), hint ? el('span', { class: 'gl-edit-hint', text: hint }) : null, input);
  }

  function sourceRow(list, s = {}) {
    if (typeof s === 'string') s = { url: s };
    const row = el('fieldset', { class: 'gl-edit-source' },
      el('legend', { text: `${w('edit_source')} ${list.children.length + 1}` }));
    for (const [key, word, type] of [['url', 'edit_source_url', 'url'], ['title', 'edit_source_title', 'text'],
      ['archive', 'edit_source_archive', 'url'], ['accessed', 'edit_source_accessed', 'date']]) {
      row.append(field(w(word), el('input', { type, name: `source-${key}`, value: s[key] || '' })));
    }
    row.append(el('button', { type: 'button', class: 'gl-edit-secondary', text: w('edit_remove_source'), onclick: () => row.remove() }));
    list.append(row);
  }

  // The form of `kind`, filled with `values`; `existing` is the id of the annotation edited.
  function openForm(kind, values, selection, existing) {
    const dialog = el('dialog', { class: 'gl-edit-ui gl-edit-dialog', 'aria-labelledby': 'gl-edit-title' });
    const form = el('form', { method: 'dialog' });
    const error = el('div', { class: 'gl-edit-error', role: 'alert' });
    const input = (name, attrs = {}) => el('input', { type: 'text', name, value: values[name] ?? '', ...attrs });
    const area = (name) => { const t = el('textarea', { name, rows: '4' }); t.value = values[name] ?? ''; return t; };
    form.append(el('h2', { id: 'gl-edit-title', text: `${w(kind)}${existing ? '' : ''}` }));
    const words = selection ? selection.exact : values.text;
    if (words) form.append(el('p', { class: 'gl-edit-words' }, el('span', { class: 'gl-edit-hint', text: `${w('edit_selected')}: ` }), el('q', { text: words.trim() })));
    const people = el('datalist', { id: `gl-edit-people-${++uid}` });
    for (const p of info.people) people.append(el('option', { value: p.name, label: p.role || p.name }));
    form.append(people);
    if (kind === 'claim') {
      form.append(field(w('edit_statement'), input('claim')));
      form.append(field(w('claimed_by'), input('by', { list: people.id, autocomplete: 'off' })));
      form.append(field(w('edit_date'), input('date', { type: 'date' })));
      const scale = el('fieldset', { class: 'gl-edit-verdicts' }, el('legend', { text: w('verdict') }));
      for (const v of info.verdicts) {
        const id = `gl-edit-${++uid}`;
        scale.append(el('p', {},
          el('input', { type: 'radio', name: 'verdict', id, value: v.key, checked: values.verdict === v.key, required: true }),
          el('label', { for: id }, el('span', { class: `gl-verdict gl-v-${v.key}${v.tone ? ` gl-r-${v.tone}` : ''}`, text: v.label }))));
      }
      form.append(scale);
      form.append(field(w('edit_conclusion'), input('conclusion')));
    } else if (kind === 'quote') {
      form.append(field(w('edit_speaker'), input('speaker', { list: people.id, autocomplete: 'off', required: true })));
      form.append(field(w('edit_role'), input('role')));
    } else if (kind === 'figure') {
      form.append(field(w('edit_value'), input('value', { inputmode: 'decimal' })));
      form.append(field(w('edit_unit'), input('unit')));
    } else if (kind === 'correction') {
      form.append(field(w('correct_is'), input('correct', { required: true })));
      form.append(field(w('edit_date'), input('date', { type: 'date' })));
    }
    form.append(field(w('edit_note'), area('note'), w('edit_markdown')));
    const sources = el('div', { class: 'gl-edit-sources' });
    for (const s of values.sources || []) sourceRow(sources, s);
    form.append(el('fieldset', { class: 'gl-edit-sources-all' }, el('legend', { text: w('sources') }), sources,
      el('button', { type: 'button', class: 'gl-edit-secondary', text: w('edit_add_source'), onclick: () => sourceRow(sources) })));
    form.append(error);
    const save = el('button', { type: 'submit', text: w('edit_save') });
    const cancel = el('button', { type: 'button', class: 'gl-edit-secondary', text: w('edit_cancel'), onclick: () => dialog.close() });
    form.append(el('p', { class: 'gl-edit-actions' }, save, cancel));
    dialog.append(form);
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const fields = {};
      for (const key of ['claim', 'by', 'date', 'verdict', 'conclusion', 'speaker', 'role', 'value', 'unit', 'correct', 'note']) {
        if (form.elements[key] || form.querySelector(`[name="${key}"]`)) fields[key] = (data.get(key) || '').toString();
      }
      fields.sources = [...sources.querySelectorAll('.gl-edit-source')].map((row) => {
        const get = (k) => row.querySelector(`[name="source-${k}"]`).value.trim() || null;
        return { url: get('url') || '', title: get('title'), archive: get('archive'), accessed: get('accessed') };
      }).filter((s) => s.url);
      const request = existing
        ? { action: 'update', id: existing, fields }
        : { action: 'add', kind, selection: { exact: selection.exact, prefix: selection.prefix, suffix: selection.suffix }, fields };
      save.disabled = true;
      const r = await send(request);
      save.disabled = false;
      if (r.ok) { dialog.close(); saved(); } else showError(error, r);
    });
    dialog.showModal();
    const first = form.querySelector('input:not([type=hidden]), textarea');
    if (first) first.focus();
  }

  function showError(area, r) {
    area.replaceChildren(el('p', { text: r.conflict ? w('edit_conflict') : `${w('edit_failed')} ${r.error}` }));
    if (r.conflict) area.append(el('button', { type: 'button', text: w('edit_reload'), onclick: () => location.reload() }));
  }

  async function send(request) {
    const r = await api('', { method: 'POST', body: JSON.stringify({ path: cfg.path, fingerprint: cfg.fingerprint, ...request }) });
    if (r.json.ok) cfg.fingerprint = r.json.fingerprint;
    return r.json;
  }

  // The server rebuilds the page and the live reload brings it; should that not come, the
  // page reloads itself.
  function saved() {
    status.textContent = w('edit_saved');
    setTimeout(() => location.reload(), 4000);
  }

  function noteButtons() {
    for (const a of info.annotations) {
      const li = document.getElementById(`note-${a.id}`);
      if (!li || li.querySelector('.gl-edit-ui')) continue;
      const label = li.querySelector('.gl-num');
      const n = label ? ` ${label.textContent}` : '';
      li.append(el('p', { class: 'gl-edit-ui gl-edit-note-actions' },
        el('button', { type: 'button', class: 'gl-edit-secondary', text: w('edit_edit'), 'aria-label': `${w('edit_edit')}: ${w(a.kind)}${n}`,
          onclick: () => openForm(a.kind, a.fields || {}, null, a.id) }),
        ' ',
        el('button', { type: 'button', class: 'gl-edit-secondary', text: w('edit_delete'), 'aria-label': `${w('edit_delete')}: ${w(a.kind)}${n}`,
          onclick: async () => {
            if (!window.confirm(w('edit_confirm_delete'))) return;
            const r = await send({ action: 'delete', id: a.id });
            if (r.ok) saved(); else { status.textContent = r.conflict ? w('edit_conflict') : `${w('edit_failed')} ${r.error}`; }
          } })));
    }
  }

  api(`/article?path=${encodeURIComponent(cfg.path)}`).then(({ json }) => {
    if (!json.ok) { status.textContent = json.error; return; }
    info = json;
    words = json.words || {};
    toolbar.setAttribute('aria-label', w('edit_toolbar'));
    for (const kind of KINDS) {
      toolbar.append(el('button', { type: 'button', text: w(kind), onclick: () => {
        const sel = pending;
        toolbar.hidden = true;
        if (!sel) return;
        if (sel.inNote) { status.textContent = w('edit_in_note'); return; }
        openForm(kind, {}, sel, null);
      } }));
    }
    noteButtons();
    document.documentElement.dataset.glossEditor = 'ready';
  });
})();
