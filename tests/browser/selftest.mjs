#!/usr/bin/env node
// Proves the browser test can fail: runs it on fixtures/bad, a small site
// broken on purpose, and checks that every kind of problem planted there is
// reported, and that its clean pages are not.
//
// Usage: node selftest.mjs        Exit status 0 when all is as expected.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSite, formatFailure } from './run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SITE = path.join(HERE, 'fixtures', 'bad');

// Each planted problem: what it is, and how to recognise its report.
const EXPECTED = [
  ['image without alt', (f) => f.url === '/' && f.kind === 'axe' && f.rule === 'image-alt' && f.target.startsWith('img') && f.scheme === 'light'],
  ['low contrast (light scheme)', (f) => f.url === '/' && f.kind === 'axe' && f.rule === 'color-contrast' && f.scheme === 'light' && f.target.includes('.faint')],
  ['low contrast only in the dark scheme', (f) => f.url === '/' && f.kind === 'axe' && f.rule === 'color-contrast' && f.scheme === 'dark' && f.target.includes('.dark-only')],
  ['request to another host', (f) => f.url === '/' && f.kind === 'external-request' && f.detail === 'https://cdn.example.com/x.js'],
  ['console error', (f) => f.url === '/' && f.kind === 'console-error' && f.detail.includes('selftest: deliberate console error')],
  ['uncaught exception', (f) => f.url === '/' && f.kind === 'page-error' && f.detail.includes('selftest: deliberate uncaught error')],
  ['600 px wide element', (f) => f.url === '/' && f.kind === 'too-wide' && f.target.includes('div.wide')],
  ['missing local file', (f) => f.url === '/' && f.kind === 'http-error' && f.detail.startsWith('404 ') && f.detail.endsWith('/missing.png')],
  ['redirect stub to a missing page', (f) => f.url === '/old-name/' && f.kind === 'redirect' && f.detail.includes('/gone/')],
  ['worksheet too long on Letter', (f) => f.url === '/worksheets/too-long/' && f.kind === 'print' && / Letter pages/.test(f.detail)],
  ['worksheet too long on A4', (f) => f.url === '/worksheets/too-long/' && f.kind === 'print' && / A4 pages/.test(f.detail)],
];

// Pages with nothing wrong: any report on them is a false alarm.
const CLEAN = ['/404.html', '/worksheets/fine/'];
// Things that must not be reported at all.
const NEVER = [
  ['dark-only text reported in the light scheme', (f) => f.kind === 'axe' && f.scheme === 'light' && (f.target || '').includes('.dark-only')],
];

const result = await checkSite(SITE, { jobs: 3, log: null });
let bad = 0;
for (const [name, match] of EXPECTED) {
  const hit = result.failures.find(match);
  if (hit) console.log(`ok      ${name}: ${formatFailure(hit)}`);
  else {
    console.log(`MISSING ${name}`);
    bad++;
  }
}
for (const f of result.failures) {
  if (CLEAN.includes(f.url)) {
    console.log(`FALSE ALARM on a clean page: ${formatFailure(f)}`);
    bad++;
  }
  for (const [name, match] of NEVER) {
    if (match(f)) {
      console.log(`WRONG   ${name}: ${formatFailure(f)}`);
      bad++;
    }
  }
}
for (const page of CLEAN) {
  if (!result.pages.includes(page)) {
    console.log(`NOT OPENED ${page}`);
    bad++;
  }
}
console.log(
  `browser selftest: ${bad ? 'FAILED' : 'passed'}: ${EXPECTED.length} planted problems checked, ` +
    `${result.failures.length} failures reported on fixtures/bad, ${bad} wrong; ${result.seconds.toFixed(1)} s`,
);
process.exit(bad ? 1 : 0);
