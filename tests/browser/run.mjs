#!/usr/bin/env node
// hearth's browser test: serves a built site on 127.0.0.1 and opens every page
// in Debian's headless Chromium (/usr/bin/chromium, never a downloaded one).
//
// For every page it fails on
//   - an axe-core violation of WCAG 2.0/2.1/2.2 A and AA, under both the
//     light and the dark colour scheme,
//   - a console error or an uncaught exception,
//   - any request to a host other than the local server (the request is
//     aborted, so nothing leaves the machine),
//   - a local request answered with an HTTP error, or one that fails,
//   - a page wider than a 390 px viewport (horizontal scrolling on a phone).
// Every worksheet page (/worksheets/<slug>/) is also printed with print media
// to PDF on Letter and on A4; each must come out at 1 to 3 pages.
//
// Usage: node run.mjs [--jobs N] [--verbose] [--only /url/path/ ...] <built-site-folder>
//   --only limits the run to the given pages (repeatable), for debugging.
// Exit status: 0 when nothing failed, 1 on any failure, 2 on a usage or
// setup error.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEWPORT = { width: 390, height: 844 };
const PRINT_FORMATS = ['Letter', 'A4'];
const PRINT_MIN_PAGES = 1;
const PRINT_MAX_PAGES = 3;
const NAV_TIMEOUT_MS = 30_000;

// Content types for what a hearth site (and Pagefind's index) holds.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
  '.xsl': 'application/xslt+xml',
  '.atom': 'application/atom+xml',
  '.rss': 'application/rss+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.vcf': 'text/vcard; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  // Pagefind's index: fragments, metadata, the index chunks and filters are
  // gzipped binary blobs that its own JS fetches and unpacks.
  '.pagefind': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

// ---------------------------------------------------------------- server --

// Maps a URL path to a file in root: /x/ -> x/index.html, /x -> x or
// x/index.html (through a redirect to /x/), never outside root.
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const rel = path.posix.normalize(decoded);
  const file = path.join(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 403 };
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch {
    return { status: 404 };
  }
  if (stat.isDirectory()) {
    if (!urlPath.endsWith('/')) return { status: 301, location: urlPath + '/' };
    const index = path.join(file, 'index.html');
    try {
      if ((await fsp.stat(index)).isFile()) return { status: 200, file: index };
    } catch {}
    return { status: 404 };
  }
  return stat.isFile() ? { status: 200, file } : { status: 404 };
}

export function startServer(root) {
  root = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let found = await resolveFile(root, url.pathname);
    if (found.status === 301) {
      res.writeHead(301, { location: found.location + url.search }).end();
      return;
    }
    let status = found.status;
    let file = found.file;
    if (status === 404 && fs.existsSync(path.join(root, '404.html'))) {
      file = path.join(root, '404.html');
    }
    if (!file) {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${status}\n`);
      return;
    }
    try {
      const body = await fsp.readFile(file);
      res.writeHead(status, {
        'content-type': contentType(file),
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(500).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

// ----------------------------------------------------------------- pages --

async function walk(dir, out = []) {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

// A redirect stub (an old URL kept alive by an alias) is a page whose only
// job is a meta refresh; it has no content of its own to check, and the
// browser would leave it mid-test. Such stubs are not opened; instead the
// test checks that their target exists on the local server.
const REFRESH = /<meta\s[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/i;

function refreshTarget(html) {
  const tag = html.match(REFRESH);
  if (!tag) return null;
  const content = tag[0].match(/content\s*=\s*["']([^"']*)["']/i);
  if (!content) return null;
  const url = content[1].match(/url\s*=\s*(.*)$/i);
  return url ? url[1].trim() : null;
}

function isRedirectStub(html) {
  if (!refreshTarget(html)) return false;
  const body = html.match(/<body[^>]*>([\s\S]*?)<\/body>/i);
  const text = (body ? body[1] : '')
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A stub may say "Redirecting to <link>"; a real page has far more text.
  return text.length < 200;
}

function urlPathFor(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return '/' + rel.slice(0, -'index.html'.length);
  return '/' + rel;
}

export async function findPages(root) {
  root = path.resolve(root);
  const pages = [];
  const stubs = [];
  for (const file of (await walk(root)).sort()) {
    const html = await fsp.readFile(file, 'utf8');
    const urlPath = urlPathFor(root, file);
    if (isRedirectStub(html)) stubs.push({ urlPath, target: refreshTarget(html) });
    else pages.push(urlPath);
  }
  return { pages, stubs };
}

// Worksheet pages are the pages directly under /worksheets/ (not the list), in any language.
export function worksheetPages(pages) {
  return pages.filter((p) => /^(\/[a-z]{2})?\/worksheets\/[^/]+\/$/.test(p));
}

// ------------------------------------------------------------------- pdf --

// Counts page objects in a PDF: "/Type /Page" but not "/Type /Pages". Chromium
// (Skia) writes page dictionaries uncompressed, so a byte scan is enough.
export function countPdfPages(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  const matches = text.match(/\/Type\s*\/Page(?![A-Za-z])/g);
  return matches ? matches.length : 0;
}

// ----------------------------------------------------------------- check --

const AXE_SOURCE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

function isLocal(url, origin) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function short(text, n = 300) {
  text = String(text).replace(/\s+/g, ' ').trim();
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

// One browser context per worker, one fresh page per check: the route that
// blocks outside requests is set on the page, so each report names its page.
function newContext(browser) {
  return browser.newContext({
    viewport: VIEWPORT,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
  });
}

async function newPage(context, origin, record) {
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT_MS);
  // Nothing may leave the local server: abort and report everything else.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url, origin)) return route.continue();
    record({ kind: 'external-request', detail: url });
    return route.abort('blockedbyclient');
  });
  watchPage(page, origin, record);
  return page;
}

function watchPage(page, origin, record) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The aborted outside requests are already reported as such.
    if (/ERR_BLOCKED_BY_CLIENT/.test(text)) return;
    // A local file answering 4xx/5xx is reported as an http-error, with its URL.
    const loc0 = msg.location();
    if (/^Failed to load resource: the server responded with a status/.test(text) && loc0 && isLocal(loc0.url, origin)) return;
    const loc = msg.location();
    const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber + 1})` : '';
    record({ kind: 'console-error', detail: short(text) + where });
  });
  page.on('pageerror', (err) => {
    record({ kind: 'page-error', detail: short(err.stack || err.message || err) });
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && isLocal(res.url(), origin)) {
      record({ kind: 'http-error', detail: `${res.status()} ${res.url()}` });
    }
  });
  page.on('requestfailed', (req) => {
    if (!isLocal(req.url(), origin)) return; // reported by the route
    const why = req.failure() ? req.failure().errorText : 'failed';
    record({ kind: 'request-failed', detail: `${req.url()}: ${why}` });
  });
}

async function runAxe(page, axeSource) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '),
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
}

// A word that must be in the index: the first long word of the first link
// inside <main> (on hearth's search page, a topic name).
async function searchTerm(page) {
  const text = await page.evaluate(() => {
    const link = document.querySelector('main a[href]');
    return link ? link.textContent : document.title;
  });
  const word = (text.match(/\p{L}{4,}/u) || [])[0];
  return word || 'the';
}

async function checkPage(context, origin, urlPath, axeSource, failures, opts) {
  const url = origin + urlPath;
  const record = (f) => failures.push({ url: urlPath, ...f });
  let page;
  try {
    page = await newPage(context, origin, record);
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res) {
      record({ kind: 'load', detail: 'no response' });
      return;
    }

    // The search page: run a real search, so Pagefind fetches its WASM, index
    // and fragments from the server, and axe sees the results as well.
    const search = page.locator('input.pagefind-ui__search-input');
    if (await search.count()) {
      const term = await searchTerm(page);
      await search.first().fill(term);
      try {
        await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 10_000 });
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
      } catch {
        record({ kind: 'search', detail: `searching for "${term}" showed no results` });
      }
    }

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > VIEWPORT.width) {
      const wide = await page.evaluate((limit) => {
        // Name the outermost elements that stick out, for the report.
        const out = [];
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.right > limit + 0.5 && !(el.parentElement && out.includes(el.parentElement))) {
            if (!out.some((o) => o.contains(el))) out.push(el);
          }
          if (out.length >= 3) break;
        }
        return out.map((el) => {
          let s = el.tagName.toLowerCase();
          if (el.id) s += '#' + el.id;
          else if (el.classList.length) s += '.' + [...el.classList].join('.');
          return `${s} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`;
        });
      }, VIEWPORT.width);
      record({
        kind: 'too-wide',
        detail: `scrollWidth ${width}px > ${VIEWPORT.width}px viewport`,
        target: wide.join(', '),
      });
    }

    // Most rules do not depend on the colour scheme: a problem found under
    // the light scheme is reported once, and the dark run adds only new ones.
    const seen = new Set();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      // Paint once in the new scheme before measuring colours.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      for (const v of await runAxe(page, axeSource)) {
        for (const node of v.nodes) {
          const key = `${v.id}\u0000${node.target}`;
          if (seen.has(key)) continue;
          seen.add(key);
          record({
            kind: 'axe',
            scheme,
            rule: v.id,
            impact: v.impact,
            target: node.target,
            detail: v.help,
            summary: opts.verbose ? node.summary : undefined,
          });
        }
      }
    }
  } catch (err) {
    record({ kind: 'load', detail: short(err.message, 500) });
  } finally {
    if (page) await page.close();
  }
}

async function checkPrint(context, origin, urlPath, failures) {
  const record = (f) => failures.push({ url: urlPath, ...f });
  const counts = {};
  let page;
  try {
    page = await newPage(context, origin, record);
    await page.goto(origin + urlPath, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    for (const format of PRINT_FORMATS) {
      const pdf = await page.pdf({ format, printBackground: true });
      const pages = countPdfPages(pdf);
      counts[format] = pages;
      if (pages < PRINT_MIN_PAGES || pages > PRINT_MAX_PAGES) {
        record({
          kind: 'print',
          detail: `prints to ${pages} ${format} pages (want ${PRINT_MIN_PAGES}–${PRINT_MAX_PAGES})`,
        });
      }
    }
  } catch (err) {
    record({ kind: 'print', detail: short(err.message, 500) });
  } finally {
    if (page) await page.close();
  }
  return counts;
}

// Runs `work` over `items` with at most `jobs` running at once; each worker
// gets what `setup` makes (its browser context) and `teardown` ends it.
async function pool(items, jobs, setup, teardown, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    const own = await setup();
    try {
      while (next < items.length) {
        const item = items[next++];
        await work(item, own);
      }
    } finally {
      await teardown(own);
    }
  });
  await Promise.all(workers);
}

export function formatFailure(f) {
  const parts = [`FAIL ${f.url}`, f.kind];
  if (f.kind === 'axe') parts.push(`[${f.scheme}] ${f.rule} (${f.impact})`);
  let line = parts.join('  ');
  if (f.target) line += `  at ${f.target}`;
  if (f.detail) line += `  — ${f.detail}`;
  if (f.summary) line += `\n      ${f.summary.replace(/\n/g, '\n      ')}`;
  return line;
}

// Checks a built site; resolves to { failures, pages, stubs, worksheets,
// prints, seconds }. Prints progress with `log` unless it is null.
export async function checkSite(siteDir, { jobs = 3, verbose = false, only = [], log = console.log } = {}) {
  const started = Date.now();
  const root = path.resolve(siteDir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root} has no index.html: build the site first`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const axeSource = await fsp.readFile(AXE_SOURCE_PATH, 'utf8');

  let { pages, stubs } = await findPages(root);
  if (only.length) {
    const missing = only.filter((p) => !pages.includes(p) && !stubs.some((s) => s.urlPath === p));
    if (missing.length) throw new Error(`no such page: ${missing.join(', ')}`);
    pages = pages.filter((p) => only.includes(p));
    stubs = stubs.filter((s) => only.includes(s.urlPath));
  }
  const worksheets = worksheetPages(pages);
  const failures = [];
  const { server, origin } = await startServer(root);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const prints = {};
  try {
    if (log) log(`browser test: ${pages.length} pages, ${stubs.length} redirect stubs, ${worksheets.length} worksheets to print; ${origin}; ${browser.version()}`);

    // A redirect stub must point at something the server has.
    for (const stub of stubs) {
      const target = new URL(stub.target, origin + stub.urlPath);
      if (target.origin !== origin) {
        failures.push({ url: stub.urlPath, kind: 'redirect', detail: `redirects off the site to ${target.href}` });
        continue;
      }
      const res = await fetch(target, { redirect: 'follow' });
      if (res.status !== 200) {
        failures.push({ url: stub.urlPath, kind: 'redirect', detail: `redirects to ${target.pathname}, which answers ${res.status}` });
      }
    }

    const tasks = [
      ...pages.map((p) => ({ type: 'page', urlPath: p })),
      ...worksheets.map((p) => ({ type: 'print', urlPath: p })),
    ];
    await pool(tasks, jobs, () => newContext(browser), (context) => context.close(), async (task, context) => {
      const found = [];
      const t0 = Date.now();
      if (task.type === 'page') {
        await checkPage(context, origin, task.urlPath, axeSource, found, { verbose });
      } else {
        prints[task.urlPath] = await checkPrint(context, origin, task.urlPath, found);
      }
      failures.push(...found);
      if (log && verbose) {
        const n = found.length;
        const extra = task.type === 'print' ? ` ${JSON.stringify(prints[task.urlPath])}` : '';
        log(`  ${task.type} ${task.urlPath}: ${n ? n + ' failures' : 'ok'}${extra} (${Date.now() - t0} ms)`);
      }
    });
  } finally {
    await browser.close();
    server.close();
  }
  const order = (f) => `${f.url}\u0000${f.kind}\u0000${f.scheme || ''}\u0000${f.rule || ''}\u0000${f.target || ''}\u0000${f.detail || ''}`;
  failures.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { failures, pages, stubs, worksheets, prints, seconds: (Date.now() - started) / 1000 };
}

function usage(msg) {
  if (msg) console.error(`run.mjs: ${msg}`);
  console.error('usage: node run.mjs [--jobs N] [--verbose] [--only /url/path/ ...] <built-site-folder>');
  process.exit(2);
}

export function parseArgs(argv) {
  const opts = { jobs: 3, verbose: false, site: null, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--jobs' || a === '-j') {
      opts.jobs = Number(argv[++i]);
      if (!Number.isInteger(opts.jobs) || opts.jobs < 1) usage('--jobs wants a positive whole number');
    } else if (a === '--only') {
      if (!argv[i + 1]) usage('--only wants a URL path such as /search/');
      opts.only.push(argv[++i]);
    } else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.site) usage('one site folder only');
    else opts.site = a;
  }
  if (!opts.site) usage('no site folder given');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let result;
  try {
    result = await checkSite(opts.site, opts);
  } catch (err) {
    console.error(`run.mjs: ${err.message}`);
    process.exit(2);
  }
  const { failures, pages, stubs, worksheets, prints, seconds } = result;
  for (const f of failures) console.log(formatFailure(f));
  const printed = worksheets
    .map((w) => `${w} ${PRINT_FORMATS.map((f) => `${f}:${prints[w]?.[f] ?? '?'}`).join(' ')}`)
    .join('; ');
  if (printed) console.log(`printed pages: ${printed}`);
  const byKind = {};
  for (const f of failures) byKind[f.kind] = (byKind[f.kind] || 0) + 1;
  const kinds = Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `browser test: ${failures.length ? 'FAILED' : 'passed'}: ${pages.length} pages (light and dark), ` +
      `${stubs.length} redirect stubs, ${worksheets.length} worksheets printed on ${PRINT_FORMATS.join(' and ')}; ` +
      `${failures.length} failures${kinds ? ` (${kinds})` : ''}; ${seconds.toFixed(1)} s`,
  );
  process.exit(failures.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
