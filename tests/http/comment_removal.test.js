// Staff who delete someone else's comment give a public reason: it is shown
// in place of the comment ("Removed by the un:box team: …", "Vom
// un:box-Team entfernt: …") and written to the audit log. Without a reason
// nothing is deleted: JSON gets 422 naming the field, a form the page again
// with the error next to the field and the typed reason kept. Authors delete
// their own comments without a reason.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../lib/server');
const { Client, loginRoles, stopServer, unescapeHtml, csrfFromHtml, textareaValue } = require('../lib/http');

let server;
let clients;
let csrf;
let idea;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'admin', 'committee']));
  for (const role of Object.keys(clients)) assert.equal((await clients[role].get('/session?lang=en')).status, 200);
  idea = (await new Client(server.url).getJson('/api/v1/ideas?limit=1')).data.items[0].id;
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

async function comment(role, body) {
  const res = await post(role, `/ideas/${idea}/comments`, { body });
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

function article(html, id) {
  const m = html.match(new RegExp(`<article class="comment[^"]*" id="comment-${id}">[\\s\\S]*?</article>`));
  return m ? unescapeHtml(m[0]) : '';
}

test('staff removing someone else\'s comment must give a public reason, shown in its place and audited', async () => {
  const id = await comment('resident', 'Kauft alle bei Firma X, die ist die beste!');
  // without a reason, or with one too short: nothing is deleted
  let res = await post('team', `/comments/${id}/delete`, {});
  assert.equal(res.status, 422, res.bodyText);
  assert.equal(res.data.error.fields.reason.code, 'required');
  res = await post('team', `/comments/${id}/delete`, { reason: 'Werbung' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'too_short');
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE id = ${id} AND deleted_at IS NULL`), '1');

  // the form on the idea page asks for the reason
  const page = await clients.team.get(`/ideas/${idea}`);
  const art = article(page.bodyText, id);
  assert.ok(art.includes(`action="/comments/${id}/delete"`));
  assert.match(art, new RegExp(`<textarea[^>]*id="delete-${id}"[^>]*name="reason"`), 'staff give a reason for someone else\'s comment');
  const token = csrfFromHtml(page.bodyText, `/comments/${id}/delete`);
  res = await clients.team.postForm(`/comments/${id}/delete`, { _csrf: token, reason: 'Werbung' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="delete-reason-error"/);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'Werbung', 'the typed reason is kept');
  assert.ok(unescapeHtml(res.bodyText).includes('Kauft alle bei Firma X'), 'the page shows which comment');

  const reason = 'Werbung für ein Unternehmen ist hier nicht erlaubt.';
  res = await clients.team.postForm(`/comments/${id}/delete`, { _csrf: token, reason });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}#comment-${id}`);
  const j = (await new Client(server.url, { lang: 'en' }).getJson(`/api/v1/ideas/${idea}/comments`)).data.items.find((c) => c.id === id);
  assert.equal(j.deleted, true);
  assert.equal(j.removed_reason, reason);
  assert.equal(j.removed_text, `Removed by the un:box team: ${reason}`);
  assert.equal(j.body, undefined);
  // in place of the comment, in both languages
  let html = article((await new Client(server.url, { lang: 'en' }).get(`/ideas/${idea}?lang=en`)).bodyText, id);
  assert.ok(html.includes(`Removed by the un:box team: ${reason}`), html);
  assert.ok(!html.includes('Firma X'));
  html = article((await new Client(server.url, { lang: 'de' }).get(`/ideas/${idea}?lang=de`)).bodyText, id);
  assert.ok(html.includes(`Vom un:box-Team entfernt: ${reason}`), html);
  // the audit log has who, what and why
  const team = sql("SELECT id FROM users WHERE email = 'team@demo.unbox.invalid'");
  assert.equal(sql(`SELECT detail FROM audit WHERE action = 'comment.delete' AND subject = 'comment:${id}' AND actor_id = ${team}`),
    `by staff: ${reason}`);
  assert.equal(sql(`SELECT deleted_reason FROM comments WHERE id = ${id}`), reason);
});

test('authors delete their own comments without a reason; staff too', async () => {
  const own = await comment('resident', 'Den nehme ich zurück.');
  const page = await clients.resident.get(`/ideas/${idea}`);
  assert.doesNotMatch(article(page.bodyText, own), new RegExp(`id="delete-${own}"`), 'no reason asked of the author');
  assert.ok(article(page.bodyText, own).includes(`action="/comments/${own}/delete"`));
  let res = await post('resident', `/comments/${own}/delete`, {});
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.removed_reason, undefined);
  const html = article((await new Client(server.url, { lang: 'en' }).get(`/ideas/${idea}?lang=en`)).bodyText, own);
  assert.ok(html.includes('This comment was deleted.'));
  assert.ok(!html.includes('Removed by the un:box team'));
  const mine = await comment('admin', 'Ein Hinweis des Teams, der nicht mehr stimmt.');
  res = await post('admin', `/comments/${mine}/delete`, {});
  assert.equal(res.status, 200, res.bodyText);
  // others who are not staff still may not
  const other = await comment('resident', 'Bleibt stehen.');
  res = await post('committee', `/comments/${other}/delete`, { reason: 'Gefällt mir nicht, bitte weg.' });
  assert.equal(res.status, 403);
});
