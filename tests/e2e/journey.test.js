// A resident's way through the real pages, from the start page to a submitted
// idea, with an accessibility check on every page on the way.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { axeCheck, watchPage, serverAndBrowser } = require('../lib/browser.js');
const { demo } = require('../lib/http.js');

const env = serverAndBrowser({ locale: 'de-DE' });

// Clicks something that loads a new page and waits for it.
async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

test('a resident registers, confirms, logs in, submits an idea, finds it and logs out', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  // The only HTTP error on the way is the form sent with an empty title.
  const problems = watchPage(page, {
    expected: (url, status) => status === 422 && new URL(url).pathname === '/ideas',
  });
  const stamp = Date.now().toString(36);
  const email = `e2e-${stamp}@example.org`;
  const password = 'Rheinufer Dom Brücke 2026';
  const title = `Trinkbrunnen-Karte für den Veedel ${stamp}`;

  // start page
  await page.goto(env.server.url + '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  await page.locator('h1').waitFor();
  await axeCheck(page, 'start page');

  // register
  await follow(page, page.locator('header a[href="/register"]'));
  assert.equal(pathOf(page), '/register');
  await axeCheck(page, 'registration form');
  const logFrom = env.server.log().length;
  await page.fill('#email', email);
  await page.fill('#name', 'Kim E2E');
  await page.fill('#password', password);
  await follow(page, page.locator('form[action="/register"] button[type=submit]'));
  assert.equal(pathOf(page), '/login?registered=1');
  await assert.doesNotReject(page.locator('main [role=status]').waitFor());
  await axeCheck(page, 'login page after registering');

  // the confirmation e-mail is written to the server log
  const m = await env.server.waitForLog(/\/confirm\?token=([A-Za-z0-9_-]+)/, { from: logFrom });
  await page.goto(`${env.server.url}/confirm?token=${m[1]}`);
  assert.equal(await page.locator('form[action="/confirm"] input[name=token]').inputValue(), m[1]);
  await axeCheck(page, 'confirmation page');
  await follow(page, page.locator('form[action="/confirm"] button[type=submit]'));
  assert.equal(pathOf(page), '/login?confirmed=1');
  await page.locator('main [role=status]').waitFor();
  await axeCheck(page, 'login page after confirming');

  // log in
  await page.fill('#email', email);
  await page.fill('#password', password);
  await follow(page, page.locator('form[action="/login"] button[type=submit]'));
  assert.equal(pathOf(page), '/');
  assert.match(await page.locator('header').innerText(), /Kim E2E/);
  await axeCheck(page, 'start page, logged in');

  // the idea form
  await follow(page, page.locator('header a[href="/ideas/new"]'));
  assert.equal(pathOf(page), '/ideas/new');
  assert.deepEqual(await page.locator('header [aria-current=page]').evaluateAll((els) => els.map((e) => e.getAttribute('href'))),
    ['/ideas/new'], 'the navigation marks the form as the current page');
  await axeCheck(page, 'idea form');

  const fieldSelect = page.locator('#field');
  const fieldOption = fieldSelect.locator('option:not([value=""])').nth(1);
  const fieldSlug = await fieldOption.getAttribute('value');
  const fieldName = (await fieldOption.textContent()).trim();
  // a Stadtteil and the Stadtbezirk (its option group) it belongs to
  const group = page.locator('#stadtteil optgroup').nth(3);
  const bezirkName = await group.getAttribute('label');
  const stadtteilOption = group.locator('option').first();
  const stadtteilNr = await stadtteilOption.getAttribute('value');
  const stadtteilName = (await stadtteilOption.textContent()).trim();

  const summary = 'Eine Karte aller öffentlichen Trinkbrunnen, gepflegt von den Menschen im Veedel.';
  const description = 'Im Sommer fehlt Wasser.\n\n- Brunnen eintragen\n- **Defekte** melden';

  // first without a title: the error is shown next to the field, values are kept
  await page.fill('#summary', summary);
  await page.fill('#description', description);
  await fieldSelect.selectOption(fieldSlug);
  await page.locator('#stadtteil').selectOption(stadtteilNr);
  await page.locator('#applicant_type').selectOption('private');
  await page.check('#consent');
  await follow(page, page.locator('form[action="/ideas"] button[type=submit]:not([name=check]):not([hidden])'));
  assert.equal(pathOf(page), '/ideas');
  await page.locator('#form-errors').waitFor();
  const titleBox = page.locator('.kern-form-input:has(#title)');
  assert.match(await titleBox.getAttribute('class'), /kern-form-input--error/);
  const titleError = titleBox.locator('#title-error');
  assert.ok(await titleError.isVisible(), 'the title error is shown in the title field box');
  assert.notEqual((await titleError.innerText()).trim(), '');
  assert.equal(await page.locator('#title').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#title').getAttribute('aria-describedby'), /\btitle-error\b/);
  // the error summary links to the field
  assert.equal(await page.locator('#form-errors a[href="#title"]').count(), 1);
  assert.equal(await page.locator('#form-errors li').count(), 1, 'only the title is wrong');
  assert.equal(await page.locator('.kern-error').count(), 1);
  // what was typed and chosen is still there
  assert.equal(await page.locator('#summary').inputValue(), summary);
  assert.equal(await page.locator('#description').inputValue(), description);
  assert.equal(await fieldSelect.inputValue(), fieldSlug);
  assert.equal(await page.locator('#stadtteil').inputValue(), stadtteilNr);
  assert.equal(await page.locator('#applicant_type').inputValue(), 'private');
  assert.ok(await page.locator('#consent').isChecked(), 'the consent stays given');
  await axeCheck(page, 'idea form with a validation error');

  // now with a title, handed in with Enter in the title field (the default button is "Submit idea")
  await page.fill('#title', title);
  await Promise.all([page.waitForNavigation(), page.press('#title', 'Enter')]);
  assert.match(pathOf(page), /^\/ideas\/\d+\?submitted=1$/);
  assert.ok(await page.locator('#idea-notice').isVisible(), 'the page confirms the submission');
  const ideaPath = pathOf(page).replace(/\?.*/, '');
  assert.equal((await page.locator('main h1').innerText()).trim(), title);
  assert.equal(await page.title(), `${title} – un:box`);
  const details = await page.locator('main').innerText();
  assert.ok(details.includes(summary));
  assert.ok(details.includes(fieldName), `field ${fieldName} shown`);
  assert.ok(details.includes(stadtteilName), `Stadtteil ${stadtteilName} shown`);
  assert.equal(await page.locator('main .markdown strong').innerText(), 'Defekte');
  await axeCheck(page, 'idea page');

  // newest first on /ideas
  await follow(page, page.locator('header a[href="/ideas"]'));
  assert.equal(pathOf(page), '/ideas');
  const firstCard = page.locator('main .card-list > li').first();
  assert.equal((await firstCard.locator('h3').innerText()).trim(), title);
  assert.equal(await firstCard.locator('h3 a').getAttribute('href'), ideaPath);
  await axeCheck(page, 'idea list');

  // filter by its innovation field and its Stadtbezirk
  await page.locator('#filter-field').selectOption(fieldSlug);
  await page.locator('#filter-bezirk').selectOption({ label: bezirkName });
  const bezirkNr = await page.locator('#filter-bezirk').inputValue();
  await follow(page, page.locator('form.filter-form button[type=submit]'));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/ideas');
  assert.equal(url.searchParams.get('field'), fieldSlug);
  assert.equal(url.searchParams.get('bezirk'), bezirkNr);
  // the filter form shows the choice, and every idea listed matches it
  assert.equal(await page.locator('#filter-field').inputValue(), fieldSlug);
  assert.equal(await page.locator('#filter-bezirk').inputValue(), bezirkNr);
  const cards = page.locator('main .card-list > li');
  assert.equal((await cards.first().locator('h3').innerText()).trim(), title);
  for (const meta of await cards.locator('.kern-card__header p').allInnerTexts()) {
    assert.ok(meta.includes(fieldName) && meta.includes(`(${bezirkName})`), `card meta "${meta}" matches the filter`);
  }
  await page.locator('main a[href="/ideas"]').first().waitFor(); // "reset filters"
  await axeCheck(page, 'filtered idea list');

  // log out
  await follow(page, page.locator('header form[action="/logout"] button[type=submit]'));
  assert.equal(pathOf(page), '/');
  assert.equal(await page.locator('header form[action="/logout"]').count(), 0);
  assert.equal(await page.locator('header a[href="/login"]').count(), 1);
  await axeCheck(page, 'start page after logging out');

  // /ideas/new asks to log in again
  await page.goto(env.server.url + '/ideas/new');
  assert.equal(pathOf(page), '/login?next=%2Fideas%2Fnew');
  await axeCheck(page, 'login page on the way to the idea form');

  assert.deepEqual(problems, []);
  await page.close();
});

async function logIn(page, role) {
  await page.goto(env.server.url + '/login');
  await page.fill('#email', demo(role).email);
  await page.fill('#password', demo(role).password);
  await follow(page, page.locator('form[action="/login"] button[type=submit]'));
  assert.equal(pathOf(page), '/');
}

// Fills the fields every idea form shares; the first field and Stadtteil.
async function fillCore(page, title) {
  await page.fill('#title', title);
  await page.fill('#summary', 'Sitzgelegenheiten im Schatten, damit Ältere den Weg zum Markt schaffen.');
  await page.fill('#description', 'Entlang der Wege zum Wochenmarkt fehlen Bänke.\n\n- Standorte sammeln\n- Paten finden');
  await page.locator('#field').selectOption({ index: 1 });
  await page.locator('#stadtteil').selectOption({ index: 1 });
}

test('Enter in a text field hands the idea in; checking for similar ideas is the second button', { timeout: 60000 }, async () => {
  const page = await env.browser.newPage();
  const problems = watchPage(page);
  const stamp = Date.now().toString(36);
  await logIn(page, 'resident');

  await page.goto(env.server.url + '/ideas/new');
  const buttons = page.locator('form[action="/ideas"] button[type=submit]:not([hidden])');   // the hidden first one takes Enter
  assert.deepEqual(await buttons.evaluateAll((els) => els.map((b) => b.name)), ['', 'check'],
    'the submit button comes first, the similar check after it');
  assert.equal(await buttons.nth(1).getAttribute('aria-describedby'), 'check-hint');
  assert.notEqual((await page.locator('#check-hint').innerText()).trim(), '');

  // the check button: the similar ideas above the form, the text kept, nothing handed in
  const title = `Bänke auf dem Weg zum Markt ${stamp}`;
  await fillCore(page, title);
  await page.locator('#applicant_type').selectOption('private');
  await page.check('#consent');
  await follow(page, buttons.nth(1));
  assert.equal(pathOf(page), '/ideas');
  await page.locator('#similar-ideas').waitFor();
  assert.equal(await page.locator('#title').inputValue(), title);
  assert.ok(await page.locator('#consent').isChecked());
  await axeCheck(page, 'idea form with similar ideas');

  // Enter in the title, and then in the co-author field: the idea is handed in once
  await Promise.all([page.waitForNavigation(), page.press('#title', 'Enter')]);
  assert.match(pathOf(page), /^\/ideas\/\d+\?submitted=1$/);
  assert.equal((await page.locator('main h1').innerText()).trim(), title);

  await page.goto(env.server.url + '/ideas/new');
  const second = `Trinkwasser am Spielplatz ${stamp}`;
  await fillCore(page, second);
  await page.locator('#applicant_type').selectOption('private');
  await page.check('#consent');
  await Promise.all([page.waitForNavigation(), page.press('#co_authors', 'Enter')]);
  assert.match(pathOf(page), /^\/ideas\/\d+\?submitted=1$/);
  assert.equal((await page.locator('main h1').innerText()).trim(), second);

  // the assisted form (team): Enter records the idea as well
  await follow(page, page.locator('header form[action="/logout"] button[type=submit]'));
  await logIn(page, 'team');
  await page.goto(env.server.url + '/ideas/assisted');
  assert.equal(await page.locator('form[action="/ideas/assisted"] button[type=submit]').count(), 1);
  const recorded = `Sprechstunde im Veedel ${stamp}`;
  await page.locator('#channel').selectOption({ index: 1 });
  await page.fill('#resident_name', 'Frau Beispiel');
  await fillCore(page, recorded);
  await page.check('#consent');
  await Promise.all([page.waitForNavigation(), page.press('#title', 'Enter')]);
  assert.match(pathOf(page), /^\/ideas\/\d+$/);
  assert.equal((await page.locator('main h1').innerText()).trim(), recorded);

  assert.deepEqual(problems, []);
  await page.close();
});
