// Supports, follows and notifications over HTTP: one support per person and
// idea even under 100 parallel requests, the count kept and public, who
// supports what never shown; following ideas and cycles; the notification
// list with paging, marking read and the unread count in the header.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, demo, validIdea, stopServer, csrfFromHtml } = require('../../lib/http');

let server;
// 100 parallel requests from one address: above the default per-client connection limit
before(async () => { server = await startServer({ env: { UNBOX_MAX_CONN_PER_IP: '256' } }); });
after(async () => { await stopServer(server); });

const FORGED = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

// One integer from the server's database (SQLite file or PostgreSQL).
function sqlInt(sql) {
  const out = server.dsn.startsWith('sqlite:')
    ? execFileSync('sqlite3', [server.dsn.slice(7), sql])
    : execFileSync('psql', ['-XAtq', server.dsn, '-c', sql]);
  return Number(out.toString().trim());
}

async function loggedIn(role) {
  const c = new Client(server.url);
  const { email, password } = demo(role);
  assert.equal((await c.login(email, password)).status, 303);
  c.csrf = await c.apiCsrf();
  const s = await c.getJson('/api/v1/session');
  c.user = s.data.user;
  return c;
}

let ideaCounter = 0;
async function newIdea(client, title) {
  const t = title || `Folgeprobe Nummer ${++ideaCounter} im Veedel`;
  const res = await client.postJson('/api/v1/ideas', validIdea({ title: t, applicant_type: 'private', consent: '1' }), { csrf: client.csrf });
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

async function ideaJson(client, id) {
  const res = await client.getJson(`/api/v1/ideas/${id}`);
  assert.equal(res.status, 200);
  return res.data;
}

test('100 parallel identical support requests leave one row and a count of 1; withdrawing gives 0', async () => {
  const author = await loggedIn('team');
  const id = await newIdea(author);
  const fan = await loggedIn('resident');
  assert.equal((await ideaJson(fan, id)).supports, 0);
  const answers = await Promise.all(Array.from({ length: 100 }, () =>
    fan.postJson(`/api/v1/ideas/${id}/support`, {}, { csrf: fan.csrf })));
  for (const res of answers) {
    assert.equal(res.status, 200, res.bodyText);
    assert.deepEqual(res.data, { supported: true, supports: 1 });
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${id}`), 1);
  assert.equal(sqlInt(`SELECT supports FROM ideas WHERE id = ${id}`), 1);
  const seen = await ideaJson(fan, id);
  assert.equal(seen.supports, 1);
  assert.equal(seen.viewer.supported, true);

  // withdrawing, also many times at once
  const back = await Promise.all(Array.from({ length: 20 }, () =>
    fan.postJson(`/api/v1/ideas/${id}/unsupport`, {}, { csrf: fan.csrf })));
  for (const res of back) assert.deepEqual(res.data, { supported: false, supports: 0 });
  assert.equal(sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${id}`), 0);
  assert.equal(sqlInt(`SELECT supports FROM ideas WHERE id = ${id}`), 0);
  assert.equal((await ideaJson(fan, id)).viewer.supported, false);
  // every change is in the audit log
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE subject = 'idea:${id}' AND action = 'idea.support'`), 1);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE subject = 'idea:${id}' AND action = 'idea.unsupport'`), 1);

  // several people at once: each counted once
  const others = await Promise.all(['supporter', 'steward', 'committee'].map(loggedIn));
  await Promise.all(others.flatMap((c) => Array.from({ length: 10 }, () =>
    c.postJson(`/api/v1/ideas/${id}/support`, {}, { csrf: c.csrf }))));
  assert.equal(sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${id}`), 3);
  assert.equal((await ideaJson(fan, id)).supports, 3);
});

test('the support buttons work as forms; the count is public and the page cache shows it at once', async () => {
  const author = await loggedIn('team');
  const id = await newIdea(author);
  const anon = new Client(server.url);
  let page = await anon.get(`/ideas/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.bodyText, /data-supports="0"/);
  assert.ok(page.bodyText.includes(`href="/login?next=/ideas/${id}"`), 'log in to support');
  assert.equal(csrfFromHtml(page.bodyText), undefined, 'no CSRF token on the anonymous page');
  await anon.get(`/ideas/${id}`);   // cached now

  const fan = await loggedIn('resident');
  page = await fan.get(`/ideas/${id}`);
  const token = csrfFromHtml(page.bodyText, `/ideas/${id}/support`);
  assert.ok(token, 'support form with CSRF');
  assert.ok(csrfFromHtml(page.bodyText, `/ideas/${id}/follow`), 'follow form with CSRF');
  let res = await fan.postForm(`/ideas/${id}/support`, { _csrf: token });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${id}`);
  page = await fan.get(`/ideas/${id}`);
  assert.match(page.bodyText, /data-supports="1"/);
  assert.ok(csrfFromHtml(page.bodyText, `/ideas/${id}/unsupport`), 'withdraw form');
  assert.ok(page.bodyText.includes('Sie unterstützen diese Idee.'));

  // the anonymous (cached) page shows the new count
  page = await anon.get(`/ideas/${id}`);
  assert.match(page.bodyText, /data-supports="1"/);
  assert.equal((await anon.getJson(`/api/v1/ideas/${id}`)).data.supports, 1);

  res = await fan.postForm(`/ideas/${id}/unsupport`, { _csrf: token });
  assert.equal(res.status, 303);
  assert.match((await anon.get(`/ideas/${id}`)).bodyText, /data-supports="0"/);

  // English
  const en = await fan.get(`/ideas/${id}?lang=en`);
  assert.ok(en.bodyText.includes('Support this idea'));
});

test('who supports an idea is never shown to anyone else', async () => {
  const author = await loggedIn('team');
  const id = await newIdea(author);
  const fan = await loggedIn('supporter');
  assert.equal((await fan.postJson(`/api/v1/ideas/${id}/support`, {}, { csrf: fan.csrf })).status, 200);
  const secrets = [fan.user.name, fan.user.email, `"user_id"`, 'supporters'];
  const views = [
    await new Client(server.url).get(`/ideas/${id}`),
    await new Client(server.url).getJson(`/api/v1/ideas/${id}`),
    await author.get(`/ideas/${id}`),
    await author.getJson(`/api/v1/ideas/${id}`),
    await new Client(server.url).getJson('/api/v1/ideas?limit=100'),
    await new Client(server.url).get('/ideas'),
  ];
  for (const v of views) {
    assert.equal(v.status, 200);
    for (const s of secrets) assert.ok(!v.bodyText.includes(s), `${s} shown`);
  }
  const a = await ideaJson(author, id);
  assert.equal(a.supports, 1);
  assert.equal(a.viewer.supported, false, 'the author sees only their own state');
  assert.equal((await ideaJson(new Client(server.url), id)).viewer, undefined);
});

test('support and follow: anonymous is sent to log in, without CSRF 403, unknown idea 404', async () => {
  const author = await loggedIn('team');
  const id = await newIdea(author);
  const anon = new Client(server.url);
  const paths = [`/ideas/${id}/support`, `/ideas/${id}/unsupport`, `/ideas/${id}/follow`, `/ideas/${id}/unfollow`,
    '/cycles/1/follow', '/cycles/1/unfollow', '/notifications/read'];
  const anonCsrf = await anon.csrfFrom('/login', '/login');
  for (const p of paths) {
    const res = await anon.postForm(p, { _csrf: anonCsrf });
    assert.equal(res.status, 303, p);
    assert.match(res.headers.get('location'), /^\/login\?next=/, p);
    const json = await anon.postJson(`/api/v1${p}`, {}, { csrf: anonCsrf });
    assert.equal(json.status, 401, p);
  }
  const fan = await loggedIn('resident');
  for (const p of paths) {
    const res = await fan.postForm(p, {});
    assert.equal(res.status, 403, p);
    const forged = await fan.postJson(`/api/v1${p}`, {}, { csrf: FORGED });
    assert.equal(forged.status, 403, p);
    assert.equal(forged.data.error.code, 'csrf');
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${id}`), 0);
  assert.equal((await ideaJson(fan, id)).viewer.following, false);

  for (const p of ['/ideas/999999/support', '/ideas/999999/unsupport', '/ideas/999999/follow',
    '/ideas/999999/unfollow', '/cycles/999999/follow', '/cycles/999999/unfollow']) {
    const res = await fan.postJson(`/api/v1${p}`, {}, { csrf: fan.csrf });
    assert.equal(res.status, 404, p);
    assert.equal(res.data.error.code, 'not_found');
    const html = await fan.postForm(p, { _csrf: fan.csrf });
    assert.equal(html.status, 404, p);
  }
  // GET on these paths is not a route
  assert.equal((await fan.get(`/ideas/${id}/support`)).status, 405);
});

test('following ideas and cycles; the author follows their idea', async () => {
  const author = await loggedIn('team');
  const id = await newIdea(author);
  assert.equal((await ideaJson(author, id)).viewer.following, true, 'the author follows from the start');
  const fan = await loggedIn('resident');
  assert.equal((await ideaJson(fan, id)).viewer.following, false);
  let res = await fan.postJson(`/api/v1/ideas/${id}/follow`, {}, { csrf: fan.csrf });
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { following: true });
  res = await fan.postJson(`/api/v1/ideas/${id}/follow`, {}, { csrf: fan.csrf });
  assert.deepEqual(res.data, { following: true });
  assert.equal(sqlInt(`SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = ${id}`), 2);
  const page = await fan.get(`/ideas/${id}`);
  assert.ok(csrfFromHtml(page.bodyText, `/ideas/${id}/unfollow`));
  res = await fan.postForm(`/ideas/${id}/unfollow`, { _csrf: fan.csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${id}`);
  assert.equal((await ideaJson(fan, id)).viewer.following, false);

  res = await fan.postJson('/api/v1/cycles/1/follow', {}, { csrf: fan.csrf });
  assert.deepEqual(res.data, { following: true });
  res = await fan.postForm('/cycles/1/unfollow', { _csrf: fan.csrf, next: '/ideas?field=x' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/ideas?field=x');
  res = await fan.postForm('/cycles/1/follow', { _csrf: fan.csrf, next: '//evil.example/' });
  assert.equal(res.headers.get('location'), '/ideas', 'never another site');
  assert.equal(sqlInt(`SELECT COUNT(*) FROM follows WHERE target_kind = 'cycle' AND target_id = 1 AND user_id = ${fan.user.id}`), 1);
  res = await fan.postJson('/api/v1/cycles/1/unfollow', {}, { csrf: fan.csrf });
  assert.deepEqual(res.data, { following: false });
});

test('notifications: followers but not the actor, list with paging, marking read, unread count in the header', async () => {
  const reader = await loggedIn('steward');
  const actor = await loggedIn('spurgruppe');
  // anonymous: log in first
  const anon = new Client(server.url);
  let res = await anon.get('/notifications');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  assert.equal((await anon.getJson('/api/v1/notifications')).status, 401);

  res = await reader.getJson('/api/v1/notifications');
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items, []);
  assert.equal(res.data.unread, 0);
  let page = await reader.get('/notifications');
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('Noch keine Benachrichtigungen'));
  assert.ok(!page.bodyText.includes('class="notification-count"'));

  // both follow every cycle; the actor submits ideas
  for (const c of [reader, actor]) {
    for (const cycle of [1, 2]) {
      res = await c.postJson(`/api/v1/cycles/${cycle}/follow`, {}, { csrf: c.csrf });
      assert.equal(res.status, 200);
    }
  }
  const titles = [];
  for (let i = 0; i < 23; i++) {
    titles.push(`Benachrichtigungsprobe ${i} am Ring`);
    await newIdea(actor, titles[i]);
  }
  assert.equal((await actor.getJson('/api/v1/notifications')).data.items.length, 0, 'not for the actor');

  res = await reader.getJson('/api/v1/notifications');
  assert.equal(res.data.unread, 23);
  assert.equal(res.data.items.length, 20);
  assert.deepEqual({ limit: res.data.paging.limit, max_limit: res.data.paging.max_limit }, { limit: 20, max_limit: 100 });
  const first = res.data.items[0];
  assert.equal(first.kind, 'cycle.idea');
  assert.equal(first.read, false);
  assert.equal(first.data.title, titles[22]);
  assert.match(first.url, /^\/ideas\/\d+$/);
  assert.equal(first.text, `Neue Idee in einer Runde, der Sie folgen: „${titles[22]}“.`);
  assert.match(res.data.paging.next, /^\/api\/v1\/notifications\?before=\d+$/);
  const rest = await reader.getJson(res.data.paging.next);
  assert.equal(rest.data.items.length, 3);
  assert.equal(rest.data.paging.next, null);
  assert.equal(rest.data.items[2].data.title, titles[0]);
  const ids = [...res.data.items, ...rest.data.items].map((n) => n.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.equal((await reader.getJson('/api/v1/notifications?limit=5')).data.items.length, 5);
  assert.equal((await reader.getJson('/api/v1/notifications?limit=101')).status, 400);
  assert.equal((await reader.getJson('/api/v1/notifications?before=x')).status, 400);

  // the HTML list and the header
  page = await reader.get('/notifications');
  assert.ok(page.bodyText.includes(`href="${first.url}"`));
  assert.ok(page.bodyText.includes('Bis zu 20 Benachrichtigungen pro Seite'));
  assert.match(page.bodyText, /rel="next"/);
  assert.match(page.bodyText, /<span class="notification-count">23<span class="kern-sr-only"> ungelesen<\/span><\/span>/);
  const home = await reader.get('/');
  assert.match(home.bodyText, /class="notification-count">23</);
  const enPage = await reader.get('/notifications?lang=en');
  assert.ok(enPage.bodyText.includes(`New idea in a cycle you follow: “${titles[22]}”.`));

  // mark one read (form), then someone else's (404), then all
  const token = csrfFromHtml(page.bodyText, '/notifications/read');
  res = await reader.postForm('/notifications/read', { _csrf: token, id: first.id });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/notifications');
  res = await reader.getJson('/api/v1/notifications?limit=1');
  assert.equal(res.data.items[0].read, true);
  assert.equal(res.data.unread, 22);
  assert.match((await reader.get('/')).bodyText, /class="notification-count">22</);
  res = await actor.postJson('/api/v1/notifications/read', { id: first.id }, { csrf: actor.csrf });
  assert.equal(res.status, 404);
  res = await reader.postJson('/api/v1/notifications/read', { id: 'abc' }, { csrf: reader.csrf });
  assert.equal(res.status, 404);
  res = await reader.postJson('/api/v1/notifications/read', {}, { csrf: reader.csrf });
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { unread: 0 });
  const homeAfter = (await reader.get('/')).bodyText;
  assert.ok(!homeAfter.includes('class="notification-count"'), homeAfter.match(/.{200}notification-count.{200}/s)?.[0]);
  assert.ok((await reader.get('/notifications?lang=de')).bodyText.includes('Sie haben alles gelesen.'));

  // the idea's own followers: unfollowing stops them
  const id = await newIdea(actor, 'Benachrichtigung zur eigenen Idee');
  await reader.postJson(`/api/v1/ideas/${id}/follow`, {}, { csrf: reader.csrf });
  assert.equal(sqlInt(`SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = ${id}`), 2);
});
