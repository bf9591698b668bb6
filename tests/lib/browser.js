// Browser helpers for the end-to-end tests: Debian's chromium driven by
// playwright-core, and an accessibility check with axe-core.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..', '..');
const axePath = path.join(root, 'node_modules', 'axe-core', 'axe.min.js');
const executablePath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Starts chromium headless with a fresh profile and returns a browser context
// plus close(). axe is injected as a script, which the pages' CSP forbids, so
// the CSP is bypassed unless bypassCSP is false (to see CSP violations).
async function launch({ locale = 'de-DE', viewport = { width: 1280, height: 900 }, bypassCSP = true } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ARGS,
    bypassCSP,
    locale,
    viewport,
    timeout: 30000,
  });
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(15000);
  return {
    context,
    async newPage() {
      return context.newPage();
    },
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const target = n.target.join(' ');
      const html = n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html;
      const why = (n.failureSummary || '').split('\n').map((l) => '        ' + l.trim()).join('\n');
      return `    at ${target}\n      ${html}\n${why}`;
    }).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

// The references of the page that point nowhere: aria-describedby,
// aria-labelledby, aria-controls, aria-owns, aria-errormessage, for= and
// links to "#id" whose element is not on the page. ["label: attr=#id", …]
async function missingReferences(page) {
  return page.evaluate(() => {
    const missing = [];
    const has = (id) => document.getElementById(id) !== null;
    const what = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '');
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-owns', 'aria-errormessage', 'for']) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean))
          if (!has(id)) missing.push(`${what(el)}: ${attr}=#${id}`);
      }
    }
    for (const a of document.querySelectorAll('a[href^="#"]')) {
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      if (id && !has(id)) missing.push(`a "${a.textContent.trim().slice(0, 60)}": href=#${id}`);
    }
    return missing;
  });
}

// Runs axe-core (WCAG 2.0/2.1 level A and AA rules, and the best practice
// heading-order: no level skipped on the way down) on the page and fails with
// a readable list when it finds any violation or a reference to an id that is
// not on the page.
async function axeCheck(page, label = '') {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'heading-order': { enabled: true } },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
  const where = label || page.url();
  assert.equal(result.length, 0,
    `${result.length} accessibility violation(s) on ${where}:\n${formatViolations(result)}`);
  const missing = await missingReferences(page);
  assert.deepEqual(missing, [], `references to ids that are not on ${where}:\n  ${missing.join('\n  ')}`);
}

// Collects what went wrong while pages load: failed requests, HTTP errors and
// console errors. expected(url, status) may allow some HTTP errors.
function watchPage(page, { expected = () => false } = {}) {
  const problems = [];
  page.on('requestfailed', (req) => {
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected(res.url(), res.status()))
      problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    // HTTP errors are judged above, by their status
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of \d+/.test(msg.text()))
      problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

// For a test file that needs one server (fresh database with the demo
// content) and one browser: starts both before its tests, stops both after.
// Returns an object whose server and browser are set once they run.
function serverAndBrowser(launchOptions = { locale: 'de-DE' }) {
  const { before, after } = require('node:test');
  const { startServer } = require('./server.js');
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch(launchOptions);
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.stop();
  });
  return env;
}

module.exports = { launch, axeCheck, missingReferences, watchPage, formatViolations, executablePath, serverAndBrowser };
