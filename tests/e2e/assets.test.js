// The pages load their style sheets and fonts under the real Content Security
// Policy, with no failed request and no console error.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const { watchPage, serverAndBrowser } = require('../lib/browser.js');

// no CSP bypass here: a blocked style or font must show up as an error
const env = serverAndBrowser({ locale: 'de-DE', bypassCSP: false });

// Style facts that only hold when kern.min.css, its fonts and unbox.css apply.
function styleFacts(page) {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const css = (sel, prop) => {
      const el = document.querySelector(sel);
      return el ? getComputedStyle(el)[prop] : null;
    };
    return {
      sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => ({
        href: new URL(l.href).pathname,
        rules: l.sheet ? l.sheet.cssRules.length : -1,
      })),
      bodyFont: getComputedStyle(document.body).fontFamily,
      firaLoaded: [...document.fonts].some((f) => f.family.replace(/['"]/g, '') === 'Fira Sans' && f.status === 'loaded'),
      containerMaxWidth: css('main.kern-container', 'maxWidth'),
      linkDecoration: css('main .kern-link, header .kern-link', 'textDecorationLine'),
      h1Weight: css('main h1', 'fontWeight'),
      skipLinkPosition: css('.skip-link', 'position'),
      headerDisplay: css('.site-header__inner', 'display'),
    };
  });
}

function assertStyled(facts, where) {
  const names = facts.sheets.map((s) => s.href);
  for (const want of ['/static/kern/fonts/fira-sans.css', '/static/kern/kern.min.css', '/static/css/unbox.css'])
    assert.ok(names.includes(want), `${where}: links ${want}`);
  for (const s of facts.sheets) assert.ok(s.rules > 0, `${where}: ${s.href} has rules (${s.rules})`);
  assert.match(facts.bodyFont, /Fira Sans/, `${where}: body font from KERN`);
  assert.ok(facts.firaLoaded, `${where}: the Fira Sans web font is loaded`);
  assert.notEqual(facts.containerMaxWidth, 'none', `${where}: .kern-container has a max-width from KERN`);
  assert.equal(facts.skipLinkPosition, 'absolute', `${where}: unbox.css applies`);
  assert.equal(facts.headerDisplay, 'flex', `${where}: unbox.css header layout`);
}

test('pages are styled by KERN, with no failed request and no console error', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page, {
    expected: (url, status) => {
      const u = new URL(url);
      return (status === 404 && u.pathname === '/no-such-page') ||
        (status === 422 && u.pathname === '/ideas');
    },
  });
  const responses = [];
  page.on('response', (r) => responses.push(new URL(r.url()).pathname));

  const visit = async (p) => {
    const res = await page.goto(env.server.url + p);
    assertStyled(await styleFacts(page), p);
    return res;
  };

  await visit('/');
  // a primary button gets its colour from KERN
  const btn = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.kern-btn--primary'));
    return { bg: s.backgroundColor, color: s.color };
  });
  assert.notEqual(btn.bg, 'rgba(0, 0, 0, 0)', 'primary button has a background colour');
  assert.notEqual(btn.bg, btn.color);

  await visit('/ideas');
  await visit(await page.locator('main .card-list a').first().getAttribute('href'));
  await visit('/register');
  await visit('/login');
  await visit('/confirm?token=abc');
  assert.equal((await visit('/no-such-page')).status(), 404);

  // logged in: the idea form, also with errors
  await page.goto(env.server.url + '/login');
  await page.fill('#email', 'resident@demo.unbox.invalid');
  await page.fill('#password', 'unbox-demo-resident');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  await visit('/ideas/new');
  await visit('/profile');
  await page.goto(env.server.url + '/ideas/new');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/ideas"] button[type=submit]:not([name=check]):not([hidden])')]);
  assertStyled(await styleFacts(page), 'idea form with errors');
  // each problem is listed once in the summary, and shown at its field
  const listed = await page.locator('#form-errors li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(listed, ['#title', '#summary', '#description', '#field', '#stadtteil', '#applicant_type', '#consent']);
  assert.equal(await page.locator('#form-errors .kern-alert__body').count(), 1);
  assert.equal(await page.locator('form .kern-error').count(), 7);

  for (const want of ['/static/kern/kern.min.css', '/static/css/unbox.css'])
    assert.ok(responses.includes(want), `${want} was requested`);
  assert.ok(responses.some((p) => p.endsWith('.woff2')), 'a web font was requested');
  assert.deepEqual(problems, []);
  await page.close();
});

test('no horizontal scrolling on a small screen', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  for (const p of ['/', '/ideas', '/register', '/login']) {
    await page.goto(env.server.url + p);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${p}: page is ${scroll}px wide on a ${client}px screen`);
  }
  await page.close();
});

test('screenshots of the start page and the idea form', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const dir = process.env.UNBOX_SCREENSHOTS || os.tmpdir();
  await page.goto(env.server.url + '/');
  await page.screenshot({ path: path.join(dir, 'unbox-start.png'), fullPage: true });
  await page.goto(env.server.url + '/login?next=%2Fideas%2Fnew');
  await page.fill('#email', 'resident@demo.unbox.invalid');
  await page.fill('#password', 'unbox-demo-resident');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/ideas/new');
  await page.screenshot({ path: path.join(dir, 'unbox-idea-form.png'), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(env.server.url + '/');
  await page.screenshot({ path: path.join(dir, 'unbox-start-small.png'), fullPage: true });
  await page.close();
});
