// A static file server for the browser suite, as a plain static host behaves:
// the site is served under a path prefix (`/` or `/skills/`), a folder answers
// with its index.html, a folder without its trailing slash is redirected, and
// anything missing gets the site's 404.html with status 404.
//
// It also sends a strict Content-Security-Policy, so any inline script, inline
// event handler, inline style attribute or third-party request in the theme shows
// up as a console error that the crawler reports.
//
// Usage: node server.mjs --root DIR [--prefix /skills/] [--port 0] [--exit-with-stdin]
// Prints one line, `listening http://127.0.0.1:PORT/prefix/`, once it accepts
// connections. The root folder may not exist yet: every request looks it up anew,
// so the site can be built (and swapped in whole) after the server starts.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const CSP = [
  "default-src 'none'",
  // Pagefind's search runs as WebAssembly, which needs this and nothing more.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.pdf': 'application/pdf',
};

function send(res, status, file, method) {
  const body = fs.readFileSync(file);
  res.writeHead(status, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** Starts the server; resolves to `{ server, url }` once it listens. */
export function serve({ root, prefix = '/', port = 0, host = '127.0.0.1' }) {
  if (!prefix.startsWith('/')) prefix = '/' + prefix;
  if (!prefix.endsWith('/')) prefix += '/';
  const notFound = (res, method) => {
    const page = path.join(root, '404.html');
    if (isFile(page)) return send(res, 404, page, method);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404');
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    const { pathname } = new URL(req.url, 'http://localhost');
    if (!pathname.startsWith(prefix)) return notFound(res, req.method);
    let segments;
    try {
      segments = pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    } catch {
      return notFound(res, req.method);
    }
    if (segments.some((s) => s === '..' || s === '.' || s.includes('\0') || s.includes('/') || s.includes('\\'))) {
      return notFound(res, req.method);
    }
    const file = path.join(root, ...segments);
    if (pathname.endsWith('/')) {
      const index = path.join(file, 'index.html');
      return isFile(index) ? send(res, 200, index, req.method) : notFound(res, req.method);
    }
    if (isFile(file)) return send(res, 200, file, req.method);
    if (isDir(file)) {
      res.writeHead(301, { Location: pathname + '/' });
      return res.end();
    }
    return notFound(res, req.method);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}${prefix}` });
    });
  });
}

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = arg('--root');
  if (!root) {
    console.error('usage: node server.mjs --root DIR [--prefix /skills/] [--port 0]');
    process.exit(2);
  }
  const { url } = await serve({ root: path.resolve(root), prefix: arg('--prefix', '/'), port: Number(arg('--port', '0')) });
  console.log(`listening ${url}`);
  // tests/browser.rs passes --exit-with-stdin: if the test process dies without
  // killing us, its end of the pipe closes and we go too.
  if (process.argv.includes('--exit-with-stdin')) {
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  }
}
