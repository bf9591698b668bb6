// Submitting an idea with the keyboard only.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { axeCheck, watchPage, serverAndBrowser } = require('../../lib/browser.js');

const env = serverAndBrowser({ locale: 'de-DE' });

// What has the keyboard focus: tag, id, and text or href to tell it apart.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el && {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      cls: el.className,
      href: el.getAttribute('href'),
      text: (el.innerText || '').trim(),
    };
  });
}

async function tabTo(page, predicate, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && predicate(f)) return f;
  }
  throw new Error(`not reached with ${max} tabs; focus is on ${JSON.stringify(await focused(page))}`);
}

test('the skip link comes first and moves the focus to main', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  for (const path of ['/', '/ideas', '/login']) {
    await page.goto(env.server.url + path);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    assert.equal(first.tag, 'a');
    assert.equal(first.href, '#main', `first focusable element on ${path}`);
    assert.ok(await page.locator('.skip-link').isVisible(), 'the focused skip link is visible');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'main');
    // the next Tab goes into the content, not back to the header
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)),
      `after main, Tab stays in main on ${path}`);
  }
  await page.close();
});

test('an idea is submitted with the keyboard only', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);
  const title = 'Sitzbänke mit Schatten am Rheinufer';

  // log in with the keyboard
  await page.goto(env.server.url + '/login');
  await tabTo(page, (f) => f.id === 'email');
  await page.keyboard.type('resident@demo.unbox.invalid');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'password');
  await page.keyboard.type('unbox-demo-resident');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.locator('header form[action="/logout"]').count(), 1);

  // from the start page to the form, following the link with Enter
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/ideas/new');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/ideas/new');
  await axeCheck(page, 'idea form');

  // skip link, then into the form
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).href, '#main');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'main');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'title');
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'summary');
  await page.keyboard.type('Mehr Bänke unter Bäumen, damit ältere Menschen am Wasser Pause machen können.');
  await tabTo(page, (f) => f.id === 'description', 3);
  await page.keyboard.type('Entlang der Promenade fehlen schattige Sitzplätze.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('- Standorte vorschlagen');

  // the selects: arrow keys on the closed select change the choice
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'field');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const field = await page.locator('#field').inputValue();
  assert.notEqual(field, '', 'an innovation field is chosen');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'stadtteil');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  const stadtteil = await page.locator('#stadtteil').inputValue();
  assert.match(stadtteil, /^\d+$/, 'a Stadtteil is chosen');
  const stadtteilName = (await page.locator('#stadtteil option:checked').textContent()).trim();

  // past the optional fields to the applicant type and the consent (Space ticks it)
  await tabTo(page, (f) => f.id === 'applicant_type');
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await page.locator('#applicant_type').inputValue(), '', 'an applicant type is chosen');
  await tabTo(page, (f) => f.id === 'consent');
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#consent').isChecked(), 'the consent is given');

  // the submit button, then Enter
  await page.keyboard.press('Tab');
  const button = await focused(page);
  assert.equal(button.tag, 'button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(new URL(page.url()).pathname, /^\/ideas\/\d+$/);
  assert.equal((await page.locator('main h1').innerText()).trim(), title);
  assert.ok((await page.locator('main').innerText()).includes(stadtteilName));
  assert.equal(await page.locator('main .markdown li').innerText(), 'Standorte vorschlagen');
  await axeCheck(page, 'idea page');

  assert.deepEqual(problems, []);
  await page.close();
});

test('focus is visible on links, fields and buttons', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  await page.goto(env.server.url + '/register');
  const seen = new Set();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const ring = s.boxShadow && s.boxShadow !== 'none';
      return { tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'), visible: outline || ring };
    });
    if (!info) break;
    assert.ok(info.visible, `no visible focus on ${JSON.stringify(info)}`);
    seen.add(info.tag);
  }
  for (const tag of ['a', 'input', 'button']) assert.ok(seen.has(tag), `reached a ${tag}`);
  await page.close();
});
