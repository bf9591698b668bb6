// Nothing final without a confirmation and a way back: a form that closes a
// door (archive, withdraw, not eligible) answers a confirmation page first
// and changes nothing until it is confirmed; the team reopens an archived
// idea with a public reason, back to the status it had, with history, audit
// and a notification.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { loginRoles, validIdea, stopServer, unescapeHtml, csrfFromHtml, inputValue } = require('../../lib/http');

let server;
let clients;
let csrf;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'committee', 'supporter']));
  for (const role of Object.keys(clients)) assert.equal((await clients[role].get('/session?lang=en')).status, 200);   // pages in English
});
after(async () => { await stopServer(server); });

function sql(query) {
  const dsn = server.dsn;
  const out = dsn.startsWith('postgres')
    ? execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', query])
    : execFileSync('sqlite3', ['-cmd', '.timeout 5000', dsn.replace(/^sqlite:/, ''), query]);
  return out.toString().trim();
}

const post = (role, path, body = {}) => clients[role].postJson(`/api/v1${path}`, body, { csrf: csrf[role] });
const statusOf = (id) => sql(`SELECT status FROM ideas WHERE id = ${id}`);

async function newIdea(title) {
  const res = await post('resident', '/ideas', validIdea({ title }));
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

test('archiving through the form asks first; nothing changes until it is confirmed', async () => {
  const id = await newIdea('Archivieren nur nach Rückfrage');
  assert.equal((await post('team', `/ideas/${id}/status`, { status: 'in_dialogue' })).status, 200);
  const team = clients.team;
  const page = await team.get(`/ideas/${id}`);
  const token = csrfFromHtml(page.bodyText, `/ideas/${id}/status`);
  assert.ok(token);
  const reason = 'Die Idee ist in einem Projekt des Stadtwerks aufgegangen.';

  // the first post: a confirmation page, nothing stored
  let res = await team.postForm(`/ideas/${id}/status`, { _csrf: token, status: 'archived', reason });
  assert.equal(res.status, 200, res.bodyText.slice(0, 500));
  let html = unescapeHtml(res.bodyText);
  assert.match(html, /<h1[^>]*>Archive this idea\?<\/h1>/);
  assert.ok(html.includes(reason), 'the reason is shown before it is made public');
  assert.ok(html.includes('takes no new comments, supports or followers'), 'the page says what follows');
  assert.ok(html.includes('can reopen'), 'and that there is a way back');
  assert.equal(inputValue(res.bodyText, 'confirm'), '1');
  assert.equal(inputValue(res.bodyText, 'status'), 'archived');
  assert.equal(inputValue(res.bodyText, 'reason'), reason);
  assert.ok(html.includes(`href="/ideas/${id}"`), 'a way back without archiving');
  assert.equal(statusOf(id), 'in_dialogue');

  // a reason that is too short is refused on the idea page, before any confirmation
  res = await team.postForm(`/ideas/${id}/status`, { _csrf: token, status: 'archived', reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.ok(!unescapeHtml(res.bodyText).includes('Archive this idea?'));

  // confirmed: archived
  res = await team.postForm(`/ideas/${id}/status`, { _csrf: token, status: 'archived', reason, confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(statusOf(id), 'archived');
  html = unescapeHtml((await team.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes('This idea has been archived'));

  // the author's withdrawal asks as well; an API client says what it wants at once
  const id2 = await newIdea('Zurückziehen nur nach Rückfrage');
  const rpage = await clients.resident.get(`/ideas/${id2}`);
  const rtoken = csrfFromHtml(rpage.bodyText, `/ideas/${id2}/status`);
  res = await clients.resident.postForm(`/ideas/${id2}/status`, { _csrf: rtoken, status: 'withdrawn', reason: 'Wir machen das im Verein selbst.' });
  assert.equal(res.status, 200);
  assert.match(unescapeHtml(res.bodyText), /<h1[^>]*>Withdraw your idea\?<\/h1>/);
  assert.equal(statusOf(id2), 'submitted');
  res = await post('resident', `/ideas/${id2}/status`, { status: 'withdrawn', reason: 'Wir machen das im Verein selbst.' });
  assert.equal(res.status, 200);
  assert.equal(statusOf(id2), 'withdrawn');
  // steps that close no door need no confirmation
  const id3 = await newIdea('Ohne Rückfrage in den Dialog');
  const tpage = await team.get(`/ideas/${id3}`);
  res = await team.postForm(`/ideas/${id3}/status`, { _csrf: csrfFromHtml(tpage.bodyText, `/ideas/${id3}/status`), status: 'in_dialogue' });
  assert.equal(res.status, 303);
  assert.equal(statusOf(id3), 'in_dialogue');
});

test('the team reopens an archived idea with a reason: back to its status, with history, audit and notification', async () => {
  const id = await newIdea('Wiederaufnahme einer archivierten Idee');
  assert.equal((await post('team', `/ideas/${id}/status`, { status: 'in_dialogue' })).status, 200);
  assert.equal((await post('committee', `/ideas/${id}/status`, { status: 'eligible' })).status, 200);
  assert.equal((await post('supporter', `/ideas/${id}/follow`)).status, 200);
  assert.equal((await post('team', `/ideas/${id}/status`, { status: 'archived', reason: 'Vorerst zurückgestellt, bis der Haushalt steht.' })).status, 200);
  assert.equal((await post('supporter', `/ideas/${id}/comments`, { body: 'Schade.' })).status, 409);

  // the team's page offers to reopen; nobody else's does
  let html = unescapeHtml((await clients.team.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes(`action="/ideas/${id}/reopen"`));
  assert.ok(html.includes('Status after reopening: <strong>Eligible</strong>'), 'it says which status the idea gets back');
  for (const role of ['resident', 'committee', 'supporter'])
    assert.ok(!unescapeHtml((await clients[role].get(`/ideas/${id}`)).bodyText).includes(`/ideas/${id}/reopen`), role);
  for (const role of ['resident', 'committee', 'supporter'])
    assert.equal((await post(role, `/ideas/${id}/reopen`, { reason: 'Ich möchte das wieder öffnen.' })).status, 403, role);

  // a reason is required
  let res = await post('team', `/ideas/${id}/reopen`, {});
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'required');
  const page = await clients.team.get(`/ideas/${id}`);
  res = await clients.team.postForm(`/ideas/${id}/reopen`, { _csrf: csrfFromHtml(page.bodyText, `/ideas/${id}/reopen`), reason: 'zu kurz' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="reopen-reason-error"/);
  assert.equal(statusOf(id), 'archived');

  const reason = 'Der Haushalt ist beschlossen, die Idee kann weitergehen.';
  res = await post('team', `/ideas/${id}/reopen`, { reason });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.status, 'eligible');
  assert.equal(statusOf(id), 'eligible');
  const last = res.data.timeline[res.data.timeline.length - 1];
  assert.equal(last.from, 'archived');
  assert.equal(last.to, 'eligible');
  assert.equal(last.reason, reason);
  assert.equal(last.reopened, true);
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'idea.reopen' AND subject = 'idea:${id}' AND detail = 'archived -> eligible'`), '1');
  const notes = (await clients.supporter.getJson('/api/v1/notifications')).data.items;
  assert.ok(notes.some((n) => n.subject === `idea:${id}` && n.data.status === 'eligible' && n.data.reason === reason));
  // open again: it takes comments; reopening twice is refused
  assert.equal((await post('supporter', `/ideas/${id}/comments`, { body: 'Schön, dass es weitergeht.' })).status, 201);
  res = await post('team', `/ideas/${id}/reopen`, { reason });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'transition_not_allowed');
  assert.equal((await post('team', '/ideas/99999999/reopen', { reason })).status, 404);
  html = unescapeHtml((await clients.supporter.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes('Reopened'), 'the timeline names the reopening');
});
