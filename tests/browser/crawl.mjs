// The browser suite: crawls a built site in headless Chromium and reports every
// problem a reader would meet. tests/browser.rs runs it; see README.md.
//
//   node crawl.mjs --site URL=DIR[=full|light] [--site …] [--only PATH,PATH] [--json FILE]
//
// URL is where the site is served (`http://127.0.0.1:PORT/skills/`), DIR the
// folder it was built into. Pages are found from sitemap.xml and by following
// links. On every page of every site:
//   - every internal link, asset and #fragment resolves (no redirects either);
//   - no request leaves the site's host; no console error, no page error
//     (the test server sends a strict CSP, so inline scripts and styles count);
//   - exactly one h1, landmarks, skip link, lang, charset, a title and a meta
//     description unique within the site;
//   - no horizontal overflow in a 390 px wide viewport.
// On a `full` site, axe-core on every page (serious and critical impact); on
// every site, the first page of each kind also fails on moderate impact, is
// checked again for contrast in dark mode and in the large-text mode, and is
// read with JavaScript disabled (main has text, one h1, the large-text toggle
// works). The Nu HTML checker runs once over every crawled HTML file.
// `--only` limits the crawl to the listed paths (links are still checked, not
// followed): the suite's own test uses it on a planted site.
//
// Exit status: 0 when nothing was found, 1 when something was, 2 on misuse.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { launch } from './chromium.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const WORKERS = Number(process.env.SKILLPRESS_CRAWL_WORKERS || 3);
const PHONE = { width: 390, height: 844 };

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const sites = [];
  let only = null;
  let json = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--site' && argv[i + 1]) {
      const [url, dir, mode = 'full'] = argv[++i].split('=');
      if (!url || !dir || !['full', 'light'].includes(mode)) usage(`bad --site ${argv[i]}`);
      sites.push({ base: new URL(url), dir: path.resolve(dir), mode });
    } else if (a === '--only' && argv[i + 1]) {
      only = argv[++i].split(',').filter(Boolean);
    } else if (a === '--json' && argv[i + 1]) {
      json = argv[++i];
    } else {
      usage(`unknown argument ${a}`);
    }
  }
  if (sites.length === 0) usage('no --site');
  return { sites, only, json };
}

function usage(message) {
  console.error(`crawl.mjs: ${message}\nusage: node crawl.mjs --site URL=DIR[=full|light] … [--only PATH,…] [--json FILE]`);
  process.exit(2);
}

// ---------------------------------------------------------------- findings

const findings = [];
function report(site, check, url, message) {
  findings.push({ site: site.base.href, check, url, message });
}

// ---------------------------------------------------------------- pages

/** The kind of a page from its path below the site's base (DESIGN.md's URL table). */
function kindOf(rel) {
  if (rel === '') return 'home';
  if (rel === '404.html') return '404';
  const [section, slug, rest] = rel.split('/');
  const lists = { regions: 'regions list', programs: 'programs list', brands: 'brands list', documents: 'documents list', metrics: 'metrics list', topics: 'topics', data: 'data' };
  const items = { regions: 'region', programs: 'program', brands: 'brand', documents: 'document', metrics: 'metric', topics: 'topic' };
  if (slug === '' && lists[section]) return lists[section];
  if (slug && rest === '' && items[section]) return items[section];
  return 'other';
}

/** Page URL without its fragment; `null` when outside the site. */
function pageKey(site, url) {
  if (url.origin !== site.base.origin || !url.pathname.startsWith(site.base.pathname)) return null;
  return url.origin + url.pathname + url.search;
}

function relPath(site, key) {
  return decodeURIComponent(new URL(key).pathname.slice(site.base.pathname.length));
}

async function sitemapPages(site) {
  const res = await fetch(new URL('sitemap.xml', site.base));
  if (!res.ok) {
    report(site, 'links', new URL('sitemap.xml', site.base).href, `sitemap.xml: HTTP ${res.status}`);
    return [];
  }
  const xml = await res.text();
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  for (const u of urls) {
    if (pageKey(site, new URL(u)) === null) report(site, 'links', 'sitemap.xml', `sitemap entry outside the site: ${u}`);
  }
  return urls;
}

// ---------------------------------------------------------------- link targets

/** Status of every internal non-page target (CSV, feed, stylesheet …), fetched once. */
const fetched = new Map();
function fetchStatus(key) {
  if (!fetched.has(key)) {
    fetched.set(key, fetch(key, { redirect: 'manual' }).then((r) => r.status, (e) => `fetch failed: ${e.message}`));
  }
  return fetched.get(key);
}

// ---------------------------------------------------------------- the crawl

const PAGE_FACTS = () => {
  // Resolved against the page; SVG links (the tile map) have no string .href, so read the attribute.
  const attr = (sel, name) => [...document.querySelectorAll(sel)].map((e) => new URL(e.getAttribute(name), document.baseURI).href);
  const meta = document.querySelector('meta[name="description"]');
  const main = document.querySelector('main');
  const skip = document.querySelector('a[href="#main"], a[href="#content"]');
  return {
    links: [
      ...attr('a[href]', 'href'), ...attr('link[href]', 'href'), ...attr('img[src]', 'src'),
      ...attr('script[src]', 'src'), ...attr('source[src]', 'src'), ...attr('iframe[src]', 'src'),
    ],
    ids: [...document.querySelectorAll('[id]')].map((e) => e.id).concat(attr('a[name]', 'name')),
    title: document.title.trim(),
    description: meta ? meta.content.trim() : null,
    lang: document.documentElement.lang,
    charset: document.characterSet,
    h1: document.querySelectorAll('h1').length,
    landmarks: ['header', 'nav', 'main', 'footer'].filter((t) => document.querySelector(t) === null),
    mainCount: document.querySelectorAll('main').length,
    mainText: main ? main.innerText.trim().length : 0,
    skip: skip !== null && document.getElementById(skip.getAttribute('href').slice(1)) !== null,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
};

async function crawlSite(browser, site, only) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  const origin = site.base.origin;
  // Every request the pages make passes here: another host is reported and never reached.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== origin) {
      report(site, 'foreign-request', route.request().frame()?.url() ?? '', `request to another host: ${url}`);
      return route.abort();
    }
    return route.continue();
  });

  const queue = [];
  const seen = new Set();
  const pages = new Map(); // key -> { ids, kind }
  const links = []; // { from, to: URL }
  const enqueue = (url) => {
    const key = pageKey(site, url);
    // Pages only: other files (CSV, feed, stylesheets) are fetched by checkLinks.
    if (key === null || seen.has(key) || !/(\/|\.html)$/.test(url.pathname)) return;
    seen.add(key);
    queue.push(key);
  };
  const follow = only === null;
  if (only) {
    for (const p of only) enqueue(new URL(p.replace(/^\//, ''), site.base));
  } else {
    enqueue(site.base);
    for (const u of await sitemapPages(site)) enqueue(new URL(u));
  }

  const titles = new Map();
  const descriptions = new Map();
  const firstOfKind = new Map();

  async function visit(page, key, state) {
    state.url = key;
    let response;
    try {
      response = await page.goto(key, { waitUntil: 'load', timeout: 30000 });
    } catch (e) {
      report(site, 'links', key, `cannot load: ${e.message.split('\n')[0]}`);
      return;
    }
    const status = response?.status();
    const type = response?.headers()['content-type'] ?? '';
    if (status !== 200) {
      report(site, 'links', key, `HTTP ${status}`);
      return;
    }
    if (!type.startsWith('text/html')) {
      pages.set(key, { ids: [], kind: 'file', html: false });
      return;
    }
    const rel = relPath(site, key);
    await checkPage(page, key, rel);
  }

  async function checkPage(page, key, rel) {
    const kind = kindOf(rel);
    const facts = await page.evaluate(PAGE_FACTS);
    pages.set(key, { ids: facts.ids, kind, html: true, rel });
    for (const href of facts.links) {
      let url;
      try { url = new URL(href); } catch { report(site, 'links', key, `unparsable link ${href}`); continue; }
      if (!['http:', 'https:'].includes(url.protocol)) continue;
      links.push({ from: key, to: url });
      if (follow) enqueue(url);
    }
    structure(key, rel, facts);
    const sample = !firstOfKind.has(kind);
    if (sample) firstOfKind.set(kind, key);
    if (site.mode === 'full' || sample) await runAxe(page, key, sample ? ['critical', 'serious', 'moderate'] : ['critical', 'serious']);
    if (sample) {
      await contrastIn(page, key, 'dark');
      await contrastIn(page, key, 'large');
    }
  }

  function structure(key, rel, f) {
    const problem = (m) => report(site, 'structure', key, m);
    if (f.h1 !== 1) problem(`${f.h1} h1 elements (want exactly one)`);
    if (f.landmarks.length) problem(`missing landmark: ${f.landmarks.join(', ')}`);
    if (f.mainCount !== 1) problem(`${f.mainCount} main elements`);
    if (f.mainText === 0) problem('main has no text');
    if (!f.skip) problem('no skip link to #main');
    if (f.lang !== 'zh-CN') problem(`lang="${f.lang}" (want zh-CN)`);
    if (f.charset !== 'UTF-8') problem(`charset ${f.charset}`);
    if (!f.title) problem('empty <title>');
    // Descriptions count characters, not bytes: 汉字 are one each.
    const len = f.description === null ? 0 : [...f.description].length;
    if (len === 0) problem('no meta description');
    else if (len > 160) problem(`meta description is ${len} characters (over 160)`);
    if (rel !== '404.html') {
      for (const [map, value, what] of [[titles, f.title, 'title'], [descriptions, f.description, 'meta description']]) {
        if (!value) continue;
        if (map.has(value)) problem(`same ${what} as ${map.get(value)}: ${value}`);
        else map.set(value, key);
      }
    }
    if (f.overflow > 0) report(site, 'overflow-390', key, `scrolls sideways by ${f.overflow} px at 390 px width`);
  }

  async function runAxe(page, key, impacts, options = {}) {
    const violations = await axeViolations(page, options);
    for (const v of violations) {
      if (!impacts.includes(v.impact)) continue;
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      report(site, `axe${options.label ? '-' + options.label : ''}`, key, `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} at ${where}`);
    }
  }

  async function contrastIn(page, key, mode) {
    if (mode === 'dark') {
      await page.emulateMedia({ colorScheme: 'dark' });
    } else {
      const box = page.locator('#a11y-toggle');
      if ((await box.count()) !== 1) {
        report(site, 'large-mode', key, 'no #a11y-toggle control on the page');
        return;
      }
      await box.check();
    }
    await runAxe(page, key, ['critical', 'serious', 'moderate'], { label: mode, rules: ['color-contrast'] });
    if (mode === 'large') {
      // The page must still fit a phone with the larger type.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) report(site, 'overflow-390', key, `large mode scrolls sideways by ${overflow} px at 390 px width`);
      await page.locator('#a11y-toggle').uncheck();
      await page.evaluate(() => localStorage.clear());
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  async function worker() {
    const page = await context.newPage();
    const state = { url: '' };
    page.on('console', (m) => {
      if (m.type() === 'error') report(site, 'console', state.url, m.text());
    });
    page.on('pageerror', (e) => report(site, 'page-error', state.url, e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') {
        report(site, 'links', state.url, `asset ${r.url()}: HTTP ${r.status()}`);
      }
    });
    while (queue.length) await visit(page, queue.shift(), state);
    await page.close();
  }
  // Workers drain the queue; a page found late by a slow worker is picked up by the next round.
  while (queue.length) await Promise.all(Array.from({ length: WORKERS }, worker));

  await notFoundPage(context, site, pages);
  await checkLinks(site, pages, links);
  const samples = [...firstOfKind.entries()].filter(([k]) => k !== 'file');
  await withoutJavaScript(browser, site, samples);
  await context.close();
  const html = [...pages.values()].filter((p) => p.html).length;
  const files = [...fetched.keys()].filter((k) => pageKey(site, new URL(k)) !== null).length;
  return { site: site.base.href, mode: site.mode, pages: html, files, links: links.length, kinds: [...samples.map(([k]) => k), '404'], seconds: (Date.now() - started) / 1000, htmlFiles: [...pages.values()].filter((p) => p.html && p.rel !== '404.html').map((p) => p.rel) };
}

async function axeViolations(page, { rules } = {}) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const options = { resultTypes: ['violations'] };
  if (rules) options.runOnly = { type: 'rule', values: rules };
  const result = await page.evaluate((o) => window.axe.run(document, o), options);
  return result.violations;
}

/** A missing page answers 404 with the site's 404 page, under the prefix too. */
async function notFoundPage(context, site, pages) {
  const url = new URL('no-such-page-skillpress-test/', site.base).href;
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    // The 404 status of the page itself is logged as a resource error: that is the point.
    if (m.type() === 'error' && m.location().url !== url) errors.push(m.text());
  });
  const response = await page.goto(url);
  if (response.status() !== 404) report(site, 'not-found', url, `missing page answered HTTP ${response.status()}, not 404`);
  const facts = await page.evaluate(PAGE_FACTS);
  if (facts.h1 !== 1 || facts.mainText === 0) report(site, 'not-found', url, 'the 404 page has no h1 or no main text');
  for (const e of errors) report(site, 'console', url, e);
  // Its links must work from any depth: they are written from the domain root.
  for (const href of facts.links) {
    const u = new URL(href);
    if (u.origin === site.base.origin && u.pathname !== new URL(url).pathname) {
      const status = pages.has(pageKey(site, u)) ? 200 : await fetchStatus(u.origin + u.pathname);
      if (status !== 200) report(site, 'links', url, `broken link on the 404 page: ${href} (${status})`);
    }
  }
  const violations = await axeViolations(page);
  for (const v of violations.filter((v) => ['critical', 'serious', 'moderate'].includes(v.impact))) {
    report(site, 'axe', url, `${v.id} (${v.impact}): ${v.help}`);
  }
  await page.close();
}

async function checkLinks(site, pages, links) {
  const reported = new Set();
  for (const { from, to } of links) {
    if (to.origin !== site.base.origin) continue;
    const key = pageKey(site, to);
    const once = (m) => {
      const k = `${from} ${m}`;
      if (!reported.has(k)) { reported.add(k); report(site, 'links', from, m); }
    };
    if (key === null) { once(`link outside the site's path ${site.base.pathname}: ${to.href}`); continue; }
    let target = pages.get(key);
    if (!target) {
      const status = await fetchStatus(key);
      if (status !== 200) { once(`broken link ${to.href} (${status})`); continue; }
      target = { ids: [], html: false };
    }
    if (to.hash && to.hash !== '#') {
      const id = decodeURIComponent(to.hash.slice(1));
      if (!target.ids.includes(id)) once(`broken fragment ${to.href}: no id="${id}" there`);
    }
  }
}

/** With JavaScript off, every kind of page still reads, and the large-text toggle still works. */
async function withoutJavaScript(browser, site, samples) {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [kind, key] of samples) {
    await page.goto(key);
    const text = (await page.locator('main').innerText().catch(() => '')).trim();
    const h1 = await page.locator('h1').count();
    if (text.length === 0 || h1 !== 1) report(site, 'no-js', key, `${kind} page without JavaScript: main text ${text.length} chars, ${h1} h1`);
    if (kind === 'home' || kind === 'document') {
      const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p, main li, main td') ?? document.body).fontSize));
      const before = await size();
      const toggle = page.locator('label[for="a11y-toggle"]');
      if ((await toggle.count()) === 0) {
        report(site, 'large-mode', key, 'no label for #a11y-toggle');
        continue;
      }
      await toggle.click();
      const after = await size();
      if (!(after >= before * 1.2)) report(site, 'large-mode', key, `large-text toggle without JavaScript: text ${before}px -> ${after}px (want at least 20% larger)`);
    }
  }
  await context.close();
}

// ---------------------------------------------------------------- Nu HTML checker

/** Runs vnu once over all files; resolves to its error messages. */
function nuCheck(files) {
  return new Promise((resolve) => {
    if (files.length === 0) return resolve([]);
    const args = ['-Xss8m', '-jar', VNU_JAR, '--format', 'json', '--errors-only', '--also-check-css', ...files];
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve([{ url: 'java', message: `cannot run java: ${e.message}` }]));
    child.on('close', (code) => {
      try {
        const messages = JSON.parse(out.slice(out.indexOf('{'))).messages ?? [];
        resolve(messages.filter((m) => m.type === 'error' || m.subType === 'fatal').map((m) => ({
          url: m.url ?? '', message: `${m.lastLine ? `line ${m.lastLine}: ` : ''}${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, ' ').slice(0, 120)}]` : ''}`,
        })));
      } catch {
        resolve(code === 0 ? [] : [{ url: 'vnu', message: `vnu exited ${code}: ${out.slice(0, 2000)}` }]);
      }
    });
  });
}

// ---------------------------------------------------------------- main

async function main() {
  const { sites, only, json } = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const browser = await launch();
  const summaries = [];
  try {
    for (const site of sites) summaries.push(await crawlSite(browser, site, only));
  } finally {
    await browser.close();
  }
  // The HTML of every crawled page, and the stylesheets, in one JVM run.
  const files = [];
  for (const [i, site] of sites.entries()) {
    const s = summaries[i];
    if (site.mode !== 'full' && sites.some((o) => o.mode === 'full')) continue;
    for (const rel of s.htmlFiles) files.push(path.join(site.dir, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel));
    files.push(path.join(site.dir, '404.html'));
    if (!only) {
      for (const css of fs.readdirSync(path.join(site.dir, 'assets')).filter((f) => f.endsWith('.css'))) files.push(path.join(site.dir, 'assets', css));
    }
  }
  const nu = await nuCheck(files.filter((f) => fs.existsSync(f)));
  for (const m of nu) findings.push({ site: 'files', check: 'nu-html', url: m.url.replace(/^file:/, ''), message: m.message });

  const seconds = (Date.now() - t0) / 1000;
  const result = { ok: findings.length === 0, seconds, sites: summaries.map(({ htmlFiles, ...s }) => s), nuFiles: files.length, findings };
  if (json) fs.writeFileSync(json, JSON.stringify(result, null, 2));
  printReport(result);
  process.exit(result.ok ? 0 : 1);
}

function printReport(result) {
  for (const s of result.sites) {
    console.log(`${s.site} (${s.mode}): ${s.pages} pages (+ the 404 page), ${s.files} other files, ${s.links} links, ${s.seconds.toFixed(1)} s; kinds sampled: ${s.kinds.join(', ')}`);
  }
  console.log(`Nu HTML checker: ${result.nuFiles} files`);
  const byCheck = new Map();
  for (const f of result.findings) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
  for (const [check, list] of byCheck) {
    console.log(`\n${check}: ${list.length}`);
    for (const f of list.slice(0, 40)) console.log(`  ${f.url}\n    ${f.message}`);
    if (list.length > 40) console.log(`  … and ${list.length - 40} more`);
  }
  console.log(`\nbrowser suite: ${result.findings.length} problems in ${result.seconds.toFixed(1)} s`);
}

await main();
