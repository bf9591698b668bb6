// The resident's journey with the keyboard alone: submit an idea with all its
// fields, then support, follow, comment on and answer in the dialogue of an
// idea. Every stop of the focus must be visible.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { axeCheck, watchPage, serverAndBrowser } = require('../../lib/browser.js');

const env = serverAndBrowser({ locale: 'de-DE' });

// What has the focus, and whether it is drawn (outline or ring).
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow && s.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      href: el.getAttribute('href'),
      action: el.form ? el.form.getAttribute('action') : null,
      text: (el.innerText || '').trim(),
      visible: Boolean(outline || ring),
    };
  });
}

// Tabs until the predicate holds, checking on the way that focus is visible.
async function tabTo(page, predicate, what, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    assert.ok(f.visible, `the focus is visible on ${JSON.stringify(f)}`);
    if (predicate(f)) return f;
  }
  throw new Error(`${what}: not reached with ${max} tabs; focus is on ${JSON.stringify(await focused(page))}`);
}

async function enterAndWait(page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  return new URL(page.url()).pathname;
}

test('a resident submits an idea, supports, follows, comments and answers with the keyboard alone', { timeout: 90000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);
  const title = `Trinkwasserbrunnen auf Spielplätzen ${Date.now().toString(36)}`;

  // log in
  await page.goto(env.server.url + '/login');
  await tabTo(page, (f) => f.id === 'email', 'e-mail');
  await page.keyboard.type('resident@demo.unbox.invalid');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'password');
  await page.keyboard.type('unbox-demo-resident');
  assert.equal(await enterAndWait(page), '/');

  // to the form
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/ideas/new', 'link to the form');
  assert.equal(await enterAndWait(page), '/ideas/new');

  // the form, field by field in the order of the page
  await tabTo(page, (f) => f.id === 'title', 'title');
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'summary');
  await page.keyboard.type('Kinder brauchen im Sommer Wasser, direkt am Spielplatz.');
  await tabTo(page, (f) => f.id === 'description', 'description', 3);
  await page.keyboard.type('Viele Spielplätze haben keinen Brunnen.');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'field');
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await page.locator('#field').inputValue(), '');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'stadtteil');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  assert.match(await page.locator('#stadtteil').inputValue(), /^\d+$/);
  // the place is optional: passed over
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'lat');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'lon');
  // the map to click on is a button too: passed over
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).type, 'image');
  // checkboxes: Space ticks
  await page.keyboard.press('Tab');
  const zielbild = await focused(page);
  assert.equal(zielbild.type, 'checkbox');
  assert.match(zielbild.id, /^zielbild-/);
  await page.keyboard.press('Space');
  assert.ok(await page.locator(`#${zielbild.id}`).isChecked(), 'the Zielbild is ticked');
  await tabTo(page, (f) => f.id === 'need-space', 'need: space');
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#need-space').isChecked());
  await tabTo(page, (f) => f.id === 'applicant_type', 'applicant type');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#applicant_type').inputValue(), 'private');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'co_authors');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'consent');
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#consent').isChecked());
  await page.keyboard.press('Tab');
  const submit = await focused(page);
  assert.equal(submit.tag, 'button');
  assert.equal(submit.action, '/ideas');
  const ideaPath = await enterAndWait(page);
  assert.match(ideaPath, /^\/ideas\/\d+$/);
  assert.equal((await page.locator('main h1').innerText()).trim(), title);
  assert.ok((await page.locator('main .kern-description-list').innerText()).includes('Räume'));
  await axeCheck(page, 'the new idea');

  // to another idea through the list
  await tabTo(page, (f) => f.tag === 'a' && f.href === '/ideas', 'link to the list');
  assert.equal(await enterAndWait(page), '/ideas');
  // an idea of someone else: one's own ideas take no support from oneself
  const mine = new Set((await (await page.request.get(new URL('/api/v1/profile/ideas?limit=100', page.url()).href)).json()).items
    .map((i) => `/ideas/${i.id}`));
  const other = await tabTo(page, (f) => f.tag === 'a' && /^\/ideas\/\d+$/.test(f.href || '') && !mine.has(f.href),
    'another idea in the list');
  assert.equal(await enterAndWait(page), other.href);

  // support
  const supports = Number(await page.locator('main .idea-supports').innerText());   // the demo ideas have some
  await tabTo(page, (f) => f.tag === 'button' && f.action === `${other.href}/support`, 'support button');
  assert.equal(await enterAndWait(page), other.href);
  assert.equal(await page.locator('main .idea-supports').innerText(), String(supports + 1));
  assert.equal(await page.locator('#support-state').count(), 1);

  // follow
  await tabTo(page, (f) => f.tag === 'button' && f.action === `${other.href}/follow`, 'follow button');
  assert.equal(await enterAndWait(page), other.href);
  assert.equal(await page.locator('#follow-state').count(), 1);

  // comment
  await tabTo(page, (f) => f.id === 'body', 'comment field');
  await page.keyboard.type('Das würde ich sofort nutzen.');
  await page.keyboard.press('Tab');
  const post = await focused(page);
  assert.equal(post.tag, 'button');
  assert.equal(post.action, `${other.href}/comments`);
  assert.equal(await enterAndWait(page), other.href);
  const m = new URL(page.url()).hash.match(/^#comment-(\d+)$/);
  assert.ok(m, 'the page points at the new comment');
  const comment = m[1];
  assert.match(await page.locator(`#comment-${comment} .comment__body`).innerText(), /sofort nutzen/);

  // answer it: Enter opens the reply form
  const thread = page.locator(`li.comment-thread:has(> #comment-${comment})`);
  await tabTo(page, (f) => f.tag === 'summary' && f.text === 'Antworten', 'reply summary');
  assert.ok(await page.evaluate((id) => document.activeElement.closest('li.comment-thread')
    .querySelector(':scope > article').id === `comment-${id}`, comment), 'the reply of the new comment');
  await page.keyboard.press('Enter');
  assert.ok(await thread.locator('details.comment-reply').evaluate((d) => d.open));
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, `reply-${comment}`);
  await page.keyboard.type('Und im Winter abstellen, nicht vergessen.');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).tag, 'button');
  assert.equal(await enterAndWait(page), other.href);
  assert.equal(await thread.locator('.comment-replies .comment__body', { hasText: 'im Winter abstellen' }).count(), 1);
  await axeCheck(page, 'idea page after the keyboard journey');

  assert.deepEqual(problems, []);
  await page.close();
});
