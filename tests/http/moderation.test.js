// Moderation through the real server: reporting ideas and comments (logged in
// only, a reason of 10 to 1000 characters, one open report per person and
// item), the team's queue, hiding with a public reason shown in place (HTML
// and JSON, in German and English) and gone from the list, search, map and
// feed, unhiding, "no violation", blocking (the person's cookie stops working
// at once and they cannot log in), the audit rows and the reporter's
// notification of the outcome; every route for every role.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../lib/server');
const { Client, csrfFromHtml, textareaValue, unescapeHtml, demo, stopServer } = require('../lib/http');

let server;
const users = {};     // role -> { client, csrf, id }
let ideas;            // ids of demo ideas
const ROLES = ['resident', 'team', 'spurgruppe', 'committee', 'supporter', 'steward', 'admin'];

before(async () => {
  server = await startServer();
  for (const role of ROLES) users[role] = await loggedIn(role);
  const list = await new Client(server.url).getJson('/api/v1/ideas?limit=20');
  ideas = list.data.items.map((i) => i.id);
  assert.ok(ideas.length >= 10);
});
after(async () => { await stopServer(server); });

async function loggedIn(role) {
  const client = new Client(server.url, { lang: 'en' });
  const res = await client.login(demo(role).email, demo(role).password);
  assert.equal(res.status, 303, `${role} login`);
  assert.equal((await client.get('/session?lang=en')).status, 200);   // pages in English from now on
  const s = await client.getJson('/api/v1/session');
  return { client, csrf: s.data.csrf, id: s.data.user.id };
}

// Runs SQL against the server's database (SQLite file or PostgreSQL).
function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}
const sqlInt = (s) => Number(sql(s));

const anon = (lang = 'en') => new Client(server.url, { lang });

function postJson(role, path, body) {
  const { client, csrf } = users[role];
  return client.postJson('/api/v1' + path, body, { csrf });
}

const REASON = 'Beleidigender Inhalt gegen Nachbarn';
const PUBLIC = 'Verstößt gegen die Regeln des Miteinanders';

async function notifications(role) {
  const res = await users[role].client.getJson('/api/v1/notifications');
  assert.equal(res.status, 200);
  return res.data.items;
}

test('anonymous visitors get no report form and no CSRF token, and cannot report or moderate', async () => {
  const idea = ideas[0];
  const a = anon();
  for (let i = 0; i < 2; i++) {   // the second answer may come from the page cache
    const res = await a.get(`/ideas/${idea}`);
    assert.equal(res.status, 200);
    assert.ok(!/name="_csrf"/.test(res.bodyText));
    assert.ok(!res.bodyText.includes(`/ideas/${idea}/report`));
  }
  const csrf = await a.apiCsrf();   // an anonymous token does not help
  let res = await a.postForm(`/ideas/${idea}/report`, { _csrf: csrf, reason: REASON });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  for (const path of [`/ideas/${idea}/report`, '/comments/1/report', `/ideas/${idea}/hide`, `/ideas/${idea}/unhide`,
    '/comments/1/hide', '/comments/1/unhide', '/moderation/reports/1/resolve', '/users/1/block', '/users/1/unblock']) {
    res = await a.postJson('/api/v1' + path, { reason: REASON }, { csrf });
    assert.equal(res.status, 401, path);
  }
  res = await a.get('/moderation');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  assert.equal((await a.getJson('/api/v1/moderation')).status, 401);
  assert.equal(sqlInt('SELECT COUNT(*) FROM reports'), 0);
});

test('only team and admin may see the queue, hide, unhide, resolve and block: everyone else gets 403', async () => {
  const idea = ideas[1];
  const r = await postJson('resident', `/ideas/${idea}/report`, { reason: REASON });
  assert.equal(r.status, 201, r.bodyText);
  const c = await postJson('resident', `/ideas/${idea}/comments`, { body: 'Ein Kommentar zum Melden' });
  assert.equal(c.status, 201);
  const target = users.supporter.id;
  for (const role of ROLES) {
    const staff = role === 'team' || role === 'admin';
    const { client } = users[role];
    const q = await client.getJson('/api/v1/moderation');
    assert.equal(q.status, staff ? 200 : 403, `${role} GET /moderation`);
    assert.equal((await client.get('/moderation')).status, staff ? 200 : 403, `${role} GET /moderation (HTML)`);
    if (staff) continue;
    for (const [path, body] of [[`/ideas/${idea}/hide`, { reason: PUBLIC }], [`/ideas/${idea}/unhide`, {}],
      [`/comments/${c.data.id}/hide`, { reason: PUBLIC }], [`/comments/${c.data.id}/unhide`, {}],
      [`/moderation/reports/${r.data.id}/resolve`, {}], [`/users/${target}/block`, {}], [`/users/${target}/unblock`, {}]]) {
      const res = await postJson(role, path, body);
      assert.equal(res.status, 403, `${role} ${path}`);
    }
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM ideas WHERE hidden_at IS NOT NULL`), 0);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE decided_at IS NOT NULL`), 0);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM users WHERE blocked_at IS NOT NULL`), 0);
  // every logged-in role may report
  for (const role of ROLES.filter((x) => x !== 'resident')) {
    const res = await postJson(role, `/ideas/${idea}/report`, { reason: `${REASON} (${role})` });
    assert.equal(res.status, 201, `${role} report`);
  }
  // clean up: no violation
  assert.equal((await postJson('team', `/moderation/reports/${r.data.id}/resolve`, {})).status, 200);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${idea} AND decided_at IS NULL`), 0);
});

test('a resident reports an idea through the form; bad reasons are refused with the typed text kept; one open report each', async () => {
  const idea = ideas[2];
  const { client } = users.resident;
  const page = await client.get(`/ideas/${idea}`);
  assert.equal(page.status, 200);
  const csrf = csrfFromHtml(page.bodyText, `/ideas/${idea}/report`);
  assert.ok(csrf, 'the report form is on the idea page');
  assert.match(page.bodyText, new RegExp(`<label class="kern-label" for="report-idea-${idea}">`));

  // too short: 422, the form again with the message and the typed text, nothing stored
  let res = await client.postForm(`/ideas/${idea}/report`, { _csrf: csrf, reason: 'zu kurz' });
  assert.equal(res.status, 422);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'zu kurz');
  assert.match(res.bodyText, /aria-invalid="true"/);
  assert.match(res.bodyText, /id="form-errors"/);
  res = await client.postJson(`/api/v1/ideas/${idea}/report`, { reason: 'x'.repeat(1001) }, { csrf });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'too_long');
  res = await client.postJson(`/api/v1/ideas/${idea}/report`, {}, { csrf });
  assert.equal(res.data.error.fields.reason.code, 'required');
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${idea}`), 0);

  res = await client.postForm(`/ideas/${idea}/report`, { _csrf: csrf, reason: REASON });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}?reported=idea-${idea}`);
  assert.ok(unescapeHtml((await client.get(res.headers.get('location'))).bodyText).includes('You get a notification about the decision.'),
    'the page confirms the report and says what happens next');
  const after = await client.get(`/ideas/${idea}`);
  assert.match(after.bodyText, /You have reported this\. The un:box team will look at it\./);
  assert.ok(!after.bodyText.includes(`action="/ideas/${idea}/report"`));
  res = await client.postJson(`/api/v1/ideas/${idea}/report`, { reason: REASON }, { csrf });
  assert.equal(res.status, 409);
  assert.equal(res.data.error.code, 'already_reported');
  // in parallel too: one open report
  const many = await Promise.all(Array.from({ length: 10 }, () => postJson('spurgruppe', `/ideas/${idea}/report`, { reason: REASON })));
  assert.equal(many.filter((x) => x.status === 201).length, 1);
  assert.ok(many.every((x) => x.status === 201 || x.status === 409));
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${idea}`), 2);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'moderation.report' AND subject = 'idea:${idea}'`), 2);
  // unknown items
  assert.equal((await postJson('resident', '/ideas/999999/report', { reason: REASON })).status, 404);
  assert.equal((await postJson('resident', '/comments/999999/report', { reason: REASON })).status, 404);
});

test('the queue lists reported items oldest first with content and reasons, paginated with the cap stated', async () => {
  const res = await users.team.client.getJson('/api/v1/moderation');
  assert.equal(res.status, 200);
  const items = res.data.items;
  assert.ok(items.length >= 1);
  const ids = items.map((i) => i.report_id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  const it = items.find((i) => i.idea && i.idea.id === ideas[2]);
  assert.ok(it, JSON.stringify(items));
  assert.equal(it.kind, 'idea');
  assert.equal(it.report_count, 2);
  assert.equal(it.reasons.length, 2);
  assert.equal(it.reasons[0].reason, REASON);
  assert.ok(it.content_html.length > 0);
  assert.equal(res.data.paging.max_limit, 50);
  assert.equal(res.data.paging.limit, 20);
  // paging: one item per page
  const p1 = await users.team.client.getJson('/api/v1/moderation?limit=1');
  assert.equal(p1.data.items.length, 1);
  if (items.length > 1) {
    assert.ok(p1.data.paging.next);
    const p2 = await users.team.client.getJson(p1.data.paging.next);
    assert.equal(p2.status, 200);
    assert.equal(p2.data.items[0].report_id, items[1].report_id);
  }
  assert.equal((await users.team.client.getJson('/api/v1/moderation?limit=51')).status, 400);
  assert.equal((await users.team.client.getJson('/api/v1/moderation?after=x')).status, 400);
  const html = await users.admin.client.get('/moderation');
  assert.equal(html.status, 200);
  assert.ok(unescapeHtml(html.bodyText).includes(REASON));
  assert.ok(html.bodyText.includes(`action="/moderation/reports/${it.report_id}/resolve"`));
  assert.ok(html.bodyText.includes(`action="/ideas/${ideas[2]}/hide"`));
});

test('hiding an idea shows the title and the public reason in place, in German and English; it leaves the list, search, map and feed; unhiding restores it', async () => {
  const idea = ideas[2];
  const before = (await anon().getJson(`/api/v1/ideas/${idea}`)).data;
  assert.equal(before.hidden, false);
  const words = before.title.split(/\s+/).filter((w) => w.length > 4).slice(0, 2).join(' ');
  const found = async () => (await anon().getJson(`/api/v1/search?q=${encodeURIComponent(words)}`)).data.items.map((i) => i.id);
  assert.ok((await found()).includes(idea));
  await anon().get(`/ideas/${idea}`);   // now in the page cache
  const mapTotal = async () => (await anon().getJson('/api/v1/ideas/map')).data.total;
  const total = await mapTotal();

  // a public reason is required
  let res = await postJson('team', `/ideas/${idea}/hide`, { reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'too_short');
  const page = await users.team.client.get(`/ideas/${idea}`);
  const csrf = csrfFromHtml(page.bodyText, `/ideas/${idea}/hide`);
  assert.ok(csrf, 'the team sees the hide form');
  res = await users.team.client.postForm(`/ideas/${idea}/hide`, { _csrf: csrf, reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'kurz');
  assert.equal(sqlInt(`SELECT COUNT(*) FROM ideas WHERE id = ${idea} AND hidden_at IS NOT NULL`), 0);

  res = await users.team.client.postForm(`/ideas/${idea}/hide`, { _csrf: csrf, reason: PUBLIC });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}`);

  // the page: title and reason, the content gone (English and German, fresh despite the cache)
  let html = unescapeHtml((await anon().get(`/ideas/${idea}`)).bodyText);
  assert.ok(html.includes(before.title));
  assert.ok(html.includes(`Hidden by the moderation: ${PUBLIC}`));
  assert.ok(!html.includes(before.summary));
  assert.ok(!html.includes(before.description_html));
  html = unescapeHtml((await anon('de').get(`/ideas/${idea}?lang=de`)).bodyText);
  assert.ok(html.includes(`Von der Moderation ausgeblendet: ${PUBLIC}`));
  assert.ok(!html.includes(before.summary));
  // logged-in residents see the same, without a report form
  html = unescapeHtml((await users.resident.client.get(`/ideas/${idea}`)).bodyText);
  assert.ok(html.includes(`Hidden by the moderation: ${PUBLIC}`));
  assert.ok(!html.includes(before.summary));
  assert.ok(!html.includes(`/ideas/${idea}/report`));
  // JSON
  const j = (await anon().getJson(`/api/v1/ideas/${idea}`)).data;
  assert.equal(j.hidden, true);
  assert.equal(j.title, before.title);
  assert.equal(j.hidden_reason, PUBLIC);
  assert.equal(j.hidden_text, `Hidden by the moderation: ${PUBLIC}`);
  assert.equal(j.summary, undefined);
  assert.equal(j.description, undefined);
  assert.equal(j.description_html, undefined);
  assert.equal(j.comments, undefined);
  // the team still sees the content, the reason and the unhide form
  html = unescapeHtml((await users.team.client.get(`/ideas/${idea}`)).bodyText);
  assert.ok(html.includes(before.summary));
  assert.ok(html.includes(`Hidden by the moderation: ${PUBLIC}`));
  assert.ok(html.includes(`action="/ideas/${idea}/unhide"`));
  // gone from the list, search, map and feed
  const listed = async () => {
    const ids = [];
    let url = '/api/v1/ideas?limit=100';
    while (url) {
      const r = await anon().getJson(url);
      ids.push(...r.data.items.map((i) => i.id));
      url = r.data.paging.next;
    }
    return ids;
  };
  assert.ok(!(await listed()).includes(idea));
  assert.ok(!unescapeHtml((await anon().get('/ideas')).bodyText).includes(`href="/ideas/${idea}"`));
  assert.ok(!(await found()).includes(idea));
  assert.equal((await anon().get(`/ideas/${idea}/feed.atom`)).status, 404);
  assert.equal(await mapTotal(), total - 1);
  // the reports are closed; the reporters are told; audit
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${idea} AND outcome = 'hidden' AND decided_at IS NOT NULL AND decided_by = ${users.team.id}`), 2);
  for (const role of ['resident', 'spurgruppe']) {
    const n = (await notifications(role)).find((x) => x.kind === 'moderation' && x.subject === `idea:${idea}`);
    assert.ok(n, `${role} is told`);
    assert.equal(n.data.outcome, 'hidden');
    assert.match(n.text, /has been hidden/);
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'idea.hide' AND subject = 'idea:${idea}' AND actor_id = ${users.team.id} AND detail = '${PUBLIC}'`), 1);
  assert.ok(!(await users.team.client.getJson('/api/v1/moderation')).data.items.some((i) => i.kind === 'idea' && i.idea.id === idea));
  // nothing to report any more
  res = await postJson('committee', `/ideas/${idea}/report`, { reason: REASON });
  assert.equal(res.status, 409);
  assert.equal(res.data.error.code, 'already_hidden');

  // unhide
  res = await postJson('admin', `/ideas/${idea}/unhide`, {});
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { id: idea, hidden: false });
  const back = (await anon().getJson(`/api/v1/ideas/${idea}`)).data;
  assert.equal(back.hidden, false);
  assert.equal(back.summary, before.summary);
  assert.ok(unescapeHtml((await anon().get(`/ideas/${idea}`)).bodyText).includes(before.summary));
  assert.ok((await listed()).includes(idea));
  assert.ok((await found()).includes(idea));
  assert.equal((await anon().get(`/ideas/${idea}/feed.atom`)).status, 200);
  assert.equal(await mapTotal(), total);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'idea.unhide' AND subject = 'idea:${idea}' AND actor_id = ${users.admin.id}`), 1);
  assert.equal((await postJson('team', '/ideas/999999/hide', { reason: PUBLIC })).status, 404);
});

test('a reported comment is hidden: the placeholder replaces the body, the thread stays; unhiding restores it', async () => {
  const idea = ideas[3];
  const top = await postJson('resident', `/ideas/${idea}/comments`, { body: 'Das ist ein **schlimmer** Kommentar' });
  assert.equal(top.status, 201);
  const reply = await postJson('spurgruppe', `/ideas/${idea}/comments`, { body: 'Eine sachliche Antwort', parent: top.data.id });
  assert.equal(reply.status, 201);

  // the report form on the comment, for logged-in visitors only
  let page = await users.committee.client.get(`/ideas/${idea}`);
  const csrf = csrfFromHtml(page.bodyText, `/comments/${top.data.id}/report`);
  assert.ok(csrf);
  assert.ok(!(await anon().get(`/ideas/${idea}`)).bodyText.includes(`/comments/${top.data.id}/report`));
  let res = await users.committee.client.postForm(`/comments/${top.data.id}/report`, { _csrf: csrf, reason: REASON });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}?reported=comment-${top.data.id}#comment-${top.data.id}`);
  // the thanks stand at the comment, where the page opens
  const thanked = await users.committee.client.get(res.headers.get('location'));
  const art = thanked.bodyText.match(new RegExp(`<article class="comment[^"]*" id="comment-${top.data.id}">[\\s\\S]*?</article>`))[0];
  assert.ok(unescapeHtml(art).includes('Thank you for your report.'), art);
  res = await postJson('committee', `/comments/${top.data.id}/report`, { reason: REASON });
  assert.equal(res.status, 409);
  const q = (await users.team.client.getJson('/api/v1/moderation')).data.items.find((i) => i.comment_id === top.data.id);
  assert.ok(q);
  assert.equal(q.kind, 'comment');
  assert.match(q.content_html, /schlimmer/);
  assert.equal(q.reasons[0].reason, REASON);

  res = await users.team.client.postForm(`/comments/${top.data.id}/hide`, { _csrf: users.team.csrf, reason: PUBLIC, next: '/moderation' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/moderation');

  const html = unescapeHtml((await anon().get(`/ideas/${idea}`)).bodyText);
  assert.ok(!html.includes('schlimmer'));
  assert.ok(html.includes(`Hidden by the moderation: ${PUBLIC}`));
  assert.ok(html.includes('Eine sachliche Antwort'), 'the thread stays');
  assert.ok(html.includes(`id="comment-${top.data.id}"`));
  const t = (await anon().getJson(`/api/v1/ideas/${idea}/comments`)).data.items.find((c) => c.id === top.data.id);
  assert.equal(t.hidden, true);
  assert.equal(t.body, undefined);
  assert.equal(t.body_html, undefined);
  assert.equal(t.hidden_text, `Hidden by the moderation: ${PUBLIC}`);
  assert.equal(t.replies.length, 1);
  assert.equal(t.replies[0].hidden, false);
  // the team gets the unhide form on the page
  page = await users.team.client.get(`/ideas/${idea}`);
  assert.ok(page.bodyText.includes(`action="/comments/${top.data.id}/unhide"`));
  const n = (await notifications('committee')).find((x) => x.kind === 'moderation' && x.data.comment_id === top.data.id);
  assert.ok(n);
  assert.equal(n.data.outcome, 'hidden');
  assert.equal(n.url, `/ideas/${idea}#comment-${top.data.id}`);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'comment.hide' AND subject = 'comment:${top.data.id}'`), 1);

  res = await postJson('team', `/comments/${top.data.id}/unhide`, {});
  assert.equal(res.status, 200);
  const back = (await anon().getJson(`/api/v1/ideas/${idea}/comments`)).data.items.find((c) => c.id === top.data.id);
  assert.equal(back.hidden, false);
  assert.match(back.body_html, /schlimmer/);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'comment.unhide' AND subject = 'comment:${top.data.id}'`), 1);
  assert.equal((await postJson('team', '/comments/999999/hide', { reason: PUBLIC })).status, 404);
});

test('"no violation" closes the reports, keeps the content and tells the reporters', async () => {
  const idea = ideas[4];
  const r1 = await postJson('resident', `/ideas/${idea}/report`, { reason: REASON });
  const r2 = await postJson('steward', `/ideas/${idea}/report`, { reason: 'Ich finde das auch nicht gut' });
  assert.equal(r1.status, 201);
  assert.equal(r2.status, 201);
  const html = await users.team.client.get('/moderation');
  const csrf = csrfFromHtml(html.bodyText, `/moderation/reports/${r1.data.id}/resolve`);
  assert.ok(csrf);
  let res = await users.team.client.postForm(`/moderation/reports/${r1.data.id}/resolve`, { _csrf: csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/moderation');
  assert.equal(sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${idea} AND outcome = 'kept'`), 2);
  assert.equal((await anon().getJson(`/api/v1/ideas/${idea}`)).data.hidden, false);
  for (const role of ['resident', 'steward']) {
    const n = (await notifications(role)).find((x) => x.kind === 'moderation' && x.subject === `idea:${idea}`);
    assert.ok(n, role);
    assert.equal(n.data.outcome, 'kept');
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'moderation.keep' AND subject = 'idea:${idea}'`), 1);
  // twice changes nothing; unknown reports are 404
  res = await postJson('team', `/moderation/reports/${r2.data.id}/resolve`, {});
  assert.equal(res.status, 200);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'moderation.keep' AND subject = 'idea:${idea}'`), 1);
  assert.equal((await postJson('team', '/moderation/reports/999999/resolve', {})).status, 404);
  // a new report after the decision is possible again
  assert.equal((await postJson('resident', `/ideas/${idea}/report`, { reason: REASON })).status, 201);
});

test('blocking ends the person\'s sessions at once and refuses their login; unblocking lets them back in', async () => {
  const victim = await loggedIn('supporter');
  const other = await loggedIn('supporter');   // a second session of the same person
  assert.ok((await victim.client.getJson('/api/v1/session')).data.user);
  // the team cannot block itself, nor the admin; unknown people are 404
  const BLOCK = { reason: 'Wiederholt beleidigende Kommentare' };
  assert.equal((await postJson('team', `/users/${users.team.id}/block`, BLOCK)).status, 403);
  assert.equal((await postJson('team', `/users/${users.admin.id}/block`, BLOCK)).status, 403);
  assert.equal((await postJson('team', '/users/999999/block', BLOCK)).status, 404);

  const page = await users.team.client.get('/moderation');
  const csrf = csrfFromHtml(page.bodyText);
  // a reason is asked for
  let res = await users.team.client.postForm(`/users/${victim.id}/block`, { _csrf: csrf, next: '/moderation' });
  assert.equal(res.status, 422);
  assert.ok((await victim.client.getJson('/api/v1/session')).data.user, 'not blocked without a reason');
  res = await users.team.client.postForm(`/users/${victim.id}/block`, { _csrf: csrf, next: '/moderation', ...BLOCK });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/moderation');
  for (const c of [victim, other]) {
    const s = await c.client.getJson('/api/v1/session');
    assert.equal(s.data.user, null, 'the cookie no longer works');
    res = await c.client.get('/profile');
    assert.equal(res.status, 303);
    res = await c.client.postJson('/api/v1/ideas/1/report', { reason: REASON }, { csrf: c.csrf });
    assert.equal(res.status, 401);
  }
  assert.equal(sqlInt(`SELECT COUNT(*) FROM sessions WHERE user_id = ${victim.id}`), 0);
  const again = new Client(server.url, { lang: 'en' });
  res = await again.login(demo('supporter').email, demo('supporter').password);
  assert.equal(res.status, 403, 'a blocked person cannot log in, and is told why');
  assert.ok(res.bodyText.includes('Your account has been blocked by the un:box team'));
  assert.ok(res.bodyText.includes(BLOCK.reason));
  assert.equal((await again.getJson('/api/v1/session')).data.user, null);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'user.block' AND subject = 'user:${victim.id}' AND actor_id = ${users.team.id}`), 1);
  // listed on the queue page with an unblock button
  const q = await users.team.client.getJson('/api/v1/moderation');
  assert.ok(q.data.blocked.some((u) => u.id === victim.id));
  const html = await users.team.client.get('/moderation');
  assert.ok(html.bodyText.includes(`href="/users/${victim.id}"`), 'the blocked person\'s page, to unblock with a reason');
  assert.ok(html.bodyText.includes(BLOCK.reason));

  assert.equal((await postJson('admin', `/users/${victim.id}/unblock`, {})).status, 422);
  const UNBLOCK = { reason: 'Hat sich beim Team entschuldigt' };
  res = await postJson('admin', `/users/${victim.id}/unblock`, UNBLOCK);
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { id: victim.id, blocked: false, reason: UNBLOCK.reason });
  res = await again.login(demo('supporter').email, demo('supporter').password);
  assert.equal(res.status, 303);
  assert.ok((await again.getJson('/api/v1/session')).data.user);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'user.unblock' AND subject = 'user:${victim.id}'`), 1);
  users.supporter = await loggedIn('supporter');

  // the admin may block a team member; nobody may block themselves
  const t2 = await loggedIn('team');
  assert.equal((await postJson('admin', `/users/${t2.id}/block`, BLOCK)).status, 200);
  assert.equal((await t2.client.getJson('/api/v1/session')).data.user, null);
  assert.equal((await postJson('admin', `/users/${t2.id}/unblock`, UNBLOCK)).status, 200);
  assert.equal((await postJson('admin', `/users/${users.admin.id}/block`, BLOCK)).status, 403);
  users.team = await loggedIn('team');
});
