// A resident's self-service by keyboard alone: log in, change the e-mail
// address and confirm it through the link the demo mode prints to the log,
// look at all their data and download it, delete the account. axe-core on
// every page on the way (WCAG 2.1 A/AA and the best practice heading-order),
// with zero violations.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { axeCheck, watchPage, serverAndBrowser } = require('../lib/browser.js');
const { Client } = require('../lib/http.js');

const env = serverAndBrowser({ locale: 'de-DE' });

function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el && {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      href: el.getAttribute('href'),
      text: (el.innerText || el.value || '').trim(),
      form: el.form ? el.form.getAttribute('action') : null,
    };
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

// axe's WCAG rules, and the headings in order (a best practice axe has).
async function check(page, label) {
  await axeCheck(page, label);
  const order = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: ['heading-order'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => v.nodes.map((n) => n.html).join('\n'));
  });
  assert.deepEqual(order, [], `${label}: headings out of order`);
}

async function pressEnter(page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

const pathOf = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

test('self-service by keyboard: change the e-mail address, see and download the data, delete the account', { timeout: 120000 }, async () => {
  const { server } = env;
  // an account to work with, registered and confirmed through the API
  const stamp = Date.now().toString(36);
  const email = `e2e-konto-${stamp}@example.org`;
  const newEmail = `e2e-neu-${stamp}@example.org`;
  const password = 'Rheinufer Dom Brücke 2026';
  const api = new Client(server.url);
  let from = server.log().length;
  let res = await api.postJson('/api/v1/register', { email, name: 'Kim Tastatur', password }, { csrf: await api.apiCsrf() });
  assert.equal(res.status, 202);
  let m = await server.waitForLog(/\/confirm\?token=([A-Za-z0-9_-]+)/, { from });
  assert.equal((await api.postJson('/api/v1/confirm', { token: m[1] }, { csrf: await api.apiCsrf() })).status, 200);

  const page = await env.browser.newPage();
  const problems = watchPage(page, { expected: () => false });

  // log in
  await page.goto(server.url + '/login');
  await tabTo(page, (f) => f.id === 'email');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await pressEnter(page);
  assert.equal(pathOf(page), '/');

  // to the profile through the header
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/profile');
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile');
  await check(page, 'profile');
  assert.match(await page.locator('main').innerText(), /Bürger:in/);

  // change the e-mail address
  await tabTo(page, (f) => f.id === 'email');
  await page.keyboard.type(newEmail);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'password');
  await page.keyboard.type(password);
  from = server.log().length;
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile?done=email_sent');
  assert.match(await page.locator('main [role=status]').innerText(), /Link an die neue Adresse/);
  assert.match(await page.locator('#pending-email').innerText(), new RegExp(newEmail.replace(/\./g, '\\.')));
  await check(page, 'profile, change of address pending');

  // the link from the mail to the new address
  m = await server.waitForLog(new RegExp(`to=${newEmail.replace(/\./g, '\\.')}[\\s\\S]*?(/email/confirm\\?token=[A-Za-z0-9_-]+)`), { from });
  await page.goto(server.url + m[1]);
  await check(page, 'confirmation of the new address');
  await tabTo(page, (f) => f.tag === 'button' && f.form === '/email/confirm');
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile?done=email');
  assert.match(await page.locator('main').innerText(), new RegExp(newEmail.replace(/\./g, '\\.')));
  await check(page, 'profile, new address confirmed');

  // all the data, readable
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/profile/export');
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile/export');
  assert.match(await page.locator('main').innerText(), /Protokolleinträge über Sie/);
  await check(page, 'export page');
  // and as a file
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/profile/export.json');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(download.suggestedFilename(), /^unbox-data-\d+-\d{4}-\d\d-\d\d\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(data.account.email, newEmail);
  assert.ok(data.audit.some((a) => a.action === 'account.email_change'));

  // delete the account
  await page.goto(server.url + '/profile');
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/profile/delete');
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile/delete');
  await check(page, 'delete form');
  // first without the confirmation: the error names the field and the focus can go there
  await tabTo(page, (f) => f.id === 'password');
  await page.keyboard.type(password);
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile/delete');
  await page.locator('#form-errors a[href="#confirm"]').waitFor();
  await check(page, 'delete form with an error');
  await tabTo(page, (f) => f.tag === 'a' && f.href === '#confirm');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.id === 'confirm');
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#confirm').isChecked());
  await tabTo(page, (f) => f.id === 'password');
  await page.keyboard.type(password);
  await pressEnter(page);
  assert.equal(pathOf(page), '/profile/deleted');
  assert.match(await page.locator('h1').innerText(), /Ihr Konto wurde gelöscht/);
  await check(page, 'account deleted');
  // logged out: the header offers the login again
  assert.equal(await page.locator('header a[href="/login"]').count(), 1);

  // a 422 on the way was expected; nothing else went wrong
  assert.deepEqual(problems.filter((p) => !/HTTP 422 for POST .*\/profile\/delete/.test(p)), []);
  await page.close();
});

test('the team blocks a person from their page with a reason; the person is told at login', { timeout: 60000 }, async () => {
  const { server } = env;
  const api = new Client(server.url);
  const stamp = Date.now().toString(36);
  const email = `e2e-sperre-${stamp}@example.org`;
  const password = 'Rheinufer Dom Brücke 2026';
  const from = server.log().length;
  assert.equal((await api.postJson('/api/v1/register', { email, name: 'Gesperrte Person', password }, { csrf: await api.apiCsrf() })).status, 202);
  const m = await server.waitForLog(/\/confirm\?token=([A-Za-z0-9_-]+)/, { from });
  assert.equal((await api.postJson('/api/v1/confirm', { token: m[1] }, { csrf: await api.apiCsrf() })).status, 200);
  const who = new Client(server.url);
  assert.equal((await who.login(email, password)).status, 303);
  const id = (await who.getJson('/api/v1/session')).data.user.id;

  const page = await env.browser.newPage();
  await page.goto(server.url + '/login');
  await page.fill('#email', 'team@demo.unbox.invalid');
  await page.fill('#password', 'unbox-demo-team');
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/login"] button[type=submit]').click()]);
  await page.goto(`${server.url}/moderation`);
  await check(page, 'moderation queue');
  await page.goto(`${server.url}/users/${id}`);
  await check(page, "a person's page");
  // too short a reason: the error next to the field, the text kept
  await tabTo(page, (f) => f.id === 'reason');
  await page.keyboard.type('kurz');
  await tabTo(page, (f) => f.tag === 'button' && f.form === `/users/${id}/block`);
  await pressEnter(page);
  assert.equal(await page.locator('#reason').inputValue(), 'kurz');
  assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
  await check(page, "a person's page with an error");
  await page.fill('#reason', 'Wiederholt beleidigende Kommentare');
  await Promise.all([page.waitForNavigation(), page.locator(`form[action="/users/${id}/block"] button[type=submit]`).click()]);
  assert.match(await page.locator('main').innerText(), /Gesperrt seit/);
  await check(page, "a blocked person's page");

  // the person logs in: told that and why
  const p2 = await env.browser.newPage();
  await p2.context().clearCookies();
  await p2.goto(server.url + '/login');
  await p2.fill('#email', email);
  await p2.fill('#password', password);
  await Promise.all([p2.waitForNavigation(), p2.locator('form[action="/login"] button[type=submit]').click()]);
  assert.match(await p2.locator('main').innerText(), /Ihr Konto wurde vom un:box-Team gesperrt/);
  assert.match(await p2.locator('#blocked-reason').innerText(), /Wiederholt beleidigende Kommentare/);
  await check(p2, 'login of a blocked person');
  await p2.close();
  await page.close();
});
