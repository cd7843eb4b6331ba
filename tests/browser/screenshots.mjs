// Screenshots for a person to look at (not a test): pages at phone and desktop
// width, at normal text and in the 适老化 large-text mode.
//
//   node screenshots.mjs --site URL --out DIR [--full] [--dark] PATH…
//
// Writes DIR/<name>-<width>-<normal|large>[-dark].png for every PATH; the first
// screen only unless --full.

import fs from 'node:fs';
import path from 'node:path';
import { launch } from './chromium.mjs';

const argv = process.argv.slice(2);
let site = null, out = null, full = false, dark = false;
const paths = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--site') site = new URL(argv[++i]);
  else if (argv[i] === '--out') out = argv[++i];
  else if (argv[i] === '--full') full = true;
  else if (argv[i] === '--dark') dark = true;
  else paths.push(argv[i]);
}
if (!site || !out || paths.length === 0) {
  console.error('usage: node screenshots.mjs --site URL --out DIR [--full] [--dark] PATH…');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const browser = await launch();
for (const width of [390, 1366]) {
  for (const mode of ['normal', 'large']) {
    const context = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, locale: 'zh-CN', colorScheme: dark ? 'dark' : 'light' });
    if (mode === 'large') await context.addInitScript(() => localStorage.setItem('skillpress-large-text', '1'));
    const page = await context.newPage();
    for (const p of paths) {
      await page.goto(new URL(p.replace(/^\//, ''), site).href);
      const name = p.replace(/^\/|\/$/g, '').replaceAll('/', '_') || 'home';
      const file = path.join(out, `${name}-${width}-${mode}${dark ? '-dark' : ''}.png`);
      await page.screenshot({ path: file, fullPage: full });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
