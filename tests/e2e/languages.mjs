// A site in several languages in headless Chromium (run by languages.sh, which builds
// tests/fixtures/multilingual): each language's search page reads that language's index
// only, and a form of a word the text does not have, but which Snowball stems as one it has
// (the index's stems are Rust's rust-stemmers), finds the article; the switcher links each
// translation, labelled in its own language.
import path from 'node:path';
import { launch, serve } from './browser.mjs';

const [SITE] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`); }
}

const server = await serve(path.resolve(SITE));
const origin = `http://127.0.0.1:${server.address().port}/`;
const browser = await launch();
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

const DE = 'Microsoft Investiert in OpenAI';
const EN = 'Microsoft Invests in OpenAI';
const FR = 'Valmont-sur-Lac veut doubler';

async function finds(home, q) {
  await page.goto(origin + home + 'search/', { waitUntil: 'load' });
  await page.fill('#gl-q', q);
  await page.press('#gl-q', 'Enter');
  await page.waitForFunction((q) => document.getElementById('gl-search-status').textContent.includes(q), q, { timeout: 10000 });
  return page.$$eval('.gl-result-link', (as) => as.map((a) => [a.textContent, a.href]));
}
const has = (hits, title) => hits.some(([t]) => t.includes(title));

try {
  // Each language's index, and only its own: "Microsoft" is in the German and the English text.
  let hits = await finds('', 'Microsoft');
  check('de: "Microsoft" finds the German article', has(hits, DE), JSON.stringify(hits.slice(0, 3)));
  check('de: and not the English one', !has(hits, EN));
  check('de: results stay in German', hits.every(([, h]) => !h.includes('/en/') && !h.includes('/fr/')), JSON.stringify(hits));
  hits = await finds('en/', 'Microsoft');
  check('en: "Microsoft" finds the English article', has(hits, EN), JSON.stringify(hits.slice(0, 3)));
  check('en: and not the German one', !has(hits, DE));
  check('en: results link into the English pages', hits.length > 0 && hits.every(([, h]) => h.startsWith(origin + 'en/')), JSON.stringify(hits));
  hits = await finds('fr/', 'Microsoft');
  check('fr: "Microsoft" finds nothing (no French article names it)', hits.length === 0, JSON.stringify(hits));

  // Stemmed per language: a form the text does not have, of a stem it has. The text has the
  // form on the right; Snowball gives both one stem (src/build/search.rs tests the pairs).
  for (const [home, title, q, text] of [
    ['', DE, 'Investitionen', 'Investition'],
    ['en/', EN, 'partnerships', 'partnership'],
    ['en/', EN, 'investments', 'investment'],
    ['fr/', FR, 'investissement', 'investissements'],
    ['fr/', FR, 'piste', 'pistes'],
    ['fr/', FR, 'investissement vélo', 'investissements … vélo'],
  ]) {
    hits = await finds(home, q);
    check(`${home || 'de/'}: "${q}" (the text has "${text}") finds the article`, has(hits, title), JSON.stringify(hits.slice(0, 3)));
  }
  // A German word is not found on the English page, though its article is on the site.
  hits = await finds('en/', 'Investition');
  check('en: the German "Investition" finds nothing', hits.length === 0, JSON.stringify(hits));

  // The switcher leads to each translation, in its own language.
  await page.goto(origin + 'de/microsoft-openai/', { waitUntil: 'load' });
  const link = page.locator('nav.gl-languages a[hreflang="en"]');
  check('switcher: the German page links the English one, in English', (await link.textContent()) === 'English' && (await link.getAttribute('lang')) === 'en');
  await link.click();
  await page.waitForLoadState('load');
  check('switcher: it leads to the English translation', page.url() === origin + 'en/microsoft-openai/' && (await page.locator('h1').textContent()).includes(EN), page.url());
  check('no script errors', errors.length === 0, errors.join(' | '));
} catch (e) {
  check('languages', false, e.message.split('\n')[0]);
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
