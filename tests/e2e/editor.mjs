// The preview's editor, driven in headless Chromium (run by editor.sh, which serves the site).
//   node editor.mjs SITE_DIR PORT READ_ONLY_SITE_DIR READ_ONLY_PORT
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, require } from './browser.mjs';

const [SITE, PORT, RO_SITE, RO_PORT] = process.argv.slice(2);
const FILE = path.join(SITE, 'content/2019/rat.md');
const ORIGIN = `http://127.0.0.1:${PORT}`;
const PAGE = `${ORIGIN}/2019/rat/`;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ':\n' + detail : ''}`); }
}
const read = () => fs.readFileSync(FILE, 'utf8');
function sameFile(name, expected) {
  const got = read();
  check(`${name}: the whole file is as expected`, got === expected, got === expected ? '' : `--- expected\n${expected}\n--- got\n${got}`);
}

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
page.on('dialog', (d) => d.accept());
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

async function open() {
  await page.goto(PAGE);
  await page.waitForSelector('html[data-gloss-editor=ready]', { timeout: 10000 });
}

// Selects from the start of `from` to the end of `to` (words of the body) by script.
async function selectWords(from, to = from) {
  await page.evaluate(([from, to]) => {
    const body = document.querySelector('.gl-body');
    const nodes = [];
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    const a = nodes.find((n) => n.data.includes(from));
    const b = nodes.find((n, i) => i >= nodes.indexOf(a) && n.data.includes(to));
    const r = document.createRange();
    r.setStart(a, a.data.indexOf(from));
    r.setEnd(b, b.data.indexOf(to) + to.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }, [from, to]);
}

// The screen point of character `at` of the first text node holding `words`.
async function pointOf(words, at) {
  return page.evaluate(([words, at]) => {
    const walker = document.createTreeWalker(document.querySelector('.gl-body'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.data.indexOf(words);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i + at);
      r.setEnd(n, i + at + 1);
      const b = r.getBoundingClientRect();
      return { x: b.left + 1, y: b.top + b.height / 2 };
    }
    return null;
  }, [words, at]);
}

async function toolbarButton(label) {
  await page.waitForSelector('.gl-edit-toolbar:not([hidden])', { timeout: 5000 });
  return page.locator('.gl-edit-toolbar button', { hasText: label }).first();
}

async function saveAndReload(waitFor) {
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  await page.locator('.gl-edit-dialog button[type=submit]').click();
  await reloaded;
  await page.waitForSelector('html[data-gloss-editor=ready]', { timeout: 10000 });
  if (waitFor) await page.waitForSelector(waitFor, { timeout: 10000 });
}

const original = read();
await open();
check('the served article page carries the editor', await page.locator('#gloss-editor').count() === 1);

// 1. A claim, selected by mouse, across the emphasis: verdict from the scale, claimant from
// the registry, conclusion, a source.
{
  const a = await pointOf('Stadtrat', 0);
  const b = await pointOf(' beschloss am Montag', ' beschloss am'.length);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await (await toolbarButton('Behauptung')).click();
  const dialog = page.locator('.gl-edit-dialog');
  check('the claim form shows the selected words', (await dialog.locator('q').textContent()).includes('Stadtrat beschloss am'));
  check('the claim form offers the site\'s verdicts with their words', await dialog.locator('.gl-edit-verdicts .gl-verdict').count() === 7
    && await dialog.locator('.gl-edit-verdicts label', { hasText: 'Überwiegend falsch' }).count() === 1);
  check('the claimant field suggests the registry\'s people', await dialog.locator('datalist option[value="Erika Muster"]').count() === 1);
  if (process.env.GLOSS_E2E_SCREENSHOT) await page.screenshot({ path: process.env.GLOSS_E2E_SCREENSHOT });
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.length}`));
  check('axe finds nothing on the page with the claim form open', violations.length === 0, violations.join('\n'));
  await dialog.getByLabel('Behauptung (was behauptet wird').fill('Der Stadtrat beschloss am Montag den Haushalt');
  await dialog.getByLabel('Behauptet von').fill('Erika Muster');
  await dialog.locator('label', { hasText: 'Überwiegend falsch' }).click();
  await dialog.getByLabel('Fazit').fill('Überwiegend falsch: Es war ein Dienstag.');
  await dialog.getByRole('button', { name: 'Quelle hinzufügen' }).click();
  await dialog.getByLabel('Adresse').fill('https://example.org/protokoll');
  await dialog.getByLabel('Titel').fill('Protokoll der Sitzung');
  await dialog.getByLabel('Abgerufen').fill('2019-07-25');
  await saveAndReload('mark[data-gl="claim-stadtrat-beschloss-am"]');
}
let expected = original.replace('+++\nDer *Stadtrat*', `
[[claim]]
text = "Stadtrat beschloss am"
claim = "Der Stadtrat beschloss am Montag den Haushalt"
by = "Erika Muster"
verdict = "mostly-false"
conclusion = "Überwiegend falsch: Es war ein Dienstag."
sources = [
  { title = "Protokoll der Sitzung", url = "https://example.org/protokoll", accessed = 2019-07-25 },
]
+++
Der *Stadtrat*`);
sameFile('claim', expected);
check('the reloaded page highlights the claim', await page.locator('mark.gl-claim[data-gl="claim-stadtrat-beschloss-am"]').count() >= 1);

// 2. A figure, selected by keyboard (shift and arrows).
{
  await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector('.gl-body'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.data.indexOf('40 Millionen');
      if (i >= 0) { window.getSelection().setBaseAndExtent(n, i, n, i + 1); return; }
    }
  });
  await page.keyboard.down('Shift');
  for (let i = 1; i < '40 Millionen Euro'.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.up('Shift');
  await page.waitForSelector('.gl-edit-toolbar:not([hidden])', { timeout: 5000 });
  await page.keyboard.press('Alt+Shift+A');
  check('Alt+Shift+A moves to the toolbar', await page.evaluate(() => document.activeElement.closest('.gl-edit-toolbar') !== null));
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  check('arrow keys move along the toolbar', (await page.evaluate(() => document.activeElement.textContent)) === 'Zahl');
  await page.keyboard.press('Enter');
  const dialog = page.locator('.gl-edit-dialog');
  await dialog.getByLabel('Wert').fill('40000000');
  await dialog.getByLabel('Einheit').fill('EUR');
  await dialog.getByLabel('Anmerkung').fill('Der Haushalt 2020.');
  await saveAndReload('[data-gl="figure-40-millionen-euro"]');
}
expected = expected.replace('+++\nDer *Stadtrat*', `
[[figure]]
text = "40 Millionen Euro"
value = "40000000"
unit = "EUR"
note = "Der Haushalt 2020."
+++
Der *Stadtrat*`);
sameFile('figure', expected);

// 3. A quote, a correction and a second note, selected by script.
await selectWords('Wir sparen', 'können.');
await (await toolbarButton('Zitat')).click();
{
  const dialog = page.locator('.gl-edit-dialog');
  await dialog.getByLabel('Sprecher').fill('Erika Muster');
  await dialog.getByLabel('Rolle').fill('Bürgermeisterin');
  await saveAndReload('mark.gl-quote');
}
expected = expected.replace('+++\nDer *Stadtrat*', `
[[quote]]
text = "Wir sparen, wo wir können."
speaker = "Erika Muster"
role = "Bürgermeisterin"
+++
Der *Stadtrat*`);
sameFile('quote', expected);

await selectWords('Hans Maier');
await (await toolbarButton('Korrektur')).click();
{
  const dialog = page.locator('.gl-edit-dialog');
  await dialog.getByLabel('Richtig').fill('Hans Meier');
  await dialog.getByLabel('Anmerkung').fill('Falsch geschrieben.\n\nGemeint ist der Kämmerer.');
  await saveAndReload('mark.gl-correction');
}
expected = expected.replace('+++\nDer *Stadtrat*', `
[[correction]]
text = "Hans Maier"
correct = "Hans Meier"
note = """
Falsch geschrieben.

Gemeint ist der Kämmerer.
"""
+++
Der *Stadtrat*`);
sameFile('correction', expected);

// "Montag" is twice in the text: the second, with the word before it that tells them apart.
await selectWords('Montag war');
await page.evaluate(() => { const s = window.getSelection(); const r = s.getRangeAt(0); r.setEnd(r.startContainer, r.startOffset + 'Montag'.length); s.removeAllRanges(); s.addRange(r); });
await (await toolbarButton('Hinweis')).click();
await page.locator('.gl-edit-dialog').getByLabel('Anmerkung').fill('Der 22. Juli.');
await saveAndReload('mark.gl-note[data-gl="note-montag"]');
expected = expected.replace(`note = "Der Rat der Stadt."\n`, `note = "Der Rat der Stadt."

[[note]]
text = "Montag"
prefix = "Der"
note = "Der 22. Juli."
`);
sameFile('second note, after the first', expected);

// A selection inside a note is refused with the reason, and nothing is written.
{
  await page.evaluate(() => {
    const p = document.querySelector('#note-note-stadtrat .gl-note-text p');
    const r = document.createRange();
    r.selectNodeContents(p);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(r);
  });
  await (await toolbarButton('Hinweis')).click();
  const said = await page.locator('.gl-edit-status').textContent();
  check('a selection inside a note is refused with the reason', said.includes('nicht zu seinen Anmerkungen'), said);
  sameFile('nothing written for a selection inside a note', expected);
}

// 4. Edit from the note, then delete.
// By keyboard: margin notes may lie over each other until one has the focus.
await page.locator('#note-note-stadtrat button', { hasText: 'Bearbeiten' }).focus();
await page.keyboard.press('Enter');
{
  const dialog = page.locator('.gl-edit-dialog');
  check('the edit form holds the note as written', (await dialog.getByLabel('Anmerkung').inputValue()) === 'Der Rat der Stadt.');
  await dialog.getByLabel('Anmerkung').fill('Der Rat der Stadt, gewählt 2014.');
  await saveAndReload();
  await page.waitForFunction(() => document.querySelector('#note-note-stadtrat').textContent.includes('gewählt 2014'), null, { timeout: 10000 });
}
expected = expected.replace('note = "Der Rat der Stadt."', 'note = "Der Rat der Stadt, gewählt 2014."');
sameFile('edit', expected);

{
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  await page.locator('[id="note-claim-stadtrat-beschloss-am"] button', { hasText: 'Löschen' }).focus();
  await page.keyboard.press('Enter');
  await reloaded;
  await page.waitForSelector('html[data-gloss-editor=ready]');
}
expected = expected.replace(/\n\[\[claim\]\]\n[^]*?\]\n(?=\n\[\[figure\]\])/, '');
sameFile('delete', expected);
check('the deleted claim is no longer highlighted', await page.locator('mark.gl-claim').count() === 0);

const checked = (() => {
  try { return { ok: true, out: execFileSync(process.env.GLOSS, ['check'], { cwd: SITE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) }; }
  catch (e) { return { ok: false, out: `${e.stdout}${e.stderr}` }; }
})();
check('gloss check is clean after the edits', checked.ok && checked.out.includes(' 0 orphaned; 0 errors, 0 warnings'), checked.out);

// 5. Who else may not write. The token, as the served page carries it.
const cfg = JSON.parse(await page.locator('#gloss-editor').textContent());
const body = (p = cfg.path) => JSON.stringify({ path: p, fingerprint: cfg.fingerprint, action: 'add', kind: 'note',
  selection: { exact: 'Feiertag', prefix: '', suffix: '' }, fields: { note: 'x' } });
function post(headers, data, port = PORT) {
  return new Promise((ok) => {
    const req = http.request({ host: '127.0.0.1', port, path: cfg.endpoint, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => { let t = ''; res.on('data', (c) => { t += c; }); res.on('end', () => ok({ status: res.statusCode, text: t })); });
    req.end(data);
  });
}
const own = { host: `127.0.0.1:${PORT}`, origin: ORIGIN, 'x-gloss-token': cfg.token };
const before = read();
for (const [name, headers, data] of [
  ['a request from another site (Origin)', { ...own, origin: 'http://evil.example' }, body()],
  ['a request without the token', { host: own.host, origin: own.origin }, body()],
  ['a request with another run\'s token', { ...own, 'x-gloss-token': '0'.repeat(32) }, body()],
  ['a request naming another host (DNS rebinding)', { ...own, host: `evil.example:${PORT}`, origin: `http://evil.example:${PORT}` }, body()],
  ['a request for a file outside content/', own, body('outside.md')],
  ['a request for a file outside content/ by ..', own, body('content/../outside.md')],
]) {
  const r = await post(headers, data);
  check(`${name} is refused`, r.status === 403, `${r.status} ${r.text}`);
}
const big = await post(own, JSON.stringify({ path: cfg.path, pad: 'x'.repeat(20000) }));
check('a large request is refused', big.status === 413, `${big.status}`);
check('the refused requests changed nothing', read() === before && fs.readFileSync(path.join(SITE, 'outside.md'), 'utf8') === 'secret = true\n');

// A page of another site tries it in the browser.
{
  const evil = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>x</title><script>
      fetch(${JSON.stringify(`${ORIGIN}${cfg.endpoint}`)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body())} })
        .finally(() => { fetch(${JSON.stringify(`${ORIGIN}${cfg.endpoint}`)}, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gloss-token': ${JSON.stringify(cfg.token)} }, body: ${JSON.stringify(body())} })
        .catch(() => {}).finally(() => { document.title = 'done'; }); });
    </script>`);
  });
  await new Promise((ok) => evil.listen(0, '127.0.0.1', ok));
  const other = await ctx.newPage();
  await other.goto(`http://localhost:${evil.address().port}/`);
  await other.waitForFunction(() => document.title === 'done', null, { timeout: 10000 });
  check('a page of another site, even knowing the token, cannot write', read() === before);
  await other.close();
  evil.close();
}

// A file changed on disk since its page was served is not overwritten: the form says so and
// offers to reload. (Live reload is held back, so that the page still is the old one.)
{
  const stale = await ctx.newPage();
  await stale.route('**/_tower-livereload/**', (r) => r.abort());
  await stale.goto(PAGE);
  await stale.waitForSelector('html[data-gloss-editor=ready]', { timeout: 10000 });
  const changed = `${read()}\nEin neuer Absatz von anderswo.\n`;
  fs.writeFileSync(FILE, changed);
  await stale.locator('#note-note-stadtrat button', { hasText: 'Bearbeiten' }).focus();
  await stale.keyboard.press('Enter');
  const dialog = stale.locator('.gl-edit-dialog');
  await dialog.getByLabel('Anmerkung').fill('Überschrieben?');
  await dialog.locator('button[type=submit]').click();
  await dialog.locator('.gl-edit-error p').waitFor({ timeout: 5000 });
  const said = await dialog.locator('.gl-edit-error').textContent();
  check('a save over a file changed on disk is refused and says so', said.includes('Die Datei hat sich geändert') && read() === changed, said);
  const fingerprint = () => stale.evaluate(() => JSON.parse(document.getElementById('gloss-editor').textContent).fingerprint);
  const old = await fingerprint();
  const reloaded = stale.waitForEvent('load', { timeout: 10000 });
  await dialog.getByRole('button', { name: 'Neu laden' }).click();
  await reloaded;
  check('and offers to reload the page, which then knows the file as it is', (await fingerprint()) !== old);
  await stale.close();
}

// 6. --read-only.
{
  const ro = await ctx.newPage();
  await ro.goto(`http://127.0.0.1:${RO_PORT}/2019/rat/`);
  check('a --read-only preview offers no editor', await ro.locator('#gloss-editor, .gl-edit-toolbar').count() === 0);
  const roFile = path.join(RO_SITE, 'content/2019/rat.md');
  const roBefore = fs.readFileSync(roFile, 'utf8');
  const r = await post({ host: `127.0.0.1:${RO_PORT}`, origin: `http://127.0.0.1:${RO_PORT}`, 'x-gloss-token': cfg.token }, body(), RO_PORT);
  check('a --read-only preview refuses to write', r.status === 403 && fs.readFileSync(roFile, 'utf8') === roBefore, `${r.status} ${r.text}`);
  await ro.close();
}

check('no script errors on the page', errors.length === 0, errors.join('\n'));
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
