// Switching between German and English with the link in the header.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { launch, axeCheck, watchPage, serverAndBrowser } = require('../lib/browser.js');

const env = serverAndBrowser({ locale: 'de-DE' });

const lang = (page) => page.locator('html').getAttribute('lang');
const switchLink = (page) => page.locator('header a[hreflang]');

async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

test('the English link switches to English and the German one back', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);

  await page.goto(env.server.url + '/');
  assert.equal(await lang(page), 'de');
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Deine Stadt, Deine Ideen');
  assert.equal(await switchLink(page).getAttribute('hreflang'), 'en');
  assert.equal(await switchLink(page).getAttribute('lang'), 'en', 'the link text is marked as English');
  assert.equal((await switchLink(page).innerText()).trim(), 'English');

  await follow(page, switchLink(page));
  assert.equal(await lang(page), 'en');
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Your city, your ideas');
  assert.equal(await page.locator('header nav a[href="/ideas"]').innerText(), 'Ideas');
  assert.equal((await switchLink(page).innerText()).trim(), 'Deutsch');
  assert.equal(await switchLink(page).getAttribute('hreflang'), 'de');
  await axeCheck(page, 'start page in English');

  // the choice is kept on the next page
  await follow(page, page.locator('header nav a[href="/ideas"]'));
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await lang(page), 'en');
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Ideas');
  await axeCheck(page, 'idea list in English');

  // filters survive the switch
  await page.goto(env.server.url + '/ideas?field=' + encodeURIComponent(
    await page.locator('#filter-field option:not([value=""])').first().getAttribute('value')));
  const filtered = new URL(page.url()).searchParams.get('field');
  await follow(page, switchLink(page));
  assert.equal(await lang(page), 'de');
  assert.equal(new URL(page.url()).searchParams.get('field'), filtered);
  assert.equal(await page.locator('#filter-field').inputValue(), filtered);
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Ideen');
  await axeCheck(page, 'filtered idea list in German');

  // and German stays
  await follow(page, page.locator('header a[href="/"]').first());
  assert.equal(await lang(page), 'de');
  assert.equal((await switchLink(page).innerText()).trim(), 'English');

  assert.deepEqual(problems, []);
  await page.close();
});

test('an English browser gets English pages', { timeout: 60000 }, async () => {
  const en = await launch({ locale: 'en-GB' });
  try {
    const page = await en.newPage();
    await page.goto(env.server.url + '/register');
    assert.equal(await lang(page), 'en');
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Register');
    await follow(page, switchLink(page));
    assert.equal(await lang(page), 'de');
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Registrieren');
  } finally {
    await en.close();
  }
});
