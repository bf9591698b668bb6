// The footer's pages in the browser: each is reached from the footer of the
// start page by keyboard, and it and the feedback form pass axe-core (WCAG
// 2.1 A/AA and the best practice heading-order) with zero violations; a
// barrier is reported by keyboard alone; an administrator's pages (people,
// a person, the moderation log, the settings, the texts and their form)
// pass the same checks.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { axeCheck, watchPage, formatViolations, serverAndBrowser } = require('../../lib/browser.js');
const { demo } = require('../../lib/http.js');

const env = serverAndBrowser({ locale: 'de-DE' });
const axePath = path.join(__dirname, '..', '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

// axe-core's WCAG rules (axeCheck), then the best practice that headings go
// down one level at a time.
async function checkPage(page, label) {
  await axeCheck(page, label);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: ['heading-order'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  });
  assert.equal(violations.length, 0, `heading order on ${label}:\n${formatViolations(violations)}`);
}

function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el && { tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'), name: el.getAttribute('name') };
  });
}

async function tabTo(page, predicate, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && predicate(f)) return f;
  }
  throw new Error(`not reached with ${max} tabs; focus is on ${JSON.stringify(await focused(page))}`);
}

const FOOTER = ['/impressum', '/datenschutz', '/barrierefreiheit', '/kontakt', '/about', '/leichte-sprache'];

test('every footer link, followed by keyboard from the start page, leads to a page without violations', { timeout: 120000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);
  for (const href of FOOTER) {
    await page.goto(env.server.url + '/');
    await tabTo(page, (f) => f.tag === 'a' && f.href === href);
    assert.ok(await page.locator(`footer a[href="${href}"]`).evaluate((a) => a === document.activeElement), `${href} is in the footer`);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, href);
    assert.equal((await page.locator('main h1').count()), 1);
    await checkPage(page, href);
  }
  // the Leichte-Sprache page is German and links to the plain one, also from the English pages
  await page.goto(env.server.url + '/leichte-sprache?lang=en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('main article').getAttribute('lang'), 'de');
  await checkPage(page, 'Leichte Sprache, English pages');
  await Promise.all([page.waitForNavigation(), page.locator('main a[href="/about"]').click()]);
  await checkPage(page, 'about, English');
  await page.goto(env.server.url + '/?lang=de');
  assert.deepEqual(problems, []);
});

test('a barrier is reported with the keyboard alone, with a mistake shown first', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page, { expected: (url, status) => status === 422 && new URL(url).pathname === '/barrierefreiheit/feedback' });
  await page.goto(env.server.url + '/barrierefreiheit');
  await tabTo(page, (f) => f.href === '/barrierefreiheit/feedback');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await checkPage(page, 'feedback form');
  await tabTo(page, (f) => f.id === 'message');
  await page.keyboard.type('Zu kurz');
  await tabTo(page, (f) => f.tag === 'button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.locator('#form-errors').waitFor();
  assert.equal(await page.locator('#message').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#message').inputValue(), 'Zu kurz');
  await checkPage(page, 'feedback form with a mistake');
  // the summary's link takes the focus to the field
  await page.locator('#form-errors a[href="#message"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#message').focus();
  await page.keyboard.press('End');
  await page.keyboard.type(': die Karte lässt sich nicht mit der Tastatur bedienen.');
  await tabTo(page, (f) => f.tag === 'button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).search, '?sent=1');
  await page.locator('main [role=status]').waitFor();
  await checkPage(page, 'feedback sent');
  assert.deepEqual(problems, []);
});

test("an administrator's pages pass the checks", { timeout: 120000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);
  const { email, password } = demo('admin');
  await page.goto(env.server.url + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/login"] button[type=submit]').click()]);
  for (const p of ['/admin', '/admin/users', '/admin/users?q=demo&limit=3', '/admin/audit', '/admin/settings', '/texts',
    '/texts/edit?page=barrierefreiheit&language=de', '/impressum']) {
    await page.goto(env.server.url + p);
    await checkPage(page, p);
  }
  await page.goto(env.server.url + '/admin/users?q=resident');
  await Promise.all([page.waitForNavigation(), page.locator('main table a').first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/admin\/users\/\d+$/);
  await checkPage(page, 'a person');
  // a version of a text
  await page.goto(env.server.url + '/texts/edit?page=about&language=de');
  await Promise.all([page.waitForNavigation(), page.locator('.text-history a').first().click()]);
  await checkPage(page, 'a version of a text');
  assert.deepEqual(problems, []);
});
