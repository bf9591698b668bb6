// The dialogue's corrections in the browser: the author picks the place on
// the map by clicking it, changes the idea and sees the confirmation; the
// team reads what changed, archives only after the question, reopens, and
// removes a comment with a public reason; a reporter is thanked where the
// comment is; the team keeps campaign codes. Every page is checked with
// axe-core (WCAG 2.1 A/AA and the heading order).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server.js');
const { launch, axeCheck, formatViolations } = require('../../lib/browser.js');

let server;
const b = {};
const pages = {};

async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

async function login(page, who) {
  await page.goto(server.url + '/login');
  await page.fill('#email', `${who}@demo.unbox.invalid`);
  await page.fill('#password', `unbox-demo-${who}`);
  await follow(page, page.locator('form[action="/login"] button[type=submit]'));
}

// axe-core as everywhere, and the headings in order.
async function check(page, label) {
  await axeCheck(page, label);
  const order = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'rule', values: ['heading-order'] }, resultTypes: ['violations'],
  })).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })));
  assert.equal(order.length, 0, `heading order on ${label}:\n${formatViolations(order)}`);
}

before(async () => {
  server = await startServer();
  for (const who of ['resident', 'team', 'supporter']) {
    b[who] = await launch({ locale: 'en-GB' });
    pages[who] = await b[who].newPage();
    await login(pages[who], who);
    await pages[who].goto(server.url + '/?lang=en');
  }
});

after(async () => {
  for (const who of Object.keys(b)) await b[who].close();
  if (server) await server.stop();
});

test('the author picks the place on the map, hands the idea in, changes it; the team reads what changed', { timeout: 120000 }, async () => {
  const page = pages.resident;
  await page.goto(server.url + '/ideas/new');
  const stamp = Date.now().toString(36);
  await page.fill('#title', `Trinkbrunnen am Rheinufer ${stamp}`);
  await page.fill('#summary', 'Frisches Wasser für alle, die am Rhein unterwegs sind.');
  await page.fill('#description', 'An heißen Tagen fehlt am Rheinufer Trinkwasser.\n\n- Brunnen\n- Karte');
  await page.locator('#field').selectOption({ index: 1 });
  await page.locator('#applicant_type').selectOption('private');
  await page.check('#consent');
  // a click in the middle of the map: the form comes back with the place and its Stadtteil
  const map = page.locator('input.map-pick__image');
  const box = await map.boundingBox();
  assert.equal(Math.round(box.width), 320, 'drawn at the size the form states');
  await Promise.all([page.waitForNavigation(), map.click({ position: { x: 160, y: 150 } })]);
  assert.equal(new URL(page.url()).pathname, '/ideas');
  assert.ok(await page.locator('#pick-chosen').isVisible());
  assert.match(await page.locator('#lat').inputValue(), /^5[01]\.\d+$/);
  assert.match(await page.locator('#lon').inputValue(), /^[67]\.\d+$/);
  assert.notEqual(await page.locator('#stadtteil').inputValue(), '', 'the Stadtteil is set');
  assert.equal(await page.locator('#title').inputValue(), `Trinkbrunnen am Rheinufer ${stamp}`, 'what was typed stays');
  assert.ok(await page.locator('#consent').isChecked());
  await check(page, 'idea form with a place chosen on the map');
  // Enter in the title hands it in (not the map)
  await Promise.all([page.waitForNavigation(), page.press('#title', 'Enter')]);
  assert.match(new URL(page.url()).pathname, /^\/ideas\/\d+$/);
  const ideaPath = new URL(page.url()).pathname;
  assert.ok(await page.locator('#idea-notice').isVisible(), 'thanks and what happens next');
  await check(page, 'idea page after handing in');

  // changing it
  await follow(page, page.locator(`a[href="${ideaPath}/edit"]`));
  assert.equal(new URL(page.url()).pathname, `${ideaPath}/edit`);
  await check(page, 'edit form');
  await page.fill('#title', 'Ab');
  await follow(page, page.locator(`form[action="${ideaPath}/edit"] button[type=submit]:not([hidden])`));
  assert.ok(await page.locator('#title-error').isVisible());
  await check(page, 'edit form with an error');
  await page.fill('#title', `Trinkbrunnen an Rhein und Weihern ${stamp}`);
  await page.fill('#description', 'An heißen Tagen fehlt am Rheinufer Trinkwasser.\n\n- Brunnen\n- Karte mit allen Brunnen');
  await follow(page, page.locator(`form[action="${ideaPath}/edit"] button[type=submit]:not([hidden])`));
  assert.equal(new URL(page.url()).pathname, ideaPath);
  assert.ok(await page.locator('#idea-notice').isVisible());
  await check(page, 'idea page after a change');

  const team = pages.team;
  await team.goto(server.url + `${ideaPath}/versions`);
  assert.equal(await team.locator('.idea-version').count(), 2);
  assert.ok(await team.locator('ins').filter({ hasText: 'Karte mit allen Brunnen' }).count() >= 1);
  await check(team, 'versions of an idea');
});

test('the team archives after the question, reopens, and removes a comment with a public reason', { timeout: 120000 }, async () => {
  const team = pages.team;
  // an idea in the dialogue with a comment of someone else
  const ideas = await (await team.request.get(server.url + '/api/v1/ideas?status=in_dialogue&limit=1')).json();
  const id = ideas.items[0].id;
  const sup = pages.supporter;
  await sup.goto(server.url + `/ideas/${id}`);
  await sup.fill('#body', 'Kommt alle zum Flohmarkt bei mir, Eintritt 5 Euro!');
  await follow(sup, sup.locator('form.comment-form button[type=submit]'));
  const commentId = new URL(sup.url()).hash.replace('#comment-', '');

  // a report: thanks at the comment
  const rep = pages.resident;
  await rep.goto(server.url + `/ideas/${id}`);
  const article = rep.locator(`#comment-${commentId}`);
  await article.locator('details.moderation__form summary').first().click();
  await article.locator('textarea[name=reason]').first().fill('Das ist Werbung für eine Veranstaltung.');
  await follow(rep, article.locator('form[action$="/report"] button[type=submit]'));
  assert.ok(await rep.locator(`#comment-${commentId} .comment__thanks`).isVisible());
  await check(rep, 'idea page after a report');

  // removing it: the reason is asked for, then shown in place
  await team.goto(server.url + `/ideas/${id}`);
  const art = team.locator(`#comment-${commentId}`);
  await art.locator('summary', { hasText: 'Remove' }).click();
  await follow(team, art.locator('form[action$="/delete"] button[type=submit]'));
  assert.equal(new URL(team.url()).pathname, `/comments/${commentId}/delete`);
  assert.ok(await team.locator('#delete-reason-error').isVisible());
  await check(team, 'removing a comment without a reason');
  await team.fill('#reason', 'Werbung für Veranstaltungen ist im Dialog nicht erlaubt.');
  await follow(team, team.locator(`form[action="/comments/${commentId}/delete"] button[type=submit]`));
  assert.match(await team.locator(`#comment-${commentId}`).innerText(), /Removed by the un:box team: Werbung/);
  await check(team, 'idea page with a removed comment');

  // archiving asks first
  await team.locator('#status').selectOption('archived');
  await team.fill('#reason', 'Die Idee wird im Projekt der Stadtwerke umgesetzt.');
  await follow(team, team.locator(`form[action="/ideas/${id}/status"] button[type=submit]`));
  assert.match(await team.locator('main h1').innerText(), /Archive this idea\?/);
  await check(team, 'the question before archiving');
  await follow(team, team.locator(`form[action="/ideas/${id}/status"] button[type=submit]`));
  assert.equal(new URL(team.url()).pathname, `/ideas/${id}`);
  assert.ok(await team.locator('#idea-closed').isVisible());
  assert.equal(await team.locator(`form[action="/ideas/${id}/comments"]`).count(), 0);
  await check(team, 'an archived idea');
  // and back
  await team.fill('#reopen-reason', 'Die Stadtwerke haben abgesagt; die Idee geht weiter.');
  await follow(team, team.locator(`form[action="/ideas/${id}/reopen"] button[type=submit]`));
  assert.equal(await team.locator('#idea-closed').count(), 0);
  assert.equal(await team.locator(`form.comment-form[action="/ideas/${id}/comments"]`).count(), 1);
  await check(team, 'a reopened idea');

  // campaigns
  await team.goto(server.url + '/campaigns');
  await check(team, 'campaigns');
  await team.fill('#campaign', 'FLYER-Sülz');
  await team.fill('#name', 'Flyer in Sülz');
  await follow(team, team.locator('form[action="/campaigns"] button[type=submit]'));
  assert.ok(await team.locator('#campaign-error').isVisible(), 'an umlaut is no code letter');
  await check(team, 'campaigns with an error');
  await team.fill('#campaign', 'FLYER-Suelz');
  await follow(team, team.locator('form[action="/campaigns"] button[type=submit]'));
  assert.ok((await team.locator('main table').innerText()).includes('FLYER-Suelz'));
});
