// gloss: notes in the margin (wide screens) or opened in place (any screen), a switch for
// the highlights. Progressive: every page reads without it.
(() => {
  const d = document, root = d.documentElement;
  root.classList.add('gl-js');

  const art = d.querySelector('.gl-article');
  if (!art) return;
  const list = art.querySelector('.gl-notes > ol');
  const pop = d.getElementById('gl-pop');
  const popBody = pop && pop.querySelector('.gl-pop-body');
  const toggle = art.querySelector('.gl-toggle');
  const wide = matchMedia('(min-width: 1100px)');
  const KEY = 'gloss-highlights';
  let opener = null;

  // What only this script uses is made here, not sent in every note: each note's id for
  // pointing (`data-gl`, as its highlights have it) and its "more" button, which opens it in
  // place and has no use without the script.
  if (list) {
    for (const li of list.children) {
      const id = li.id.slice('note-'.length);
      li.dataset.gl = id;
      const foot = li.querySelector('.gl-note-foot');
      const head = li.querySelector('.gl-note-head');
      if (!foot || !head) continue;
      const b = Object.assign(d.createElement('button'), { type: 'button', className: 'gl-open' });
      b.dataset.gl = id;
      const what = [head.querySelector('.gl-kind'), head.querySelector('.gl-num')].map((e) => e ? e.textContent : '');
      b.append(list.dataset.more || '', Object.assign(d.createElement('span'), {
        className: 'visually-hidden', textContent: ` (${what.join(' ')})` }));
      foot.prepend(b, ' ');
    }
  }

  // Each note beside the line of its reference, none overlapping another: the positions closest
  // to the lines in the least-squares sense (pool adjacent violators), below the summary box.
  function layout() {
    const on = !!list && wide.matches && !root.classList.contains('gl-plain');
    art.classList.toggle('gl-margin', on);
    if (!list) return;
    const items = [...list.children];
    if (!on) {
      items.forEach((li) => { li.style.top = ''; });
      list.style.height = '';
      return;
    }
    const top0 = list.getBoundingClientRect().top;
    const glance = art.querySelector('.gl-glance');
    const min = glance ? Math.max(0, glance.getBoundingClientRect().bottom - top0 + 16) : 0;
    const heights = items.map((li) => li.offsetHeight + 10);
    const blocks = [];
    let offset = 0;
    items.forEach((li, i) => {
      const at = d.getElementById(li.dataset.gl) || d.getElementById('ref-' + li.dataset.gl);
      const want = at ? at.getBoundingClientRect().top - top0 - 6 : 0;
      blocks.push([want - offset, 1]);
      offset += heights[i];
      while (blocks.length > 1) {
        const [s, n] = blocks[blocks.length - 1], prev = blocks[blocks.length - 2];
        if (prev[0] / prev[1] <= s / n) break;
        blocks.pop(); prev[0] += s; prev[1] += n;
      }
    });
    offset = 0;
    let i = 0;
    for (const [sum, n] of blocks) {
      for (let k = 0; k < n; k++, i++) {
        items[i].style.top = Math.round(Math.max(sum / n, min) + offset) + 'px';
        offset += heights[i];
      }
    }
    list.style.height = Math.round(Math.max(blocks.length ? blocks[blocks.length - 1][0] / blocks[blocks.length - 1][1] : 0, min) + offset) + 'px';
  }

  function setPlain(plain, save) {
    root.classList.toggle('gl-plain', plain);
    if (toggle) toggle.setAttribute('aria-pressed', String(!plain));
    if (save) try { localStorage.setItem(KEY, plain ? 'off' : 'on'); } catch (e) { /* private mode */ }
    if (pop && pop.matches(':popover-open')) pop.hidePopover();
    layout();
  }

  // The note, opened in place: below its reference, or over its margin note.
  function open(id, from) {
    const li = d.getElementById('note-' + id);
    if (!pop || !pop.showPopover || !li) return false;
    if (pop.matches(':popover-open')) pop.hidePopover();
    popBody.replaceChildren(...[...li.children].map((c) => c.cloneNode(true)));
    popBody.querySelectorAll('[id]').forEach((e) => e.removeAttribute('id'));
    pop.setAttribute('aria-label', li.querySelector('.gl-note-head').textContent.replace(/\s+/g, ' ').trim());
    pop.className = 'gl-pop gl-pop-' + (li.className.match(/gl-entry-(\w+)/) || ['', 'note'])[1];
    opener = from;
    pop.showPopover();
    const inMargin = art.classList.contains('gl-margin');
    const r = (inMargin ? li : from).getBoundingClientRect();
    const vw = root.clientWidth;
    const w = Math.min(inMargin ? Math.max(r.width, Math.min(440, vw - r.left - 16)) : 560, vw - 24);
    pop.style.width = w + 'px';
    pop.style.left = Math.max(12, Math.min(r.left, vw - w - 12)) + scrollX + 'px';
    pop.style.top = (inMargin ? r.top : r.bottom + 6) + scrollY + 'px';
    pop.focus({ preventScroll: true });
    const b = pop.getBoundingClientRect();
    if (b.bottom > innerHeight) scrollBy({ top: Math.min(b.bottom - innerHeight + 12, b.top - 12), behavior: 'smooth' });
    return true;
  }

  if (pop) {
    pop.addEventListener('toggle', (e) => {
      if (e.newState !== 'closed' || !opener) return;
      const a = d.activeElement;
      if (!a || a === d.body || pop.contains(a)) opener.focus({ preventScroll: true });
    });
  }

  d.addEventListener('click', (e) => {
    const t = e.target.closest('.gl-ref a, .gl-open, .gl-pop-close');
    if (!t) return;
    if (t.classList.contains('gl-pop-close')) { pop.hidePopover(); return; }
    const id = t.classList.contains('gl-open') ? t.dataset.gl : decodeURIComponent(t.hash.slice(6));
    if (open(id, t)) e.preventDefault();
  });

  // Pointing at a highlight lights up its note, and the other way round.
  let hot = [];
  art.addEventListener('pointerover', (e) => {
    const el = e.target.closest('[data-gl]');
    const id = el && el.dataset.gl;
    hot.forEach((x) => x.classList.remove('gl-hot'));
    hot = id ? [...art.querySelectorAll('[data-gl="' + CSS.escape(id) + '"]')] : [];
    hot.forEach((x) => x.classList.add('gl-hot'));
  });

  if (toggle) toggle.addEventListener('click', () => setPlain(toggle.getAttribute('aria-pressed') === 'true', true));
  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
  setPlain(stored === 'off', false);
  let frame = 0;
  addEventListener('resize', () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(layout); });
  wide.addEventListener('change', () => { if (pop && pop.matches(':popover-open')) pop.hidePopover(); layout(); });
  addEventListener('load', layout);
  if (d.fonts) d.fonts.ready.then(layout);
})();
