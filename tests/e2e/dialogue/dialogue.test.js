// The dialogue around ideas in the browser: a resident submits, comments,
// answers, edits, supports and follows; a caretaker takes an idea into care,
// moves it on and answers; a moderator hides a reported comment and shows it
// again. Every page and state on the way is checked with axe-core.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server.js');
const { launch, axeCheck, watchPage } = require('../../lib/browser.js');

let server;
// one browser (own cookies) per person, and one for anonymous visitors
const b = {};
const pages = {};
const problems = {};
let teamName;

// The 422 pages the tests ask for on purpose: forms sent with errors.
function expectedError(url, status) {
  const p = new URL(url).pathname;
  return status === 422 && (p === '/ideas' || /^\/ideas\/\d+\/(comments|status)$/.test(p) ||
    /^\/comments\/\d+\/(edit|report|hide)$/.test(p));
}

async function login(page, who) {
  await page.goto(server.url + '/login');
  await page.fill('#email', `${who}@demo.unbox.invalid`);
  await page.fill('#password', `unbox-demo-${who}`);
  await follow(page, page.locator('form[action="/login"] button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/', `${who} is logged in`);
}

before(async () => {
  server = await startServer();
  for (const who of ['resident', 'team', 'supporter', 'anon']) {
    b[who] = await launch({ locale: 'de-DE' });
    pages[who] = await b[who].newPage();
    problems[who] = watchPage(pages[who], { expected: expectedError });
    if (who !== 'anon') await login(pages[who], who);
  }
  teamName = (await pages.team.locator('header a[href="/profile"]').innerText()).trim();
});

after(async () => {
  for (const who of Object.keys(b)) await b[who].close();
  if (server) await server.stop();
});

// Clicks something that loads a new page and waits for it.
async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

// The unread count in the header; 0 when none is shown.
async function unreadCount(page) {
  const badge = page.locator('header .notification-count');
  if (await badge.count() === 0) return 0;
  const m = (await badge.innerText()).match(/\d+/);
  return m ? Number(m[0]) : 0;
}

// The thread (li.comment-thread) that starts with comment id.
function thread(page, id) {
  return page.locator(`li.comment-thread:has(> #comment-${id})`);
}

function commentIdOf(page) {
  const m = new URL(page.url()).hash.match(/^#comment-(\d+)$/);
  assert.ok(m, `the page ${page.url()} points at a comment`);
  return m[1];
}

// A demo idea from the list, by its position on the first page.
async function demoIdea(page, n) {
  await page.goto(server.url + '/ideas');
  const link = page.locator('main .card-list > li h3 a').nth(n);
  return { path: await link.getAttribute('href'), title: (await link.innerText()).trim() };
}

async function postComment(page, ideaPath, text) {
  await page.goto(server.url + ideaPath);
  await page.fill('form.comment-form #body', text);
  await follow(page, page.locator('form.comment-form button[type=submit]'));
  assert.equal(pathOf(page), ideaPath);
  return commentIdOf(page);
}

test('a resident submits an idea, comments, answers, edits, supports, follows and is notified', { timeout: 90000 }, async () => {
  const page = pages.resident;
  const stamp = Date.now().toString(36);
  const title = `Offene Bücherschränke mit Sensor ${stamp}`;

  // the idea form, with the new fields
  await page.goto(server.url + '/ideas/new');
  await axeCheck(page, 'idea form');
  await page.fill('#title', title);
  await page.fill('#summary', 'Bücherschränke melden, wenn sie voll oder leer sind.');
  await page.fill('#description', 'Ein kleiner Sensor zeigt den Füllstand.\n\n- **offen** für alle');
  await page.locator('#field').selectOption({ index: 1 });
  const fieldName = (await page.locator('#field option:checked').innerText()).trim();
  await page.locator('#stadtteil').selectOption({ index: 3 });
  const stadtteilName = (await page.locator('#stadtteil option:checked').innerText()).trim();
  const zielbild = page.locator('#zielbilder input[type=checkbox]').first();
  await zielbild.check();
  const zielbildName = (await page.locator(`label[for="${await zielbild.getAttribute('id')}"]`).innerText()).trim();
  await page.check('#need-funding');
  await page.check('#need-space');
  await page.locator('#applicant_type').selectOption('association');

  // without the consent: refused, the choices are kept
  await follow(page, page.locator('form[action="/ideas"] button[type=submit]:not([name=check]):not([hidden])'));
  assert.equal(pathOf(page), '/ideas');
  assert.deepEqual(await page.locator('#form-errors li a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ['#consent']);
  assert.ok(await page.locator('#consent-error').isVisible());
  assert.equal(await page.locator('#consent').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#consent').getAttribute('aria-describedby'), /\bconsent-error\b/);
  assert.ok(await page.locator(`#${await zielbild.getAttribute('id')}`).isChecked(), 'the Zielbild stays ticked');
  assert.ok(await page.locator('#need-funding').isChecked());
  assert.ok(await page.locator('#need-space').isChecked());
  assert.ok(!(await page.locator('#need-data').isChecked()));
  assert.equal(await page.locator('#applicant_type').inputValue(), 'association');
  assert.equal(await page.locator('#title').inputValue(), title);
  await axeCheck(page, 'idea form without consent');

  await page.check('#consent');
  await follow(page, page.locator('form[action="/ideas"] button[type=submit]:not([name=check]):not([hidden])'));
  assert.match(pathOf(page), /^\/ideas\/\d+$/);
  const ideaPath = pathOf(page);
  assert.equal((await page.locator('main h1').innerText()).trim(), title);
  const facts = await page.locator('main .kern-description-list').innerText();
  for (const want of [stadtteilName, zielbildName, 'Förderung', 'Räume', 'Verein oder Initiative'])
    assert.ok(facts.includes(want), `the idea page shows "${want}"`);
  assert.ok((await page.locator('main .kern-preline').innerText()).includes(fieldName));
  assert.equal(await page.locator('main .idea-supports').innerText(), '0');
  await axeCheck(page, 'new idea page');

  // an empty comment is refused, with the error at the field
  await follow(page, page.locator('form.comment-form button[type=submit]'));
  assert.equal(pathOf(page), `${ideaPath}/comments`);
  assert.ok(await page.locator('#body-error').isVisible());
  assert.equal(await page.locator('#body').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#body').getAttribute('aria-describedby'), /\bbody-error\b/);
  assert.equal(await page.locator('#form-errors a[href="#body"]').count(), 1);
  await axeCheck(page, 'comment form with an error');

  // a comment
  await page.fill('#body', 'Gute Idee! Wer **wartet** die Sensoren?');
  await follow(page, page.locator('form.comment-form button[type=submit]'));
  assert.equal(pathOf(page), ideaPath);
  const first = commentIdOf(page);
  const firstEl = page.locator(`#comment-${first}`);
  assert.equal(await firstEl.locator('.comment__body strong').innerText(), 'wartet');
  assert.match(await page.locator('#comments-heading').innerText(), /\(1\)/);
  await axeCheck(page, 'idea page with a comment');

  // an answer to it, one level deep
  await thread(page, first).locator('details.comment-reply > summary').click();
  await page.locator(`#reply-${first}`).waitFor({ state: 'visible' });
  await axeCheck(page, 'idea page with the reply form open');
  await page.fill(`#reply-${first}`, 'Das Repair-Café im Veedel hat Hilfe angeboten.');
  await follow(page, thread(page, first).locator('details.comment-reply button[type=submit]'));
  const reply = commentIdOf(page);
  assert.notEqual(reply, first);
  assert.equal(await thread(page, first).locator(`.comment-replies #comment-${reply}`).count(), 1, 'the reply sits in the thread');
  assert.match(await page.locator(`#comment-${reply} .comment__body`).innerText(), /Repair-Café/);
  await axeCheck(page, 'idea page with a reply');

  // edited within the window: first empty (refused), then with a new text
  await follow(page, firstEl.locator('a.comment__action'));
  assert.equal(pathOf(page), `/comments/${first}/edit`);
  assert.match(await page.locator('#body').inputValue(), /wartet/);
  await axeCheck(page, 'comment edit form');
  await page.fill('#body', '');
  await follow(page, page.locator(`form[action="/comments/${first}/edit"] button[type=submit]`));
  assert.ok(await page.locator('#body-error').isVisible());
  assert.equal(await page.locator('#body').getAttribute('aria-invalid'), 'true');
  await axeCheck(page, 'comment edit form with an error');
  await page.fill('#body', 'Gute Idee! Wer *pflegt* die Sensoren im Winter?');
  await follow(page, page.locator(`form[action="/comments/${first}/edit"] button[type=submit]`));
  assert.equal(pathOf(page), ideaPath);
  assert.equal(await firstEl.locator('.comment__body em').innerText(), 'pflegt');
  assert.equal(await firstEl.locator('.comment__edited').count(), 1, 'marked as edited');
  await axeCheck(page, 'idea page with an edited comment');

  // one's own idea cannot be supported: the page says so instead of a button
  assert.equal(await page.locator(`form[action="${ideaPath}/support"]`).count(), 0);
  assert.ok(await page.locator('#support-own').isVisible());

  // the author follows the idea from the start; unfollow, then follow again
  assert.ok(await page.locator('#follow-state').isVisible(), 'the author follows the new idea');
  await follow(page, page.locator(`form[action="${ideaPath}/unfollow"] button`));
  assert.equal(pathOf(page), ideaPath);
  assert.equal(await page.locator('#follow-state').count(), 0);
  await axeCheck(page, 'idea page, not followed');
  await follow(page, page.locator(`form[action="${ideaPath}/follow"] button`));
  assert.equal(pathOf(page), ideaPath);
  assert.ok(await page.locator('#follow-state').isVisible());
  assert.equal(await page.locator(`form[action="${ideaPath}/unfollow"]`).count(), 1);
  await axeCheck(page, 'idea page, followed');
  const before = await unreadCount(page);

  // someone else supports it: the count goes up, the state is shown to them
  const team = pages.team;
  await team.goto(server.url + ideaPath);
  assert.equal(await team.locator('#support-state').count(), 0, 'the team does not support it yet');
  await follow(team, team.locator(`form[action="${ideaPath}/support"] button`));
  assert.equal(pathOf(team), ideaPath);
  assert.equal(await team.locator('main .idea-supports').innerText(), '1');
  assert.equal(await team.locator('#support-state').count(), 1);
  assert.equal(await team.locator(`form[action="${ideaPath}/unsupport"]`).count(), 1);
  await axeCheck(team, 'idea page, supported');
  // and comments: the count is public, the supporter is not
  await page.goto(server.url + ideaPath);
  assert.equal(await page.locator('main .idea-supports').innerText(), '1');
  assert.equal(await page.locator('#support-state').count(), 0, 'the author sees no one who supports it');
  const teamComment = await postComment(team, ideaPath, 'Danke für die Idee, wir melden uns zum Thema Wartung.');
  assert.equal(await team.locator(`#comment-${teamComment}`).count(), 1);

  // the resident sees the notification
  await page.goto(server.url + ideaPath);
  const after = await unreadCount(page);
  assert.ok(after > before, `the unread count went up (${before} → ${after})`);
  await follow(page, page.locator('header a[href="/notifications"]'));
  assert.equal(pathOf(page), '/notifications');
  const unread = page.locator('li.notification--unread');
  assert.ok(await unread.count() >= 1);
  assert.equal(await unread.first().locator('a').getAttribute('href').then((h) => h.split('#')[0]), ideaPath);
  await axeCheck(page, 'notification list with unread items');
  await follow(page, page.locator('main form[action="/notifications/read"]:not(.inline-form) button'));
  assert.equal(pathOf(page), '/notifications');
  assert.equal(await page.locator('li.notification--unread').count(), 0);
  assert.equal(await unreadCount(page), 0);
  await axeCheck(page, 'notification list, all read');

  assert.deepEqual(problems.resident, []);
  assert.deepEqual(problems.team, []);
});

test('a caretaker takes an idea into care, moves it into the dialogue and answers', { timeout: 90000 }, async () => {
  const page = pages.team;
  const idea = await demoIdea(page, 3);

  await page.goto(server.url + '/caretaker');
  assert.equal((await page.locator('main h1').innerText()).trim().length > 0, true);
  assert.equal(await page.locator(`main a[href="${idea.path}"]`).count(), 0, 'not yet in my care');
  await axeCheck(page, 'caretaker dashboard, empty');

  // a question from a resident
  const question = await postComment(pages.supporter, idea.path, 'Gibt es dafür schon offene Daten der Stadt?');

  // assign myself
  await page.goto(server.url + idea.path);
  await page.locator('#caretaker').selectOption({ label: teamName });
  await follow(page, page.locator(`form[action="${idea.path}/caretaker"] button[type=submit]`));
  assert.equal(pathOf(page), idea.path);
  assert.ok((await page.locator('#idea-caretaker').innerText()).includes(teamName));
  await axeCheck(page, 'idea page with a caretaker');

  // the dashboard lists it, also as waiting
  await page.goto(server.url + '/caretaker');
  assert.equal(await page.locator(`main table a[href="${idea.path}"]`).count(), 1);
  assert.equal(await page.locator(`main .caretaker-waiting a[href="${idea.path}"]`).count(), 1);
  await axeCheck(page, 'caretaker dashboard with an idea');

  // archiving needs a reason: refused without one
  await follow(page, page.locator(`main table a[href="${idea.path}"]`));
  await page.locator('#status').selectOption('archived');
  await follow(page, page.locator(`form[action="${idea.path}/status"] button[type=submit]`));
  assert.ok(await page.locator('#reason-error').isVisible());
  assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
  await axeCheck(page, 'status form with an error');

  // into the dialogue, with a reason
  const reason = 'Wir sprechen mit dem Amt für Informationsverarbeitung über die Daten.';
  await page.locator('#status').selectOption('in_dialogue');
  await page.fill('#reason', reason);
  await follow(page, page.locator(`form[action="${idea.path}/status"] button[type=submit]`));
  assert.equal(pathOf(page), idea.path);
  assert.equal(new URL(page.url()).hash, '#idea-status');
  const timeline = page.locator('.status-timeline li').last();
  assert.match(await timeline.innerText(), /Im Dialog/);
  assert.ok((await timeline.innerText()).includes(reason));
  await axeCheck(page, 'idea page after the status change');

  // the answer to the question
  await thread(page, question).locator('details.comment-reply > summary').click();
  await page.fill(`#reply-${question}`, 'Ja, im Open-Data-Portal gibt es einen Datensatz dazu.');
  await follow(page, thread(page, question).locator('details.comment-reply button[type=submit]'));
  const answer = commentIdOf(page);
  assert.equal(await thread(page, question).locator(`.comment-replies #comment-${answer}`).count(), 1);
  await axeCheck(page, 'idea page with the caretaker\'s answer');

  // no longer waiting on the dashboard
  await page.goto(server.url + '/caretaker');
  assert.equal(await page.locator(`main .caretaker-waiting a[href="${idea.path}"]`).count(), 0);
  assert.match(await page.locator(`main table tr:has(a[href="${idea.path}"])`).innerText(), /Im Dialog/);
  await axeCheck(page, 'caretaker dashboard after the status change');

  // the public sees the timeline, the caretaker and the answer
  const anon = pages.anon;
  await anon.goto(server.url + idea.path);
  assert.match(await anon.locator('main dl').innerText(), /Im Dialog/);
  const pub = anon.locator('.status-timeline li').last();
  assert.match(await pub.innerText(), /Im Dialog/);
  assert.ok((await pub.innerText()).includes(reason));
  assert.ok((await anon.locator('#idea-caretaker').innerText()).includes(teamName));
  assert.equal(await anon.locator(`#comment-${answer}`).count(), 1);
  assert.equal(await anon.locator('form[action$="/status"], form[action$="/caretaker"]').count(), 0, 'no staff forms');
  await axeCheck(anon, 'public idea page with its timeline');

  // the supporter who asked is told about the status change only when following; the answer is there
  await pages.supporter.goto(server.url + idea.path);
  assert.equal(await pages.supporter.locator(`#comment-${answer}`).count(), 1);

  assert.deepEqual(problems.team, []);
  assert.deepEqual(problems.supporter, []);
  assert.deepEqual(problems.anon, []);
});

test('a reported comment is hidden with a public reason and shown again', { timeout: 90000 }, async () => {
  const team = pages.team;
  const resident = pages.resident;
  const idea = await demoIdea(pages.anon, 4);
  const text = 'Alles Quatsch, die Leute hier sind Idioten.';
  const bad = await postComment(pages.supporter, idea.path, text);

  // the resident reports it: first with too short a reason
  await resident.goto(server.url + idea.path);
  const el = resident.locator(`#comment-${bad}`);
  await el.locator('details.moderation__form > summary').click();
  await resident.fill(`#report-comment-${bad}`, 'doof');
  await follow(resident, el.locator(`form[action="/comments/${bad}/report"] button[type=submit]`));
  assert.equal(pathOf(resident), `/comments/${bad}/report`);
  assert.ok(await resident.locator(`#report-comment-${bad}-error`).isVisible());
  assert.equal(await resident.locator(`#report-comment-${bad}`).inputValue(), 'doof');
  await axeCheck(resident, 'report form with an error');
  await resident.fill(`#report-comment-${bad}`, 'Beleidigt andere Menschen im Veedel.');
  await follow(resident, resident.locator(`form[action="/comments/${bad}/report"] button[type=submit]`));
  assert.equal(pathOf(resident), idea.path);
  await axeCheck(resident, 'idea page after reporting');
  const unreadBefore = await unreadCount(resident);

  // the queue shows the comment and the reason
  await team.goto(server.url + '/moderation');
  const item = team.locator('li.moderation-item', { hasText: text });
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /Beleidigt andere Menschen/);
  await axeCheck(team, 'moderation queue');

  // hidden with a public reason, from the queue
  const reason = 'Der Kommentar beleidigt andere Menschen.';
  await item.locator('details.moderation__form > summary').click();
  await item.locator('textarea[name=reason]').fill(reason);
  await axeCheck(team, 'moderation queue with the hide form open');
  await follow(team, item.locator(`form[action="/comments/${bad}/hide"] button[type=submit]`));
  assert.equal(pathOf(team), '/moderation');
  assert.equal(await team.locator('li.moderation-item', { hasText: text }).count(), 0, 'the report is closed');
  await axeCheck(team, 'moderation queue after hiding');

  // the placeholder shows in place, for everybody
  const anon = pages.anon;
  await anon.goto(server.url + idea.path);
  const hidden = anon.locator(`#comment-${bad}`);
  assert.ok((await hidden.innerText()).includes(reason), 'the public reason is shown');
  assert.ok(!(await anon.locator('main').innerText()).includes(text), 'the text is gone');
  await axeCheck(anon, 'idea page with a hidden comment');
  await team.goto(server.url + idea.path);
  const staffView = team.locator(`#comment-${bad}`);
  assert.ok((await staffView.innerText()).includes(reason));
  assert.equal(await staffView.locator(`form[action="/comments/${bad}/unhide"]`).count(), 1);
  await axeCheck(team, 'idea page with a hidden comment, for the team');

  // the resident is told the outcome
  await resident.goto(server.url + idea.path);
  assert.ok(await unreadCount(resident) > unreadBefore, 'the reporter gets a notification');
  assert.ok((await resident.locator(`#comment-${bad}`).innerText()).includes(reason));

  // shown again
  await follow(team, staffView.locator(`form[action="/comments/${bad}/unhide"] button`));
  await team.goto(server.url + idea.path);
  assert.equal((await team.locator(`#comment-${bad} .comment__body`).innerText()).trim(), text);
  assert.equal(await team.locator(`#comment-${bad} form[action="/comments/${bad}/hide"]`).count(), 1);
  await axeCheck(team, 'idea page after unhiding');
  await anon.goto(server.url + idea.path);
  assert.equal((await anon.locator(`#comment-${bad} .comment__body`).innerText()).trim(), text);

  // a whole idea hidden from its page, then shown again
  const ideaReason = 'Die Idee enthält persönliche Daten Dritter.';
  const ideaId = idea.path.split('/').pop();
  const box = team.locator(`#moderation-idea-${ideaId}`);
  await box.locator('details.moderation__form:has(textarea[name=reason][id^=hide]) > summary').click();
  await team.fill(`#hide-idea-${ideaId}`, ideaReason);
  await follow(team, box.locator(`form[action="${idea.path}/hide"] button[type=submit]`));
  assert.equal(pathOf(team), idea.path);
  assert.ok((await team.locator(`#moderation-idea-${ideaId}-state`).innerText()).includes(ideaReason));
  assert.equal((await team.locator('main h1').innerText()).trim(), idea.title, 'the team still sees the idea');
  await axeCheck(team, 'hidden idea, for the team');
  await anon.goto(server.url + idea.path);
  assert.equal(await anon.locator('article.idea--hidden').count(), 1);
  assert.ok((await anon.locator('article.idea--hidden').innerText()).includes(ideaReason));
  assert.equal(await anon.locator('#comments').count(), 0, 'nor its comments');
  await axeCheck(anon, 'hidden idea, for the public');
  await follow(team, team.locator(`form[action="${idea.path}/unhide"] button`));
  await anon.goto(server.url + idea.path);
  assert.equal(await anon.locator('article.idea--hidden').count(), 0);
  assert.equal(await anon.locator(`#comment-${bad}`).count(), 1);

  for (const who of ['resident', 'team', 'supporter', 'anon'])
    assert.deepEqual(problems[who], [], `no unexpected problems for ${who}`);
});
