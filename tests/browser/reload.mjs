// Live reload in a real browser: opens a page of a running `skillpress serve`,
// edits a source file, and waits for the open page to show the change by
// itself. tests/browser.rs runs it.
//
//   node reload.mjs --url PAGE --file PATH --from TEXT --to TEXT
//
// Exit status: 0 when the page updated within 20 s without any action, 1 otherwise.

import fs from 'node:fs';
import { launch } from './chromium.mjs';

const opts = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = argv[i + 1];
if (!opts.url || !opts.file || !opts.from || !opts.to) {
  console.error('usage: node reload.mjs --url PAGE --file PATH --from TEXT --to TEXT');
  process.exit(2);
}

const browser = await launch();
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(opts.url);
const before = await page.textContent('main');
let failed = null;
if (!before.includes(opts.from)) failed = `the page does not show "${opts.from}" before the edit`;
else if (before.includes(opts.to)) failed = `the page already shows "${opts.to}"`;
else {
  // Let the reload script connect to the event stream before saving.
  await page.waitForTimeout(500);
  const source = fs.readFileSync(opts.file, 'utf8');
  const started = Date.now();
  fs.writeFileSync(opts.file, source.replace(opts.from, opts.to));
  try {
    await page.waitForFunction((to) => document.querySelector('main')?.textContent.includes(to), opts.to, { timeout: 20000, polling: 50 });
    console.log(`the open page showed the edit ${Date.now() - started} ms after the save`);
  } catch {
    failed = `the open page did not show "${opts.to}" within 20 s of the save`;
  }
}
await browser.close();
if (errors.length) failed = failed ?? `page errors: ${errors.join('; ')}`;
if (failed) {
  console.error(failed);
  process.exit(1);
}
