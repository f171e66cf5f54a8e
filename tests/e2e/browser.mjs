// What reader.mjs and xss.mjs share: playwright-core from the cache run.sh/xss.sh install into,
// a static server for a built site on 127.0.0.1, and headless Debian Chromium.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const CACHE = process.env.GLOSS_E2E_CACHE || path.join(os.homedir(), '.cache', 'gloss-e2e');
/** `require` for the packages in the cache (playwright-core, axe-core). */
export const require = createRequire(path.join(CACHE, 'package.json'));
const { chromium } = require('playwright-core');

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.jsonld': 'application/ld+json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.woff2': 'font/woff2' };

/** Serves the files below `root` on a free port of 127.0.0.1; `seen(req)` sees every request. */
export function serve(root, seen = () => {}) {
  const server = http.createServer((req, res) => {
    seen(req);
    let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(path.resolve(root))) file = '/nonexistent';
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Starts headless Chromium, or reports the failure as a failed check and exits. */
export async function launch() {
  // chromium.launch starts Chromium on a fresh temporary profile (its own --user-data-dir).
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  try {
    return await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  } catch (e) {
    console.log(`not ok - launch chromium: ${e.message.split('\n')[0]}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
