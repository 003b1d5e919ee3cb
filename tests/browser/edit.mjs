#!/usr/bin/env node
// The browser test of `hearth edit`: a fresh `hearth init` site in a temp folder, the
// editor (Decap CMS, served by hearth) driven in Debian's headless Chromium.
//
// It creates an article with a topic and a recommended book and publishes it, then sees
// it in the live preview; tries to save a book with an invalid ISBN and sees hearth's
// error in the editor (and no file written); uploads a photo carrying GPS EXIF and
// finds it saved without. Its Publish button publishes to a folder. With a second
// language in site.toml, it writes the article's Spanish side and a Spanish-only article. axe-core runs on the preview (any violation fails) and on
// /admin/ (Decap's own violations are printed, not failed). Any request to another host
// fails the test (it is aborted, so nothing leaves the machine).
//
// Usage: node edit.mjs [--screenshots DIR]
//   HEARTH_BIN: the hearth binary (default $CARGO_TARGET_DIR/debug/hearth).
// Exit status: 0 when nothing failed, 1 on a failure.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';
const TARGET = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'hearth-target');
const HEARTH = process.env.HEARTH_BIN || path.join(TARGET, 'debug', 'hearth');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TIMEOUT_MS = 30_000;
const args = process.argv.slice(2);
const shots = args[0] === '--screenshots' ? path.resolve(args[1]) : null;

const failures = [];
const fail = (what) => { failures.push(what); console.error(`FAIL ${what}`); };

// A JPEG from Chromium's own canvas would need a page; a tiny valid JPEG is built by
// hand instead: a 1×1 baseline image, with an EXIF segment naming a GPS position.
function jpegWithGps() {
  const plain = Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
    'base64');
  const exif = Buffer.from('Exif\0\0MM\0\x2a\0\0\0\x08GPSLatitude 45.5231 N', 'latin1');
  const head = Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]);
  return Buffer.concat([plain.subarray(0, 2), head, exif, plain.subarray(2)]);
}

async function startEditor(site) {
  const child = spawn(HEARTH, ['edit', '--no-open', '--port', '0', '--root', site]);
  child.stderr.on('data', (d) => process.stderr.write(d));
  const origin = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`hearth edit exited with ${code}`)));
    child.stdout.on('data', (d) => {
      const m = String(d).match(/http:\/\/(127\.0\.0\.1:\d+)/);
      if (m) resolve(`http://${m[1]}`);
    });
  });
  child.stdout.resume();
  return { child, origin };
}

function isLocal(url, origin) {
  if (/^(data|blob|about):/.test(url)) return true;
  try { return new URL(url).origin === origin; } catch { return false; }
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.length}]`);
  }, AXE_TAGS);
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, name) });
}

async function waitFor(check, what) {
  const started = Date.now();
  while (Date.now() - started < TIMEOUT_MS) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(what);
  return false;
}

// A form field by the start of its label (Decap adds "optional" to some labels).
function field(page, label) {
  return page.getByLabel(new RegExp(`^${label}`)).first();
}

// Opens a collection and starts a new entry in it.
async function newEntry(page, origin, collection, singular) {
  await page.goto(`${origin}/admin/#/collections/${collection}/new`);
  await field(page, 'Title').waitFor();
  void singular;
}

async function publish(page) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Publish now', { exact: true }).click();
}

async function main() {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-edit-'));
  const site = path.join(temp, 'site');
  execFileSync(HEARTH, ['init', site]);
  // A folder to publish to, for the Publish button.
  fs.appendFileSync(path.join(site, 'site.toml'), '\n[publish]\ntarget = "folder"\npath = "online"\n');
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const { child, origin } = await startEditor(site);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce', serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url, origin)) return route.continue();
      fail(`request to another host: ${url}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/v1') && r.status() !== 200) console.log(`api ${r.status()}: ${(await r.text()).slice(0, 200)}`);
    });
    page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text().slice(0, 300)}`); });
    // Decap rethrows a refused save as an uncaught rejection; that one is expected.
    let refusing = false;
    page.on('pageerror', (e) => {
      const text = e.stack || e.message || JSON.stringify(e);
      if (refusing) console.log(`page error while a save is refused (Decap's own rethrow): ${text.slice(0, 120)}`);
      else fail(`page error: ${text}`);
    });

    // The editor, and Decap's own accessibility (reported, not failed).
    await page.goto(`${origin}/admin/`);
    await page.getByRole('button', { name: /login/i }).click();
    await page.getByText('Collections').waitFor();
    await shot(page, 'edit-collections.png');
    const decapViolations = await axe(page);
    console.log(`Decap's own axe violations on /admin/ (reported, not failed): ${decapViolations.length}`);
    for (const v of decapViolations) console.log(`  ${v}`);

    // A new article with a topic and a recommended book.
    await newEntry(page, origin, 'articles', 'article');
    await field(page, 'Title').fill('A calmer evening');
    await field(page, 'Description').fill('Small routines that help you wind down.');
    await field(page, 'Topics').fill('sleep');
    const books = field(page, 'Recommended books');
    await books.click();
    await books.pressSequentially('Feeling');
    await page.getByText('Feeling Good', { exact: false }).last().click();
    await field(page, 'Draft').uncheck().catch(() => {});
    await shot(page, 'edit-article.png');
    await publish(page);
    const article = path.join(site, 'content', 'articles', 'a-calmer-evening.md');
    if (await waitFor(() => fs.existsSync(article), 'the new article was not written')) {
      const text = fs.readFileSync(article, 'utf8');
      console.log(`saved:\n${text}`);
      if (!/^---\ntitle: "A calmer evening"\n/.test(text)) fail('front matter not in hearth new order');
      if (!/topics: \[sleep\]/.test(text)) fail('topic not saved');
      if (!/books: \[feeling-good\]/.test(text)) fail('book not saved by its slug');
    }
    // The live preview shows it.
    const preview = await context.newPage();
    await waitFor(async () => {
      const r = await preview.goto(`${origin}/articles/a-calmer-evening/`).catch(() => null);
      return r && r.status() === 200;
    }, 'the preview never showed the new article');
    const body = await preview.innerText('main');
    if (!body.includes('A calmer evening')) fail('the preview page lacks the title');
    if (!/Feeling Good/.test(body)) fail('the preview page lacks the recommended book');
    await shot(preview, 'edit-preview.png');
    for (const url of ['/', '/articles/a-calmer-evening/']) {
      await preview.goto(origin + url);
      for (const v of await axe(preview)) fail(`axe on the preview ${url}: ${v}`);
    }

    // The Publish button: the summary, axe on that page, then the confirmation publishes.
    const publishing = await context.newPage();
    await publishing.goto(`${origin}/admin/`);
    await publishing.getByRole('link', { name: 'Put your site online' }).click();
    await publishing.getByRole('heading', { name: 'Put your site online' }).waitFor();
    if (!/Publishing to folder/.test(await publishing.innerText('main'))) fail('the Publish page shows no summary');
    for (const v of await axe(publishing)) fail(`axe on the Publish page: ${v}`);
    await shot(publishing, 'edit-publish.png');
    await publishing.getByRole('button', { name: 'Put it online now' }).click();
    await publishing.getByText('Published.').waitFor();
    await publishing.close();
    if (!fs.existsSync(path.join(site, 'online', 'articles', 'a-calmer-evening', 'index.html'))) {
      fail('the Publish button did not publish the new article');
    }

    // An invalid save is refused with hearth's diagnostic, and nothing is written.
    await newEntry(page, origin, 'books', 'book');
    await field(page, 'Title').fill('Broken book');
    await field(page, 'Author').fill('Someone');
    await field(page, 'ISBN').fill('978-0-00-000000-1');
    refusing = true;
    await publish(page);
    const refused = page.getByText(/Not saved/);
    const shown = () => refused.first().waitFor().then(() => true, () => false);
    let wasShown = await shown();
    if (!wasShown) {
      // Seen once in CI: right after the Publish button's build, Decap's save failed before
      // reaching hearth (no answer logged). Saving again must then be refused by hearth.
      console.log('no refusal shown yet: saving once more');
      await publish(page);
      wasShown = await shown();
    }
    if (wasShown) {
      const message = await refused.first().innerText();
      console.log(`refused as expected: ${message.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (!/content\/books\/broken-book\.md/.test(message)) fail('the error does not name the file');
      await refused.first().scrollIntoViewIfNeeded();
      await shot(page, 'edit-error.png');
    } else {
      fail('no error shown for an invalid ISBN');
    }
    if (fs.existsSync(path.join(site, 'content', 'books', 'broken-book.md'))) fail('the invalid book was written');
    refusing = false;

    // An upload, through the media library, loses its EXIF.
    const photo = path.join(temp, 'office.jpg');
    fs.writeFileSync(photo, jpegWithGps());
    await page.goto(`${origin}/admin/#/collections/articles`);
    await page.getByRole('link', { name: 'Media' }).or(page.getByRole('button', { name: 'Media' })).first().click();
    await page.locator('input[type="file"]').first().setInputFiles(photo);
    await shot(page, 'edit-media.png');
    const stored = path.join(site, 'static', 'images', 'office.jpg');
    if (await waitFor(() => fs.existsSync(stored), 'the upload was not written')) {
      if (fs.readFileSync(stored).includes('GPSLatitude')) fail('the upload kept its GPS EXIF');
    }

    // A second language: the article gets a Spanish side to write in, saved beside it as
    // a.es.md with the date copied from the original; a page only in Spanish has its own list.
    fs.appendFileSync(path.join(site, 'site.toml'), '\n[languages.es]\nname = "Español"\n');
    // Decap reads its configuration once per page load.
    await page.goto('about:blank');
    await page.goto(`${origin}/admin/#/collections/articles/entries/a-calmer-evening`);
    const login = page.getByRole('button', { name: /login/i });
    if (await login.isVisible({ timeout: 3000 }).catch(() => false)) await login.click();
    await page.getByText('Writing in ES').waitFor();
    await field(page, 'Title').nth(0).waitFor();
    // Opening a page changes nothing (a copied field on the Spanish side once did).
    await page.waitForTimeout(1000);
    if (/unsaved changes/i.test(await page.innerText('body'))) fail('opening a page in two languages marked it changed');
    await page.getByLabel(/^Title/).nth(1).fill('Una noche más tranquila');
    await page.getByLabel(/^Description/).nth(1).fill('Pequeñas rutinas para descansar.');
    await shot(page, 'edit-translation.png');
    await publish(page);
    const spanish = path.join(site, 'content', 'articles', 'a-calmer-evening.es.md');
    if (await waitFor(() => fs.existsSync(spanish), 'the Spanish translation was not written')) {
      const text = fs.readFileSync(spanish, 'utf8');
      console.log(`translation saved:\n${text}`);
      if (!/^---\ntitle: "Una noche más tranquila"\n/.test(text)) fail('the translation lacks its title');
      if (!/\ndate: \d{4}-\d\d-\d\d\n/.test(text)) fail('the translation did not take the original date');
    }
    const named = fs.readdirSync(path.join(site, 'content', 'articles')).filter((f) => f.startsWith('a-calmer-evening.'));
    if (named.sort().join(' ') !== 'a-calmer-evening.es.md a-calmer-evening.md') fail(`the article's files are ${named.join(', ')}`);
    for (const other of ['what-to-expect-in-a-first-session', 'small-steps-for-a-heavy-week']) {
      if (fs.existsSync(path.join(site, 'content', 'articles', `${other}.es.md`))) fail(`an untouched translation was written: ${other}`);
    }
    // A page of its own: the preview reloads itself after each save, which would cut
    // short a navigation in a tab that shows a page the save changed.
    const spanishPreview = await context.newPage();
    await waitFor(async () => {
      const r = await spanishPreview.goto(`${origin}/es/articles/a-calmer-evening/`).catch(() => null);
      return r && r.status() === 200;
    }, 'the preview never showed the Spanish page');
    if (!(await spanishPreview.innerText('h1')).includes('Una noche más tranquila')) fail('the Spanish preview lacks its title');
    if ((await spanishPreview.getAttribute('html', 'lang')) !== 'es') fail('the Spanish preview is not lang="es"');
    for (const v of await axe(spanishPreview)) fail(`axe on the Spanish preview: ${v}`);
    await spanishPreview.close();
    await newEntry(page, origin, 'articles-only-es', 'article');
    await field(page, 'Title').fill('Solo para familias');
    await publish(page);
    await waitFor(() => fs.existsSync(path.join(site, 'content', 'articles', 'solo-para-familias.es.md')),
      'the Spanish-only article was not written as solo-para-familias.es.md');
  } finally {
    await browser.close();
    child.kill();
  }
  if (failures.length) {
    console.error(`${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('hearth edit: all browser checks passed');
}

main().catch((e) => { console.error(e); process.exit(1); });
