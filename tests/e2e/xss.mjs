// Hostile articles stay inert in a real browser: headless Debian Chromium loads every HTML page
// of a built site, and fails on any sign of script the site's contributors wrote.
//   node xss.mjs SITE_DIR SEARCH_WORD     (run by xss.sh, which builds the hostile site)
// Signs of script: a dialog (alert/confirm/prompt, also trapped before any page script runs),
// the global `__xss` that payloads set, a request for /xss-hit. On each page: the load, focus
// moved through every focusable element (autofocus/onfocus handlers), hovering headings and
// images, and a click on every link whose address is a script. The feeds' HTML (summaries,
// correction notes) is put into a page with innerHTML, as a feed reader shows it. The search
// page is asked for SEARCH_WORD and its result links are checked the same way.
import fs from 'node:fs';
import path from 'node:path';
import { launch, serve } from './browser.mjs';

const [SITE, WORD] = process.argv.slice(2);
if (!SITE || !WORD || !fs.existsSync(path.join(SITE, 'index.html'))) {
  console.error(`usage: xss.mjs SITE_DIR SEARCH_WORD  (no index.html in ${SITE})`);
  process.exit(2);
}

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`); }
}

const hits = [];
const root = path.resolve(SITE);
const server = await serve(root, (req) => {
  if (new URL(req.url, 'http://x').pathname.includes('xss-hit')) hits.push(req.url);
});
const origin = `http://127.0.0.1:${server.address().port}/`;
const browser = await launch();

// Runs before any script of the page: a dialog is noted even if a payload hides it.
function trap() {
  window.__ran = [];
  for (const f of ['alert', 'confirm', 'prompt', 'print']) {
    const orig = window[f];
    window[f] = function (...a) { window.__ran.push(`${f}(${a.join(',')})`); return orig ? orig.apply(this, a) : undefined; };
  }
}

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(trap);
  const page = await ctx.newPage();
  page.dialogs = [];
  page.on('dialog', (d) => { page.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('popup', (p) => p.on('dialog', (d) => { page.dialogs.push(`popup ${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); }));
  return { page, close: () => ctx.close() };
}

/// What ran on `page` so far, as a list of findings.
async function ran(page) {
  const inPage = await page.evaluate(() => [...(window.__ran || []), ...(window.__xss ? [`__xss=${window.__xss}`] : [])])
    .catch(() => []);
  return [...page.dialogs, ...inPage, ...hits.splice(0).map((h) => `request ${h}`)];
}

/// Moves focus through the page, hovers what handlers hide in, and clicks every link (or
/// form button) whose address is a script: what a reader would do.
async function exercise(page) {
  await page.waitForTimeout(200);
  for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
  for (const el of await page.$$('h1, h2, h3, h4, h5, h6, img, a, span, div, p')) {
    await el.hover({ timeout: 200, force: true }).catch(() => {});
  }
  const scripted = await page.$$eval('a[href], area[href], [src], [formaction], [action]', (els) => els
    .map((el, i) => [i, el.href || el.src || el.formAction || el.action || ''])
    .filter(([, u]) => /^(javascript|vbscript|data):/i.test(String(u).trim())));
  const els = await page.$$('a[href], area[href], [src], [formaction], [action]');
  for (const [i] of scripted) await els[i].click({ timeout: 1000, force: true, noWaitAfter: true }).catch(() => {});
  await page.waitForTimeout(200);
  return scripted.map(([, u]) => `script address ${String(u).slice(0, 60)}`);
}

function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

const pages = htmlFiles(root).map((f) => path.relative(root, f)).sort();
check('the hostile site has pages to load', pages.length >= 10, String(pages.length));
const hostileName = pages.find((p) => p.startsWith('javascript:'));
check('the article named javascript:… was built', Boolean(hostileName), pages.join(' '));

try {
  for (const rel of pages) {
    const { page, close } = await newPage();
    // Each path segment encoded: the page is asked for at its own address.
    const url = origin + rel.split(path.sep).map(encodeURIComponent).join('/');
    try {
      await page.goto(url, { waitUntil: 'load' });
      const links = await exercise(page);
      const found = [...links, ...await ran(page)];
      check(`${rel}: no script of the content runs`, found.length === 0, found.join(' | '));
    } catch (e) {
      check(`${rel}: loads`, false, e.message.split('\n')[0]);
    }
    await close();
  }

  // Embeds: nothing loads before a click; a click on each button (gloss's and the forged
  // ones) loads only the player gloss built from the allow-listed address.
  {
    const { page, close } = await newPage();
    await page.goto(origin + '2019/einbettung/index.html', { waitUntil: 'load' });
    const before = await page.$$eval('iframe', (fs) => fs.length);
    check('embed: nothing from another host before the reader asks', before === 0, String(before));
    const shown = await page.$$eval('button.gl-embed-load', (bs) => bs.filter((b) => !b.hidden).length);
    check('embed: the allow-listed placeholder shows its button', shown >= 1, String(shown));
    for (const b of await page.$$('button.gl-embed-load')) {
      await b.click({ force: true, timeout: 1000 }).catch(() => {});
    }
    await page.waitForTimeout(200);
    const srcs = await page.$$eval('iframe', (fs) => fs.map((f) => f.getAttribute('src')));
    check('embed: a click loads only the player gloss built', srcs.length === 1
      && srcs[0] === 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ', srcs.join(' '));
    const found = await ran(page);
    check('embed: no script of the content runs', found.length === 0, found.join(' | '));
    await close();
  }

  // A feed reader shows the entries' HTML: put it into a page and do the same.
  for (const feed of ['feed.xml', 'corrections.xml']) {
    const { page, close } = await newPage();
    await page.goto(origin + '404.html', { waitUntil: 'load' });
    const xml = fs.readFileSync(path.join(root, feed), 'utf8');
    const n = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const parts = [...doc.querySelectorAll('summary[type="html"], content[type="html"]')].map((e) => e.textContent);
      const main = document.querySelector('main') || document.body;
      main.innerHTML = parts.join('\n');
      return parts.length;
    }, xml);
    check(`${feed}: has HTML entries to show`, n > 0, String(n));
    const links = await exercise(page);
    const found = [...links, ...await ran(page)];
    check(`${feed}: its HTML, shown as a feed reader does, runs no script`, found.length === 0, found.join(' | '));
    await close();
  }

  // Search results link to every article, the hostile name too.
  {
    const { page, close } = await newPage();
    await page.goto(origin + 'search/', { waitUntil: 'load' });
    await page.fill('#gl-q', WORD);
    await page.press('#gl-q', 'Enter');
    await page.waitForFunction((q) => document.getElementById('gl-search-status').textContent.includes(q), WORD, { timeout: 10000 });
    const results = await page.$$eval('.gl-result-link', (as) => as.map((a) => a.href));
    check(`search: "${WORD}" finds the hostile articles`, results.length >= 2, JSON.stringify(results));
    check('search: every result is a page of the site', results.every((h) => h.startsWith(origin)), JSON.stringify(results));
    const links = await exercise(page);
    const found = [...links, ...await ran(page)];
    check('search: no script of the content runs', found.length === 0, found.join(' | '));
    // The hostile name's result opens its page.
    const target = results.find((h) => decodeURIComponent(h).includes('javascript:'));
    if (target) {
      const res = await page.goto(target, { waitUntil: 'load' });
      check('search: the result for the file named javascript:… opens its page', res && res.ok(), target);
    } else check('search: a result for the file named javascript:…', false, JSON.stringify(results));
    await close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
