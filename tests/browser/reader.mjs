// What a reader on a phone sees (issue 12): every page of a built site at
// 390 px, at normal text and in the 适老化 large-text mode.
//
//   node reader.mjs --site URL [--only PATH,PATH] [--json FILE]
//
// On every page, in both modes:
//   - the page does not scroll sideways;
//   - every figure (a row of a `table.figures`) shows its value, its source
//     link and every other cell inside the viewport: the element's box, cut by
//     every ancestor that clips or scrolls, must be whole and within 0..390 px
//     (a value in a table that scrolls sideways inside its box is cut off);
//   - a figure table is still a table (rows, column headers, cells) in the
//     accessibility tree, whatever its display (checked on one page a mode);
//   - chart label text (SVG <text> in `figure.chart`) renders at 14 px or more,
//     measured as drawn (font size × the SVG's scale on screen);
//   - the header's 搜索 button (or link) stays on one line;
// and in large-text mode the smallest chart label of a page is larger than at
// normal text.
//
// Exit status: 0 when nothing was found, 1 when something was, 2 on misuse.

import fs from 'node:fs';
import { launch } from './chromium.mjs';

const PHONE = { width: 390, height: 844 };
const MIN_CHART_PX = 14;
const WORKERS = Number(process.env.SKILLPRESS_CRAWL_WORKERS || 3);

function parseArgs(argv) {
  let site = null;
  let only = null;
  let json = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--site' && argv[i + 1]) site = new URL(argv[++i]);
    else if (a === '--only' && argv[i + 1]) only = argv[++i].split(',').filter(Boolean);
    else if (a === '--json' && argv[i + 1]) json = argv[++i];
    else usage(`unknown argument ${a}`);
  }
  if (!site) usage('no --site');
  return { site, only, json };
}

function usage(message) {
  console.error(`reader.mjs: ${message}\nusage: node reader.mjs --site URL [--only PATH,…] [--json FILE]`);
  process.exit(2);
}

/** Runs in the page: every problem a reader at this width would meet. */
const MEASURE = (minChartPx) => {
  const vw = document.documentElement.clientWidth;
  const out = { overflow: document.documentElement.scrollWidth - vw, figures: 0, hidden: [], chartMin: null, chartSmall: [], wrapped: [] };
  // The header's 搜索 (button, or the link without JavaScript) on one line:
  // its text's line boxes all share one top.
  for (const el of document.querySelectorAll('.site-search button, .search-link')) {
    if (el.closest('[hidden]') || !el.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (tops.size > 1) out.wrapped.push(`${el.tagName.toLowerCase()} “${el.textContent.trim()}” wraps onto ${tops.size} lines`);
  }
  // The part of `el` a reader can see: its box cut by every clipping ancestor.
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    let left = r.left, right = r.right;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible') {
        const b = a.getBoundingClientRect();
        left = Math.max(left, b.left + a.clientLeft);
        right = Math.min(right, b.left + a.clientLeft + a.clientWidth);
      }
    }
    left = Math.max(left, 0);
    right = Math.min(right, vw);
    return { whole: r.width, seen: Math.max(0, right - left) };
  };
  const label = (row) => (row.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  for (const row of document.querySelectorAll('table.figures tbody tr')) {
    if (row.closest('details:not([open])')) continue;
    out.figures++;
    const parts = [
      ['value', row.querySelector('td.num')],
      ['source link', row.querySelector('td.source a')],
      ...[...row.cells].map((c, i) => [`cell ${i + 1} (${c.dataset.label || c.className || 'td'})`, c]),
    ];
    for (const [what, el] of parts) {
      if (!el) {
        if (what === 'value' || what === 'source link') out.hidden.push(`${what} missing: ${label(row)}`);
        continue;
      }
      const { whole, seen } = visible(el);
      // Half a pixel for subpixel rounding.
      if (whole === 0 || seen < whole - 0.5) out.hidden.push(`${what} ${whole === 0 ? 'not shown' : `shows ${seen.toFixed(0)} of ${whole.toFixed(0)} px`}: ${label(row)}`);
    }
  }
  for (const t of document.querySelectorAll('figure.chart svg text')) {
    if (!t.textContent.trim()) continue;
    // As drawn: the font size in user units times what the viewBox and any CSS
    // transform make of a user unit (the box on screen over the box in user units).
    const box = t.getBBox();
    if (!box.height) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * (t.getBoundingClientRect().height / box.height);
    if (out.chartMin === null || px < out.chartMin) out.chartMin = px;
    if (px < minChartPx - 0.05) out.chartSmall.push(`${px.toFixed(1)} px: ${t.textContent.trim().slice(0, 30)}`);
  }
  return out;
};

async function pagesOf(site, only) {
  if (only) return only.map((p) => new URL(p.replace(/^\//, ''), site).href);
  const xml = await (await fetch(new URL('sitemap.xml', site))).text();
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}

async function main() {
  const { site, only, json } = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const urls = await pagesOf(site, only);
  const browser = await launch();
  const findings = [];
  const stats = { pages: urls.length, figures: { normal: 0, large: 0 }, charts: 0, hiddenRows: { normal: 0, large: 0 } };
  const chartMin = { normal: new Map(), large: new Map() };
  const semanticsChecked = new Set();
  try {
    for (const mode of ['normal', 'large']) {
      const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
      // a11y.js puts back a remembered choice before the first paint.
      if (mode === 'large') await context.addInitScript(() => localStorage.setItem('skillpress-large-text', '1'));
      const queue = [...urls];
      const worker = async () => {
        const page = await context.newPage();
        while (queue.length) {
          const url = queue.shift();
          const response = await page.goto(url, { waitUntil: 'load' });
          if (response?.status() !== 200) { findings.push({ mode, url, check: 'load', message: `HTTP ${response?.status()}` }); continue; }
          if (mode === 'large' && !(await page.evaluate(() => document.documentElement.classList.contains('a11y-large')))) {
            findings.push({ mode, url, check: 'large-mode', message: 'large-text mode did not switch on' });
          }
          const m = await page.evaluate(MEASURE, MIN_CHART_PX);
          // Cards on screen, still a table to a screen reader (checked once a mode).
          if (m.figures > 0 && !semanticsChecked.has(mode)) {
            semanticsChecked.add(mode);
            const tree = await page.locator('table.figures').first().ariaSnapshot();
            if (!/^- table/.test(tree) || !tree.includes('columnheader') || !tree.includes('- cell')) {
              findings.push({ mode, url, check: 'table-semantics', message: `a figure table is no table to assistive technology:\n${tree.slice(0, 300)}` });
            }
          }
          stats.figures[mode] += m.figures;
          if (m.overflow > 0) findings.push({ mode, url, check: 'overflow', message: `scrolls sideways by ${m.overflow} px` });
          if (m.hidden.length) stats.hiddenRows[mode] += 1;
          for (const h of m.hidden) findings.push({ mode, url, check: 'figure-hidden', message: h });
          for (const w of m.wrapped) findings.push({ mode, url, check: 'search-wrap', message: w });
          for (const s of m.chartSmall) findings.push({ mode, url, check: 'chart-text', message: `chart label ${s} (want ≥ ${MIN_CHART_PX} px)` });
          if (m.chartMin !== null) chartMin[mode].set(url, m.chartMin);
        }
        await page.close();
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  for (const [url, normal] of chartMin.normal) {
    stats.charts++;
    const large = chartMin.large.get(url);
    if (large === undefined || !(large > normal + 0.5)) {
      findings.push({ mode: 'large', url, check: 'chart-text', message: `chart labels do not grow in large-text mode: ${normal.toFixed(1)} px -> ${large?.toFixed(1)} px` });
    }
  }
  const result = { ok: findings.length === 0, seconds: (Date.now() - t0) / 1000, stats, chartMin: { normal: Math.min(...chartMin.normal.values()), large: Math.min(...chartMin.large.values()) }, findings };
  if (json) fs.writeFileSync(json, JSON.stringify(result, null, 2));
  console.log(`reader check: ${stats.pages} pages at 390 px, figures normal ${stats.figures.normal} / large ${stats.figures.large}, pages with charts ${stats.charts}, smallest chart label ${result.chartMin.normal.toFixed(1)} px normal, ${result.chartMin.large.toFixed(1)} px large`);
  const byCheck = new Map();
  for (const f of findings) byCheck.set(`${f.check} (${f.mode})`, [...(byCheck.get(`${f.check} (${f.mode})`) ?? []), f]);
  for (const [check, list] of byCheck) {
    const pages = new Set(list.map((f) => f.url)).size;
    console.log(`\n${check}: ${list.length} on ${pages} pages`);
    for (const f of list.slice(0, 15)) console.log(`  ${f.url}\n    ${f.message}`);
    if (list.length > 15) console.log(`  … and ${list.length - 15} more`);
  }
  console.log(`\nreader check: ${findings.length} problems in ${result.seconds.toFixed(1)} s`);
  process.exit(result.ok ? 0 : 1);
}

await main();
