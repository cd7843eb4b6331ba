// Search in a real browser: types each query into the /search/ page of a
// served site and checks the first result. tests/browser.rs runs it.
//
//   node search.mjs --site URL --expect QUERY=PATH [--expect …] [--parts]
//
// --parts: the site's index is in parts (pagefind/parts.json lists at least
// one beyond the first); each query must load a result from a later part
// (pagefind/part-N/fragment/…), and the first result's link must open the
// page, which shows the query's text.
//
// PATH is the first result's path below the site (`brands/changyuan-chushi/`).
// The header box is also checked: with JavaScript it is a search form, and
// submitting it lands on the search page with the results.
// Exit status: 0 when every query's first result is right, 1 otherwise.

import { launch } from './chromium.mjs';


const args = process.argv.slice(2);
let site = null;
const expectations = [];
let parts = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--site') site = new URL(args[++i]);
  else if (args[i] === '--parts') parts = true;
  else if (args[i] === '--expect') {
    const [query, path] = args[++i].split('=');
    expectations.push({ query, path });
  }
}
if (!site || expectations.length === 0) {
  console.error('usage: node search.mjs --site URL --expect QUERY=PATH …');
  process.exit(2);
}

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
// Fragments (one per shown result) fetched from the later parts of the index.
let partFragments = [];
page.on('request', (r) => { if (/\/pagefind\/part-\d+\/fragment\//.test(r.url())) partFragments.push(r.url()); });

if (parts) {
  const listed = await (await page.request.get(new URL('pagefind/parts.json', site).href)).json();
  console.log(`pagefind/parts.json: ${JSON.stringify(listed)}`);
  if (listed.length < 1) problems.push(`pagefind/parts.json lists no part beyond the first: ${JSON.stringify(listed)}`);
}

async function firstResult(query) {
  await page.waitForFunction(() => /找到|没有找到|无法使用/.test(document.getElementById('search-status').textContent), null, { timeout: 20000 });
  const status = await page.textContent('#search-status');
  const first = await page.$eval('#search-results li a', (a) => ({ href: a.getAttribute('href'), title: a.textContent }), null).catch(() => null);
  const kind = await page.$eval('#search-results li .search-kind', (p) => p.textContent).catch(() => '');
  const marked = await page.$$eval('#search-results li:first-child mark', (ms) => ms.length).catch(() => 0);
  return { query, status, first, kind, marked };
}

for (const { query, path } of expectations) {
  // Typed into the page's own box, as a reader would.
  await page.goto(new URL('search/', site).href);
  partFragments = [];
  await page.fill('#search-q', query);
  await page.press('#search-q', 'Enter');
  const got = await firstResult(query);
  const want = new URL(path, site).pathname;
  const line = `${query} → ${got.first ? `${got.first.href}（${got.kind}：${got.first.title}）` : '无结果'} · ${got.status}`;
  console.log(line);
  if (!got.first || got.first.href !== want) problems.push(`"${query}": first result should be ${want}; got ${line}`);
  else if (got.marked === 0) problems.push(`"${query}": the excerpt of the first result highlights nothing`);
  else if (!got.kind) problems.push(`"${query}": the first result does not say what kind of page it is`);
  if (parts && got.first) {
    if (partFragments.length === 0) problems.push(`"${query}": no result came from a later part of the index`);
    else console.log(`  from a later part: ${new URL(partFragments[0]).pathname}`);
    // The result's link opens its page, which says what was searched for.
    const response = await page.goto(new URL(got.first.href, site).href);
    const text = await page.textContent('main');
    if (!response || response.status() !== 200) problems.push(`"${query}": ${got.first.href} answered ${response && response.status()}`);
    else if (!text.replace(/\s+/g, '').includes(query)) problems.push(`"${query}": ${got.first.href} does not show the query's text`);
  }
}

// The header box: a form with JavaScript, which leads to the search page.
await page.goto(site.href);
const headerVisible = await page.isVisible('.site-search');
const linkHidden = !(await page.isVisible('.search-link'));
if (!headerVisible || !linkHidden) problems.push('with JavaScript the header should show the search box instead of the link');
else {
  const { query, path } = expectations[0];
  await page.fill('#site-search-q', query);
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL((u) => u.pathname === new URL('search/', site).pathname);
  const got = await firstResult(query);
  if (!got.first || got.first.href !== new URL(path, site).pathname) problems.push(`header box: "${query}" did not lead to ${path}`);
}

// Without JavaScript the header keeps a plain link to the search page.
const noJs = await browser.newContext({ javaScriptEnabled: false });
const plain = await noJs.newPage();
await plain.goto(site.href);
const link = await plain.$eval('.search-link', (a) => (a.hidden ? null : a.getAttribute('href'))).catch(() => null);
if (link !== new URL('search/', site).pathname) problems.push(`without JavaScript the header should link to the search page; got ${link}`);
if (await plain.isVisible('.site-search')) problems.push('without JavaScript the header search form should stay hidden');
await plain.goto(new URL('search/', site).href);
if (!(await plain.isVisible('noscript, main ul'))) problems.push('without JavaScript the search page should point to the directories');

await browser.close();
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
