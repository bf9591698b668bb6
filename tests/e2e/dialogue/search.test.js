// Searching: from the idea list's search field with the keyboard, through the
// pages of the results, into the comments, and a query that is refused;
// axe-core on every page.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { axeCheck, watchPage, serverAndBrowser } = require('../../lib/browser.js');
const { Client, demo } = require('../../lib/http.js');

const env = serverAndBrowser({ locale: 'de-DE' });

const ideaIds = (page) => page.locator('main a[href^="/ideas/"]').evaluateAll(
  (as) => [...new Set(as.map((a) => a.getAttribute('href')).filter((h) => /^\/ideas\/\d+$/.test(h)))]);

test('a visitor searches with the keyboard and pages through the results', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);

  // the labelled search field of the idea list, typed into and sent with Enter
  await page.goto(env.server.url + '/ideas');
  const field = page.getByLabel('Suchbegriffe').first();
  await field.focus();
  await page.keyboard.type('Daten');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  let url = new URL(page.url());
  assert.equal(url.pathname, '/search');
  assert.equal(url.searchParams.get('q'), 'Daten');
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Ideen durchsuchen');
  assert.equal(await page.locator('#q').inputValue(), 'Daten', 'the query stays in the field');
  const all = await ideaIds(page);
  assert.ok(all.length >= 4, `${all.length} ideas about data`);
  await axeCheck(page, 'search results');

  // three per page: the next page continues where the first stopped, and leads back
  await page.goto(env.server.url + '/search?q=Daten&limit=3');
  const first = await ideaIds(page);
  assert.deepEqual(first, all.slice(0, 3));
  const more = page.locator('main nav a[rel="next"]');
  assert.equal((await more.innerText()).trim(), 'Weitere Ergebnisse');
  await more.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  url = new URL(page.url());
  assert.match(url.searchParams.get('after'), /^[0-2]-\d+$/);
  assert.deepEqual(await ideaIds(page), all.slice(3, 6));
  const back = page.getByRole('link', { name: 'Zurück zu den besten Treffern' });
  assert.equal(await back.getAttribute('href'), '/search?q=Daten&limit=3');
  await axeCheck(page, 'second page of results');

  // the comments instead of the ideas: one written now comes first (the demo content has some too)
  const resident = new Client(env.server.url);
  assert.equal((await resident.login(demo('resident').email, demo('resident').password)).status, 303);
  const idea = Number(all[0].replace('/ideas/', ''));
  const posted = await resident.postJson(`/api/v1/ideas/${idea}/comments`,
    { body: 'Die offenen Daten dazu liegen schon beim Amt.' }, { csrf: await resident.apiCsrf() });
  assert.equal(posted.status, 201);
  await page.selectOption('#search-scope', 'comments');
  await Promise.all([page.waitForNavigation(), page.locator('main form[role="search"] button[type="submit"]').click()]);
  url = new URL(page.url());
  assert.equal(url.searchParams.get('scope'), 'comments');
  assert.equal(await page.locator('#search-scope').inputValue(), 'comments');
  const found = await page.locator('main .card-list a[href*="#comment-"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(found[0], `/ideas/${idea}#comment-${posted.data.id}`, 'the newest comment first');
  assert.ok((await page.locator('main .card-list').innerText()).includes('Die offenen Daten dazu liegen schon beim Amt.'));
  await axeCheck(page, 'comment search');

  assert.deepEqual(problems, []);
  await page.close();
});

test('a query that is too long is refused with the reason next to the field', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page, { expected: (u, status) => status === 400 && u.includes('/search') });
  const res = await page.goto(env.server.url + '/search?q=' + encodeURIComponent('Baum '.repeat(45)));
  assert.equal(res.status(), 400);
  const q = page.locator('#q');
  assert.equal(await q.getAttribute('aria-invalid'), 'true');
  assert.match(await q.getAttribute('aria-describedby'), /q-error/);
  assert.ok(await page.locator('#q-error').isVisible());
  await axeCheck(page, 'refused search');
  assert.deepEqual(problems, []);
  await page.close();
});
