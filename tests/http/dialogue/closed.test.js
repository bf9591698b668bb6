// Ideas that are hidden by the moderation, archived or withdrawn take no new
// comments, replies, supports or follows (409 "hidden" or "closed"); taking
// back one's own support or follow stays possible, and content on them can
// still be reported. The idea page says why and shows none of the forms.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { loginRoles, validIdea, stopServer, unescapeHtml } = require('../../lib/http');

let server;
let clients;
let csrf;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'supporter', 'committee']));
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

async function newIdea(title) {
  const res = await post('resident', '/ideas', validIdea({ title }));
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

// What a closed idea refuses and what it still allows, for a code.
async function assertRefuses(id, code, earlier) {
  let res = await post('supporter', `/ideas/${id}/comments`, { body: 'Noch ein Gedanke dazu.' });
  assert.equal(res.status, 409, res.bodyText);
  assert.equal(res.data.error.code, code);
  assert.ok(res.data.error.message.length > 10);
  res = await post('supporter', `/ideas/${id}/comments`, { body: 'Eine Antwort.', parent: earlier });
  assert.equal(res.status, 409, 'no replies either');
  assert.equal(res.data.error.code, code);
  res = await post('committee', `/ideas/${id}/support`);
  assert.equal(res.status, 409, res.bodyText);
  assert.equal(res.data.error.code, code);
  res = await post('committee', `/ideas/${id}/follow`);
  assert.equal(res.status, 409, res.bodyText);
  assert.equal(res.data.error.code, code);
  // taking back what one gave stays possible
  res = await post('supporter', `/ideas/${id}/unsupport`);
  assert.equal(res.status, 200, res.bodyText);
  assert.deepEqual(res.data, { supported: false, supports: 0 });
  res = await post('supporter', `/ideas/${id}/unfollow`);
  assert.equal(res.status, 200, res.bodyText);
  // nothing was stored
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = ${id}`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${id}`), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = ${id} AND user_id <> (SELECT author_id FROM ideas WHERE id = ${id})`), '0');
  // a form post answers the page in the layout, not a redirect
  res = await clients.supporter.postForm(`/ideas/${id}/comments`, { _csrf: csrf.supporter, body: 'Per Formular.' });
  assert.equal(res.status, 409);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.bodyText, /<main/);
}

// An idea with one comment, one support and one follower besides its author.
async function livelyIdea(title) {
  const id = await newIdea(title);
  const c = await post('supporter', `/ideas/${id}/comments`, { body: 'Gute Idee, ich mache mit.' });
  assert.equal(c.status, 201);
  assert.equal((await post('supporter', `/ideas/${id}/support`)).status, 200);
  assert.equal((await post('supporter', `/ideas/${id}/follow`)).status, 200);
  return { id, comment: c.data.id };
}

test('an archived idea takes nothing new; the page says why and shows no forms', async () => {
  const { id, comment } = await livelyIdea('Archivierte Idee ohne neue Beiträge');
  const reason = 'Die Idee wurde in einem anderen Projekt umgesetzt.';
  let res = await post('team', `/ideas/${id}/status`, { status: 'archived', reason });
  assert.equal(res.status, 200, res.bodyText);
  await assertRefuses(id, 'closed', comment);

  for (const role of ['supporter', 'resident']) {
    const html = unescapeHtml((await clients[role].get(`/ideas/${id}`)).bodyText);
    assert.ok(html.includes('This idea has been archived'), `${role} sees why`);
    assert.ok(html.includes(reason), 'with the public reason');
    assert.ok(!html.includes(`action="/ideas/${id}/comments"`), 'no comment form');
    assert.ok(!html.includes(`action="/ideas/${id}/support"`), 'no support button');
    assert.ok(!html.includes(`action="/ideas/${id}/follow"`), 'no follow button');
    assert.ok(!html.includes('>Reply</summary>'), 'no reply forms');
    assert.ok(html.includes('Gute Idee, ich mache mit.'), 'the comments stay readable');
  }
  // the list of comments and the replies page say so too
  const list = unescapeHtml((await clients.supporter.get(`/ideas/${id}/comments`)).bodyText);
  assert.ok(list.includes('takes no new comments'));
  assert.ok(!list.includes(`action="/ideas/${id}/comments"`));
  const replies = unescapeHtml((await clients.supporter.get(`/comments/${comment}/replies`)).bodyText);
  assert.ok(!replies.includes(`action="/ideas/${id}/comments"`));
  // JSON says it as well
  const j = (await clients.supporter.getJson(`/api/v1/ideas/${id}`)).data;
  assert.equal(j.closed, true);
  assert.equal(j.comments.closed, true);
  // content on it can still be reported: it is still public
  res = await post('committee', `/comments/${comment}/report`, { reason: 'Dieser Kommentar enthält Werbung.' });
  assert.equal(res.status, 201, res.bodyText);
});

test('a withdrawn idea takes nothing new', async () => {
  const { id, comment } = await livelyIdea('Zurückgezogene Idee ohne neue Beiträge');
  const res = await post('resident', `/ideas/${id}/status`, { status: 'withdrawn', reason: 'Wir setzen das selbst im Verein um.' });
  assert.equal(res.status, 200, res.bodyText);
  await assertRefuses(id, 'closed', comment);
  const html = unescapeHtml((await clients.committee.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes('This idea has been withdrawn by its author'));
  assert.ok(!html.includes(`action="/ideas/${id}/comments"`));
});

test('a hidden idea takes nothing new, also from the team, whose page says why', async () => {
  const { id, comment } = await livelyIdea('Ausgeblendete Idee ohne neue Beiträge');
  let res = await post('team', `/ideas/${id}/hide`, { reason: 'Enthält persönliche Daten Dritter.' });
  assert.equal(res.status, 200, res.bodyText);
  await assertRefuses(id, 'hidden', comment);
  res = await post('team', `/ideas/${id}/comments`, { body: 'Auch das Team nicht.' });
  assert.equal(res.status, 409);
  const html = unescapeHtml((await clients.team.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes('takes no new comments'), 'the team sees why');
  assert.ok(!html.includes(`action="/ideas/${id}/comments"`));
  assert.ok(!html.includes(`action="/ideas/${id}/support"`));
  // shown again, it takes comments again
  assert.equal((await post('team', `/ideas/${id}/unhide`)).status, 200);
  res = await post('supporter', `/ideas/${id}/comments`, { body: 'Wieder offen.' });
  assert.equal(res.status, 201, res.bodyText);
});

test('ideas in every other state take comments and supports', async () => {
  const id = await newIdea('Offene Idee im Dialog');
  assert.equal((await post('team', `/ideas/${id}/status`, { status: 'in_dialogue' })).status, 200);
  assert.equal((await post('supporter', `/ideas/${id}/comments`, { body: 'Im Dialog geht es.' })).status, 201);
  assert.equal((await post('supporter', `/ideas/${id}/support`)).status, 200);
  assert.equal((await post('committee', `/ideas/${id}/status`, { status: 'not_eligible', reason: 'Nicht im Rahmen der Förderung.' })).status, 200);
  assert.equal((await post('committee', `/ideas/${id}/comments`, { body: 'Schade, aber nachvollziehbar.' })).status, 201);
});
