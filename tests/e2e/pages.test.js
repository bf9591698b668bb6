// Every page as every role meets it, in the states people leave it in (comments,
// replies, reports, hidden and merged ideas, notifications, forms sent empty):
// axe-core finds nothing (WCAG 2.1 AA and the best practice heading-order), no
// reference points to a missing id, and the layout holds on a phone.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');
const { launch, axeCheck, watchPage } = require('../lib/browser.js');
const { loginRoles, validIdea } = require('../lib/http.js');

let server;
let browser;
let phone;
const state = {};
const ROLES = ['resident', 'team', 'committee', 'spurgruppe', 'supporter', 'steward', 'admin'];

before(async () => {
  server = await startServer();
  // the states pages are seen in, made through the API
  const { clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'committee']);
  const post = (role, path, body) => clients[role].postJson('/api/v1' + path, body, { csrf: csrf[role] });
  let res = await post('resident', '/ideas', validIdea({ title: 'Trinkbrunnen im Veedel finden' }));
  assert.equal(res.status, 201);
  state.own = res.data.id;
  await post('resident', '/ideas/1/follow', {});
  res = await post('team', '/ideas/1/comments', { body: 'Danke, wir schauen uns das an.' });
  assert.equal(res.status, 201);
  state.comment = res.data.id;
  res = await post('resident', '/ideas/1/comments', { body: 'Eine Antwort.', parent: String(state.comment) });
  assert.equal(res.status, 201);
  res = await post('committee', '/ideas/1/comments', { body: 'Das gehört hier nicht hin, finde ich.' });
  state.reported = res.data.id;
  assert.equal((await post('resident', `/comments/${state.reported}/report`, { reason: 'Das ist kein Beitrag zur Idee.' })).status, 201);
  res = await post('committee', '/ideas/1/comments', { body: 'Ein Kommentar, den das Team verbirgt.' });
  assert.equal((await post('team', `/comments/${res.data.id}/hide`, { reason: 'Enthält persönliche Daten.' })).status, 200);
  assert.equal((await post('resident', '/ideas/2/report', { reason: 'Diese Idee gibt es schon.' })).status, 201);
  assert.equal((await post('team', '/ideas/3/hide', { reason: 'Die Idee enthält Werbung.' })).status, 200);
  assert.equal((await post('team', '/ideas/4/merge', { target: '5', reason: 'Dieselbe Idee wie Nummer 5.' })).status, 200);
  // the demo content has idea 1 in dialogue already; a fresh one is moved there
  if ((await clients.team.getJson('/api/v1/ideas/1')).data.status === 'submitted') {
    assert.equal((await post('team', '/ideas/1/status', { status: 'in_dialogue' })).status, 200);
  }
  const me = await clients.team.getJson('/api/v1/session');
  assert.equal((await post('team', '/ideas/1/caretaker', { caretaker: String(me.data.user.id) })).status, 200);

  browser = await launch({ locale: 'de-DE' });
  phone = await launch({ locale: 'de-DE', viewport: { width: 360, height: 740 } });
});

after(async () => {
  if (browser) await browser.close();
  if (phone) await phone.close();
  if (server) await server.stop();
});

async function logIn(page, role) {
  await page.goto(server.url + '/login');
  await page.fill('#email', `${role}@demo.unbox.invalid`);
  await page.fill('#password', `unbox-demo-${role}`);
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/login"] button[type=submit]').click()]);
  assert.equal(new URL(page.url()).pathname, '/', `${role} is logged in`);
}

function pagesFor(role) {
  const all = ['/', '/ideas', '/ideas?field=bildung-kultur&sort=supported', '/ideas/map', '/ideas/map?bezirk=1',
    '/ideas/1', '/ideas/2', '/ideas/3', '/ideas/4', `/ideas/${state.own}`, '/ideas/1/comments',
    `/comments/${state.comment}/replies`, '/ideas/1/attachments', '/search', '/search?q=Karte',
    '/search?q=Karte&scope=comments', '/search?q=Karte&field=nicht-da', '/ideas/similar?title=Karte%20der%20B%C3%A4nke',
    '/cycles', '/cycles/1', '/cycles/2', '/gibt-es-nicht', '/ideas/99999'];
  if (role === 'anon') return [...all, '/login', '/register', '/confirm?token=abc', '/coauthor?token=abc'];
  const mine = ['/ideas/new', '/profile', '/notifications'];
  const team = ['/moderation', '/caretaker', '/ideas/assisted', '/cycles/new', '/cycles/1/edit'];
  return [...all, ...mine, ...(role === 'team' || role === 'admin' ? team : [])];
}

// HTTP errors the pages answer on purpose
const expected = (url, status) => [404, 409, 400, 422, 403].includes(status);

for (const role of ['anon', ...ROLES]) {
  test(`every page as ${role}: no accessibility violation, headings in order, no reference to a missing id`, { timeout: 120000 }, async () => {
    const page = await browser.newPage();
    const problems = watchPage(page, { expected });
    if (role !== 'anon') await logIn(page, role);
    const failed = [];   // every page is looked at, and all that failed are told at once
    for (const path of pagesFor(role)) {
      await page.goto(server.url + path);
      try {
        await axeCheck(page, `${path} as ${role}`);
      } catch (e) {
        failed.push(e.message);
      }
    }
    assert.deepEqual(failed, []);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

// Sends the form on the page without filling it in (the browser's own checks off).
async function sendEmpty(page, form) {
  await page.evaluate((sel) => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    document.querySelector(sel).noValidate = true;
  }, form);
  await Promise.all([page.waitForNavigation(), page.locator(`${form} button[type=submit]:not([hidden])`).first().click()]);
}

test('forms sent empty: the summary links to each field, the page passes axe', { timeout: 120000 }, async () => {
  const forms = [
    ['anon', '/register', 'form[action="/register"]'],
    ['anon', '/login', 'form[action="/login"]'],
    ['resident', '/ideas/new', 'form[action="/ideas"]'],
    ['resident', '/ideas/1', 'form[action="/ideas/1/comments"]'],
    ['resident', '/ideas/1', 'form[action="/ideas/1/report"]'],
    ['team', '/ideas/assisted', 'form[action="/ideas/assisted"]'],
    ['team', '/cycles/new', 'form[action="/cycles"]'],
    ['team', '/ideas/2', 'form[action="/ideas/2/status"]'],
    ['team', '/ideas/2', 'form[action="/ideas/2/merge"]'],
    ['team', '/ideas/2', 'form[action="/ideas/2/hide"]'],
    ['team', '/ideas/2', 'form[action="/ideas/2/attachments"]'],
  ];
  const pages = {};
  const failed = [];
  for (const [role, path, form] of forms) {
    if (!pages[role]) {
      pages[role] = await browser.newPage();
      if (role !== 'anon') await logIn(pages[role], role);
    }
    const page = pages[role];
    await page.goto(server.url + path);
    if (form.includes('/status')) {   /* a change that needs a reason */
      const values = await page.locator('#status option').evaluateAll((os) => os.map((o) => o.value));
      await page.selectOption('#status', values.find((v) => ['not_eligible', 'archived', 'withdrawn'].includes(v)));
    }
    await sendEmpty(page, form);
    const links = page.locator('#form-errors li a');
    assert.ok(await links.count() > 0, `${form}: a summary`);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.equal(await page.locator(href).count(), 1, `${form}: ${href} is on the page`);
    }
    // the first entry leads to its field
    await links.first().click();
    const target = (await links.first().getAttribute('href')).slice(1);
    assert.equal(new URL(page.url()).hash, '#' + target);
    try {
      await axeCheck(page, `${form} sent empty`);
    } catch (e) {
      failed.push(e.message);
    }
  }
  assert.deepEqual(failed, []);
  for (const p of Object.values(pages)) await p.close();
});

test('on a phone: no page scrolls sideways; the caretaker table scrolls in its own box', { timeout: 120000 }, async () => {
  const page = await phone.newPage();
  await logIn(page, 'team');
  for (const path of ['/', '/ideas', '/ideas/map', '/ideas/1', '/ideas/new', '/ideas/assisted', '/cycles/new',
    '/notifications', '/moderation', '/caretaker', '/search?q=Karte', '/profile']) {
    await page.goto(server.url + path);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 0, `${path} is ${wide} pixels wider than the phone`);
  }
  await page.goto(server.url + '/caretaker');
  const box = page.locator('.kern-table-responsive:has(.caretaker-table)');
  assert.equal(await box.getAttribute('tabindex'), '0', 'reachable by keyboard to scroll');
  assert.ok(await box.evaluate((el) => el.scrollWidth > el.clientWidth), 'the table scrolls inside its box');
  await axeCheck(page, '/caretaker on a phone');
  await page.close();
});

test('the header and the notification list: log out looks like the links beside it, "mark as read" is one line', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  await logIn(page, 'resident');
  const logout = page.locator('header form[action="/logout"] button');
  const link = page.locator('header a[href="/notifications"]');
  const style = (loc) => loc.evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, size: s.fontSize, weight: s.fontWeight, decoration: s.textDecorationLine, background: s.backgroundColor };
  });
  const [a, b] = [await style(logout), await style(link)];
  assert.deepEqual({ ...a, background: undefined }, { ...b, background: undefined });
  assert.equal(a.background, 'rgba(0, 0, 0, 0)');

  await page.goto(server.url + '/notifications');
  const button = page.locator('.notification button').first();
  assert.equal(await button.count(), 1, 'an unread notification');
  const lineHeight = await button.evaluate((el) => parseFloat(getComputedStyle(el.querySelector('.kern-label')).lineHeight));
  const height = await button.locator('.kern-label').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(height < lineHeight * 1.5, `"Als gelesen markieren" on one line (${height}px)`);
  assert.match(await button.getAttribute('aria-describedby'), /^notification-\d+$/);
  await page.close();
});

test('the map page: on a wide screen the filters stand beside the map and its legend', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  await page.goto(server.url + '/ideas/map');
  const form = await page.locator('form.map-layout__filters').boundingBox();
  const legend = await page.locator('.idea-map-figure svg').boundingBox();
  assert.ok(form.x >= legend.x + legend.width, 'the filters right of the map');
  assert.ok(form.y < legend.y + legend.height, 'and beside it, not below');
  await page.close();
});
