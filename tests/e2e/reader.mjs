// End-to-end test of the default theme: a reader in headless Debian Chromium.
//   node reader.mjs SITE_DIR [ARTICLE_PATH]      (run by run.sh, which installs what it needs)
// At desktop (1280px) and phone (390px, touch) width: the note of a highlight opens with the
// keyboard and closes with Escape, opens by pointer/touch, notes sit in the margin on wide
// screens, the highlights switch works and is remembered; without JavaScript the notes list
// works; axe finds no WCAG violation in light and dark; the search page finds the article
// and its tokenizer agrees with the index's on tests/search_vectors.json;
// no request leaves 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import { launch, require, serve } from './browser.mjs';
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [SITE, ARTICLE = '2019/microsoft-openai/'] = process.argv.slice(2);
if (!SITE || !fs.existsSync(path.join(SITE, ARTICLE, 'index.html'))) {
  console.error(`usage: reader.mjs SITE_DIR [ARTICLE_PATH]  (no ${ARTICLE}index.html in ${SITE})`);
  process.exit(2);
}

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`); }
}
async function step(name, fn) {
  try { await fn(); } catch (e) { check(name, false, e.message.split('\n')[0]); }
}

const server = await serve(path.resolve(SITE));
const origin = `http://127.0.0.1:${server.address().port}/`;
const url = origin + ARTICLE;
// Every scenario below gets a fresh context (no shared storage).
const browser = await launch();

const foreign = [];
async function newPage(opts) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route('**/*', (r) => {
    if (r.request().url().startsWith(origin)) return r.continue();
    foreign.push(r.request().url());
    return r.abort();
  });
  page.errors = errors;
  page.close2 = () => ctx.close();
  return page;
}

const markBg = (page) => page.$eval('.gl-body mark.gl-claim', (m) => getComputedStyle(m).backgroundColor);
const popOpen = (page) => page.$eval('#gl-pop', (p) => p.matches(':popover-open') && p.getBoundingClientRect().height > 0);

async function reader(label, opts) {
  const page = await newPage(opts);
  const W = opts.viewport.width;
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);

  await step(`${label}: page script runs`, async () => {
    check(`${label}: page script runs`, await page.$eval('html', (h) => h.classList.contains('gl-js')));
  });

  await step(`${label}: notes layout`, async () => {
    const margin = await page.$eval('.gl-article', (a) => a.classList.contains('gl-margin'));
    if (W >= 1100) {
      check(`${label}: notes sit in the margin`, margin);
      const gaps = await page.$$eval('.gl-notes > ol > li', (lis) => lis.map((li) => {
        const start = document.getElementById(li.dataset.gl);
        const n = li.getBoundingClientRect(), r = start.getBoundingClientRect();
        const body = document.querySelector('.gl-body').getBoundingClientRect();
        return { dy: n.top - r.top, right: n.left >= body.right, top: n.top, bottom: n.bottom };
      }));
      check(`${label}: every margin note is right of the text`, gaps.every((g) => g.right));
      const offs = gaps.map((g) => Math.abs(g.dy)).sort((a, b) => a - b);
      const median = offs[Math.floor(offs.length / 2)];
      check(`${label}: margin notes sit beside their highlights (median offset < 60px)`, median < 60, `median ${Math.round(median)}px`);
      check(`${label}: margin notes never overlap`, gaps.every((g, i) => i === 0 || g.top >= gaps[i - 1].bottom - 1));
      // The script gives each margin note its "more" button, named after the note.
      const opens = await page.$$eval('.gl-notes > ol > li', (lis) => lis.map((li) => {
        const b = li.querySelector('.gl-note-foot .gl-open');
        const head = li.querySelector('.gl-note-head');
        const want = `(${head.querySelector('.gl-kind').textContent} ${head.querySelector('.gl-num').textContent})`;
        return !!b && b.dataset.gl === li.dataset.gl && b.offsetWidth > 0 && b.textContent.endsWith(want)
          && b.textContent.length > want.length + 1;
      }));
      check(`${label}: every margin note has a named "more" button`, opens.length > 0 && opens.every(Boolean));
      await page.click('.gl-notes > ol > li .gl-open');
      await page.waitForTimeout(100);
      check(`${label}: "more" opens the note in place`, await popOpen(page));
      await page.keyboard.press('Escape');
      await page.waitForTimeout(100);
    } else {
      check(`${label}: notes list below the text (no margin)`, !margin);
      const below = await page.evaluate(() => document.querySelector('.gl-notes').getBoundingClientRect().top
        >= document.querySelector('.gl-body').getBoundingClientRect().bottom);
      check(`${label}: notes list follows the text`, below);
    }
  });

  await step(`${label}: keyboard`, async () => {
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
    let id = null;
    for (let i = 0; i < 120 && !id; i++) {
      await page.keyboard.press('Tab');
      id = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.matches('.gl-ref a') ? a.id : null;
      });
    }
    check(`${label}: Tab reaches a highlight's reference`, !!id);
    if (!id) return;
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    check(`${label}: Enter opens its note`, await popOpen(page));
    const info = await page.evaluate((refId) => {
      const pop = document.getElementById('gl-pop');
      const b = pop.getBoundingClientRect(), r = document.getElementById(refId).getBoundingClientRect();
      const note = document.getElementById('note-' + refId.slice(4));
      return {
        inside: b.left >= 0 && b.right <= document.documentElement.clientWidth + 1,
        below: b.top >= r.bottom - 1,
        margin: b.left >= document.querySelector('.gl-body').getBoundingClientRect().right,
        same: pop.textContent.includes(note.querySelector('.gl-note-head').textContent.trim()),
        focus: pop.contains(document.activeElement),
        visible: document.elementFromPoint(b.left + b.width / 2, Math.min(b.top + 20, innerHeight - 1)) !== null
          && pop.contains(document.elementFromPoint(b.left + b.width / 2, Math.min(b.top + 20, innerHeight - 1))),
      };
    }, id);
    check(`${label}: the open note is the highlight's note`, info.same);
    check(`${label}: the open note is on screen and on top`, info.inside && info.visible);
    check(`${label}: focus moves into the open note`, info.focus);
    if (W >= 1100) check(`${label}: the note opens in the margin`, info.margin);
    else check(`${label}: the note opens in place, below its line`, info.below);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(100);
    check(`${label}: Escape closes the note`, !(await popOpen(page)) && !(await page.isVisible('#gl-pop')));
    check(`${label}: focus returns to the reference`, await page.evaluate((refId) => document.activeElement.id === refId, id));
  });

  await step(`${label}: pointer`, async () => {
    const refs = await page.$$('.gl-ref a');
    const ref = refs[Math.min(3, refs.length - 1)];
    await ref.scrollIntoViewIfNeeded();
    if (opts.hasTouch) await ref.tap(); else await ref.click();
    await page.waitForTimeout(100);
    check(`${label}: ${opts.hasTouch ? 'a tap' : 'a click'} opens a note`, await popOpen(page));
    check(`${label}: opening a note keeps the address`, page.url() === url);
    await page.click('#gl-pop .gl-pop-close');
    await page.waitForTimeout(100);
    check(`${label}: the close button closes it`, !(await popOpen(page)));
  });

  await step(`${label}: axe with a note open`, async () => {
    await page.locator('.gl-ref a').first().click();
    await page.evaluate(AXE);
    const v = await page.evaluate(async () => (await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }))
      .violations.map((x) => `${x.id} (${x.nodes[0].target.join(' ')})`));
    check(`${label}: axe: no WCAG violation with a note open`, v.length === 0, v.join(', '));
    await page.keyboard.press('Escape');
  });

  await step(`${label}: highlights switch`, async () => {
    const on = await markBg(page);
    const toggle = page.locator('.gl-toggle');
    check(`${label}: the switch is a pressed button`, (await toggle.getAttribute('aria-pressed')) === 'true' && await toggle.isVisible());
    await toggle.focus();
    await page.keyboard.press('Space');
    const off = await markBg(page);
    check(`${label}: switching off clears the highlights`, off !== on && (await toggle.getAttribute('aria-pressed')) === 'false', `${on} -> ${off}`);
    check(`${label}: switching off hides the references`, !(await page.locator('.gl-ref').first().isVisible()));
    await page.reload({ waitUntil: 'load' });
    check(`${label}: the switch is remembered`, (await markBg(page)) === off
      && (await page.locator('.gl-toggle').getAttribute('aria-pressed')) === 'false');
    await page.locator('.gl-toggle').click();
    check(`${label}: switching on restores the highlights`, (await markBg(page)) === on
      && (await page.locator('.gl-toggle').getAttribute('aria-pressed')) === 'true');
  });

  check(`${label}: no script errors`, page.errors.length === 0, page.errors.join(' | '));
  await page.close2();
}

async function darkAxe(label, opts) {
  const page = await newPage({ ...opts, colorScheme: 'dark' });
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(AXE);
  const v = await page.evaluate(async () => (await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }))
    .violations.map((x) => `${x.id} (${x.nodes[0].target.join(' ')})`));
  check(`${label}: axe: no WCAG violation in dark mode`, v.length === 0, v.join(', '));
  await page.close2();
}

async function noScript() {
  const page = await newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await page.goto(url, { waitUntil: 'load' });
  check('no JS: the notes list is shown', await page.isVisible('.gl-notes > ol > li'));
  check('no JS: the switch is not offered', !(await page.isVisible('.gl-toggle')));
  const ref = page.locator('.gl-ref a').first();
  const href = await ref.getAttribute('href');
  await ref.click();
  check('no JS: a reference leads to its note', page.url().endsWith(href)
    && await page.evaluate((h) => document.querySelector(h).matches(':target'), href));
  const back = page.locator(`${href} .gl-back`);
  await back.click();
  check('no JS: the note leads back to the text', page.url().endsWith(await back.getAttribute('href')));
  await page.close2();
}

async function print() {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  check('print: notes are printed in full, below the text', await page.evaluate(() => {
    const li = document.querySelector('.gl-notes > ol > li');
    return getComputedStyle(li).position === 'static' && !!li.querySelector('.gl-note-text, .gl-sources, .gl-note-gist')
      && li.getBoundingClientRect().top >= document.querySelector('.gl-body').getBoundingClientRect().bottom;
  }));
  check('print: highlight kinds keep their line styles', await page.evaluate(() =>
    ['claim', 'quote', 'note', 'correction'].map((k) => document.querySelector(`.gl-body mark.gl-${k}`))
      .filter(Boolean).map((m) => getComputedStyle(m).textDecorationStyle)
      .every((s, i, all) => s !== 'none' && all.indexOf(s) === i)));
  await page.close2();
}

async function searchPage() {
  if (!fs.existsSync(path.join(SITE, 'search', 'index.html'))) return;
  const html = fs.readFileSync(path.join(SITE, ARTICLE, 'index.html'), 'utf8');
  const title = (html.match(/<h1[^>]*>([^<]*)</) || ['', ''])[1].trim();
  const word = title.split(/\s+/).find((w) => w.length >= 5) || title;
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(origin + 'search/', { waitUntil: 'load' });
  check('search: the box has a visible label', await page.isVisible('label[for="gl-q"]'));
  // The query side of the tokenizer contract: search.js as published folds the shared
  // vectors (tests/search_vectors.json, which the Rust tokenizer's test reads too) to the
  // words the index has, in this browser's regular expressions and case mapping.
  const vectors = JSON.parse(fs.readFileSync(new URL('../search_vectors.json', import.meta.url), 'utf8')).words;
  const js = fs.readFileSync(path.join(SITE, 'search.js'), 'utf8');
  const from = js.indexOf('const FOLD'), to = js.indexOf('const fileName');
  check('search: search.js has its tokenizer where the vectors test looks', from > 0 && to > from);
  const folded = await page.evaluate(([src, texts]) => {
    const words = new Function(`${src}\nreturn words;`)();
    return texts.map((t) => words(t));
  }, [js.slice(from, to), vectors.map((v) => v.text)]);
  const wrong = vectors.filter((v, i) => JSON.stringify(folded[i]) !== JSON.stringify(v.words))
    .map((v) => `${JSON.stringify(v.text)} → ${JSON.stringify(folded[vectors.indexOf(v)])}, not ${JSON.stringify(v.words)}`);
  check(`search: the query tokenizer agrees with the index's on ${vectors.length} shared cases`, wrong.length === 0, wrong.join('; '));
  const finds = async (q) => {
    await page.fill('#gl-q', q);
    await page.press('#gl-q', 'Enter');
    await page.waitForFunction((q) => document.getElementById('gl-search-status').textContent.includes(q), q, { timeout: 10000 });
    return page.$$eval('.gl-result-link', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  };
  const hits = await finds(word);
  check(`search: "${word}" finds the article`, hits.some(([t]) => t.includes(title)), JSON.stringify(hits.slice(0, 5)));
  check('search: results link into the site', hits.length > 0 && hits.every(([, h]) => h.startsWith(origin)));
  // A word of the text inflected as the text never has it ("Milliarde" → "Milliarden").
  const plain = await page.evaluate(async (u) => {
    const doc = new DOMParser().parseFromString(await (await fetch(u)).text(), 'text/html');
    return (doc.querySelector('.gl-body') || doc.body).textContent;
  }, origin + ARTICLE);
  const seen = new Set(plain.toLowerCase().match(/\p{L}+/gu));
  const inflect = (w) => w + (w.endsWith('e') ? 'n' : 'e');
  const nouns = plain.match(/\p{Lu}\p{Ll}{6,}/gu) || [];
  const base = [...nouns.filter((w) => w.endsWith('e')), ...nouns].find((w) => !seen.has(inflect(w).toLowerCase()));
  if (base) {
    const other = inflect(base);
    const hits2 = await finds(other);
    check(`search: "${other}" (the text has "${base}") finds the article`, hits2.some(([t]) => t.includes(title)), JSON.stringify(hits2.slice(0, 5)));
  } else check('search: a word to inflect', false);
  const status = await page.getAttribute('#gl-search-status', 'role');
  check('search: the result count is announced (role=status)', status === 'status');
  await page.fill('#gl-q', 'zzqxjv');
  await page.press('#gl-q', 'Enter');
  check('search: no results says so', await page.waitForFunction(() => document.querySelectorAll('.gl-result').length === 0
    && document.getElementById('gl-search-status').textContent.includes('zzqxjv'), null, { timeout: 5000 }).then(() => true, () => false));
  check('search: no script errors', page.errors.length === 0, page.errors.join(' | '));
  await page.close2();
}

try {
  await step('desktop', () => reader('desktop 1280', { viewport: { width: 1280, height: 900 } }));
  await step('phone', () => reader('phone 390', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }));
  await step('dark desktop', () => darkAxe('desktop 1280', { viewport: { width: 1280, height: 900 } }));
  await step('dark phone', () => darkAxe('phone 390', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }));
  await step('no JS', noScript);
  await step('print', print);
  await step('search', searchPage);
  check('no request to another host', foreign.length === 0, [...new Set(foreign)].slice(0, 5).join(' '));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
