// Comments on ideas through the real server: every route for every kind of
// visitor, threading one level deep, the 15-minute edit window (the comment's
// created_at is moved back in the database instead of waiting), soft
// deletion, the expert badge, the Markdown subset, paging with 45 threads,
// bad input and CSRF, and the page cache for anonymous visitors.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../lib/server');
const { Client, csrfFromHtml, textareaValue, unescapeHtml, demo, stopServer } = require('../lib/http');

let server;
const users = {};     // role -> { client, csrf }
let ideas;            // ids of demo ideas

before(async () => {
  server = await startServer();
  for (const role of ['resident', 'team', 'spurgruppe', 'committee', 'admin']) {
    const client = new Client(server.url, { lang: 'en' });
    const res = await client.login(demo(role).email, demo(role).password);
    assert.equal(res.status, 303, `${role} login`);
    assert.equal((await client.get('/session?lang=en')).status, 200);   // pages in English from now on
    users[role] = { client, csrf: await client.apiCsrf() };
  }
  const list = await new Client(server.url).getJson('/api/v1/ideas?limit=10');
  ideas = list.data.items.map((i) => i.id);
  assert.ok(ideas.length >= 8);
});
after(async () => { await stopServer(server); });

// Runs SQL against the server's database (SQLite file or PostgreSQL).
function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}

const anon = () => new Client(server.url, { lang: 'en' });

async function post(role, ideaId, body, parent) {
  const { client, csrf } = users[role];
  const res = await client.postJson(`/api/v1/ideas/${ideaId}/comments`, parent ? { body, parent } : { body }, { csrf });
  assert.equal(res.status, 201, res.bodyText.slice(0, 300));
  return res.data;
}

async function thread(ideaId) {
  const res = await anon().getJson(`/api/v1/ideas/${ideaId}/comments`);
  assert.equal(res.status, 200);
  return res.data;
}

// The <article> of one comment in a page.
function article(html, id) {
  const m = html.match(new RegExp(`<article class="comment[^"]*" id="comment-${id}">[\\s\\S]*?</article>`));
  return m ? m[0] : undefined;
}

test('anonymous visitors read comments, get no form and no CSRF token, and cannot write', async () => {
  const idea = ideas[0];
  const c = await post('resident', idea, 'Erster Kommentar');
  const a = anon();
  let res = await a.get(`/ideas/${idea}`);
  assert.equal(res.status, 200);
  assert.ok(article(res.bodyText, c.id), 'the comment is on the page');
  assert.ok(unescapeHtml(res.bodyText).includes(`<a class="kern-link" href="/login?next=/ideas/${idea}%23comments">Log in to comment</a>`));
  assert.ok(!/name="_csrf"/.test(res.bodyText), 'no form with a CSRF token on the cached page');
  assert.ok(!res.bodyText.includes(`/comments/${c.id}/delete`));
  assert.ok(!res.bodyText.includes(`/comments/${c.id}/edit`));
  // twice: the second answer may come from the page cache and is the same
  const again = await a.get(`/ideas/${idea}`);
  assert.ok(!/name="_csrf"/.test(again.bodyText));

  const csrf = await a.apiCsrf();   // an anonymous token does not help
  res = await a.postForm(`/ideas/${idea}/comments`, { _csrf: csrf, body: 'Anonym' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  res = await a.postJson(`/api/v1/ideas/${idea}/comments`, { body: 'Anonym' }, { csrf });
  assert.equal(res.status, 401);
  for (const path of [`/comments/${c.id}/edit`, `/comments/${c.id}/delete`]) {
    res = await a.postJson('/api/v1' + path, { body: 'x' }, { csrf });
    assert.equal(res.status, 401, path);
  }
  res = await a.get(`/comments/${c.id}/edit`);
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  assert.equal((await thread(idea)).count, 1);
  // the lists are public
  res = await a.get(`/ideas/${idea}/comments`);
  assert.equal(res.status, 200);
  assert.ok(article(res.bodyText, c.id));
  assert.ok(!/name="_csrf"/.test(res.bodyText));
  res = await a.get(`/comments/${c.id}/replies`);
  assert.equal(res.status, 200);
  assert.ok(!/name="_csrf"/.test(res.bodyText));
  assert.ok(res.bodyText.includes('Log in to reply'));
});

test('a logged-in resident comments through the form and replies; replies stay one level deep', async () => {
  const idea = ideas[1];
  const { client } = users.resident;
  let page = await client.get(`/ideas/${idea}`);
  const csrf = csrfFromHtml(page.bodyText, `/ideas/${idea}/comments`);
  assert.equal(csrf, users.resident.csrf);
  assert.match(page.bodyText, /<label class="kern-label" for="body">Your comment<\/label>/);
  let res = await client.postForm(`/ideas/${idea}/comments`, { _csrf: csrf, body: 'Gute **Idee**, finde ich.' });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  const m = res.headers.get('location').match(new RegExp(`^/ideas/${idea}#comment-(\\d+)$`));
  assert.ok(m, res.headers.get('location'));
  const top = Number(m[1]);
  page = await client.get(`/ideas/${idea}`);
  const art = article(page.bodyText, top);
  assert.ok(art.includes('<strong>Idee</strong>'));
  assert.ok(art.includes(`/comments/${top}/edit`), 'the author may edit');
  assert.ok(art.includes(`/comments/${top}/delete`), 'the author may delete');
  // the reply form of the thread works without JavaScript
  assert.match(page.bodyText, new RegExp(`<details class="comment-reply">[\\s\\S]*?name="parent" value="${top}"`));

  // replies through the form and through JSON; an answer to a reply joins the thread
  res = await users.team.client.postForm(`/ideas/${idea}/comments`, { _csrf: users.team.csrf, body: 'Antwort vom Team', parent: top });
  assert.equal(res.status, 303);
  const r1 = Number(res.headers.get('location').split('#comment-')[1]);
  const r2 = await post('spurgruppe', idea, 'Antwort auf die Antwort', r1);
  assert.equal(r2.parent_id, top);
  assert.equal(r2.thread_id, top);
  assert.equal(r2.idea_id, idea);
  assert.equal(r2.expert, true);
  const data = await thread(idea);
  assert.equal(data.count, 3);
  assert.equal(data.items.length, 1);
  assert.equal(data.items[0].id, top);
  assert.equal(data.items[0].reply_count, 2);
  assert.deepEqual(data.items[0].replies.map((r) => r.id), [r1, r2.id]);
  assert.ok(data.items[0].replies.every((r) => r.parent_id === top));
  // the idea's JSON carries the first page of comments
  const ij = await anon().getJson(`/api/v1/ideas/${idea}`);
  assert.equal(ij.data.comments.count, 3);

  // a parent from another idea is refused
  res = await users.resident.client.postJson(`/api/v1/ideas/${ideas[2]}/comments`, { body: 'Falsch', parent: top },
    { csrf: users.resident.csrf });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.parent.code, 'invalid');
  res = await users.resident.client.postJson(`/api/v1/ideas/${idea}/comments`, { body: 'Falsch', parent: 'abc' },
    { csrf: users.resident.csrf });
  assert.equal(res.status, 422);
  // unknown idea
  res = await users.resident.client.postJson('/api/v1/ideas/999999/comments', { body: 'Wohin?' }, { csrf: users.resident.csrf });
  assert.equal(res.status, 404);
  assert.equal((await thread(idea)).count, 3);
});

test('CSRF: a post without the token or with a wrong one is refused and stores nothing', async () => {
  const idea = ideas[2];
  const { client } = users.resident;
  const before = (await thread(idea)).count;
  let res = await client.postForm(`/ideas/${idea}/comments`, { body: 'Ohne Token' });
  assert.equal(res.status, 403);
  res = await client.postForm(`/ideas/${idea}/comments`, { _csrf: 'x'.repeat(43), body: 'Falsches Token' });
  assert.equal(res.status, 403);
  res = await client.postJson(`/api/v1/ideas/${idea}/comments`, { body: 'JSON ohne Token' });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'csrf');
  const c = await post('resident', idea, 'Mit Token');
  res = await client.postForm(`/comments/${c.id}/edit`, { body: 'Ohne Token' });
  assert.equal(res.status, 403);
  res = await client.postForm(`/comments/${c.id}/delete`, {});
  assert.equal(res.status, 403);
  const after = await thread(idea);
  assert.equal(after.count, before + 1);
  assert.equal(after.items[0].body, 'Mit Token');
});

test('bad input: 422 with the message next to the field and the text kept; nothing stored', async () => {
  const idea = ideas[3];
  const { client, csrf } = users.resident;
  const long = 'ä'.repeat(5001);
  let res = await client.postForm(`/ideas/${idea}/comments`, { _csrf: csrf, body: long });
  assert.equal(res.status, 422);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.ok(res.bodyText.includes('id="form-errors"'));
  assert.match(res.bodyText, /<p class="kern-error" id="body-error">[\s\S]*?Please shorten the text to at most 5,000 characters; it has 5,001 now\.<\/span><\/p>/);
  assert.match(res.bodyText, /<textarea [^>]*id="body"[^>]*aria-invalid="true"/);
  assert.equal(textareaValue(res.bodyText, 'body'), long, 'the typed text is kept');
  assert.equal(csrfFromHtml(res.bodyText, `/ideas/${idea}/comments`), csrf, 'the form can be sent again');
  // a reply that fails keeps its parent
  const c = await post('resident', idea, 'Thread');
  res = await client.postForm(`/ideas/${idea}/comments`, { _csrf: csrf, body: '   ', parent: c.id });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, new RegExp(`<input type="hidden" name="parent" value="${c.id}">`));
  assert.match(res.bodyText, /<label class="kern-label" for="body">Your reply<\/label>/);
  // JSON
  res = await client.postJson(`/api/v1/ideas/${idea}/comments`, { body: '' }, { csrf });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'validation');
  assert.equal(res.data.error.fields.body.code, 'required');
  res = await client.postJson(`/api/v1/ideas/${idea}/comments`, { body: 'x'.repeat(5001) }, { csrf });
  assert.equal(res.data.error.fields.body.code, 'too_long');
  // exactly 5,000 characters are fine
  await post('resident', idea, 'ö'.repeat(5000));
  assert.equal((await thread(idea)).count, 2);
  // German messages
  const de = new Client(server.url, { lang: 'de' });
  await de.login(demo('resident').email, demo('resident').password);
  res = await de.postForm(`/ideas/${idea}/comments`, { _csrf: await de.apiCsrf(), body: '' });
  assert.equal(res.status, 422);
  assert.ok(res.bodyText.includes('Bitte schreiben Sie Ihren Kommentar.'));
  assert.ok(res.bodyText.includes('Ihr Kommentar'));
});

test('Markdown subset: raw HTML, scripts and javascript: links never reach the page', async () => {
  const idea = ideas[4];
  const c = await post('resident', idea,
    '# Überschrift\n\nHallo <script>alert("x")</script> <img src=x onerror=alert(1)> [klick](javascript:alert(1)) ' +
    '[gut](https://example.org/) ![bild](https://example.org/b.png)\n\n- *eins*\n- `zwei`');
  assert.ok(!c.body_html.includes('<script'));
  assert.ok(!c.body_html.includes('<img'));
  assert.ok(!c.body_html.includes('javascript:'));
  assert.ok(!c.body_html.includes('<h1'));
  assert.ok(c.body_html.includes('<p><strong>Überschrift</strong></p>'));
  assert.ok(c.body_html.includes('<a rel="nofollow ugc" href="https://example.org/">gut</a>'));
  assert.ok(c.body_html.includes('<a rel="nofollow ugc" href="https://example.org/b.png">bild</a>'));
  assert.ok(c.body_html.includes('<li><em>eins</em></li>'));
  const res = await anon().get(`/ideas/${idea}`);
  const art = article(res.bodyText, c.id);
  assert.ok(art.includes(c.body_html.trim()));
  assert.ok(!/<script/.test(art));
  assert.ok(!/onerror/.test(art));
  // the heading order of the page stays intact: h1 once
  assert.equal((res.bodyText.match(/<h1\b/g) || []).length, 1);
});

test('editing: the author within 15 minutes, marked as edited; others 403; later refused with a clear message', async () => {
  const idea = ideas[5];
  const c = await post('resident', idea, 'Erste Fassung');
  const { client, csrf } = users.resident;
  let res = await client.get(`/comments/${c.id}/edit`);
  assert.equal(res.status, 200);
  assert.equal(textareaValue(res.bodyText, 'body'), 'Erste Fassung');
  assert.equal(csrfFromHtml(res.bodyText, `/comments/${c.id}/edit`), csrf);
  res = await client.postForm(`/comments/${c.id}/edit`, { _csrf: csrf, body: 'Zweite *Fassung*' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}#comment-${c.id}`);
  let page = await client.get(`/ideas/${idea}`);
  let art = article(page.bodyText, c.id);
  assert.ok(art.includes('<em>Fassung</em>'));
  assert.match(art, /<span class="comment__edited">edited<\/span>/);
  // JSON edit
  res = await client.postJson(`/api/v1/comments/${c.id}/edit`, { body: 'Dritte Fassung' }, { csrf });
  assert.equal(res.status, 200);
  assert.equal(res.data.body, 'Dritte Fassung');
  assert.equal(res.data.edited, true);
  // bad input keeps the text
  res = await client.postForm(`/comments/${c.id}/edit`, { _csrf: csrf, body: 'y'.repeat(5001) });
  assert.equal(res.status, 422);
  assert.equal(textareaValue(res.bodyText, 'body'), 'y'.repeat(5001));
  assert.match(res.bodyText, /id="body-error"/);

  // someone else, of any role, may not edit
  for (const role of ['team', 'admin', 'spurgruppe']) {
    const u = users[role];
    res = await u.client.get(`/comments/${c.id}/edit`);
    assert.equal(res.status, 403, role);
    res = await u.client.postForm(`/comments/${c.id}/edit`, { _csrf: u.csrf, body: 'Übernommen' });
    assert.equal(res.status, 403, role);
    res = await u.client.postJson(`/api/v1/comments/${c.id}/edit`, { body: 'Übernommen' }, { csrf: u.csrf });
    assert.equal(res.status, 403, role);
    assert.equal(res.data.error.code, 'forbidden');
  }
  // 16 minutes later (the comment is moved back in time)
  sql(`UPDATE comments SET created_at = created_at - 16 * 60 WHERE id = ${c.id}`);
  res = await client.get(`/comments/${c.id}/edit`);
  assert.equal(res.status, 403);
  assert.ok(res.bodyText.includes('Comments can only be edited within 15 minutes of posting.'));
  res = await client.postForm(`/comments/${c.id}/edit`, { _csrf: csrf, body: 'Zu spät' });
  assert.equal(res.status, 403);
  assert.ok(res.bodyText.includes('Comments can only be edited within 15 minutes of posting.'));
  res = await client.postJson(`/api/v1/comments/${c.id}/edit`, { body: 'Zu spät' }, { csrf });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'edit_window_closed');
  page = await client.get(`/ideas/${idea}`);
  art = article(page.bodyText, c.id);
  assert.ok(!art.includes(`/comments/${c.id}/edit`), 'no edit link after the window');
  assert.ok(art.includes(`/comments/${c.id}/delete`), 'deleting stays possible');
  assert.equal((await thread(idea)).items[0].body, 'Dritte Fassung');
  res = await client.get('/comments/999999/edit');
  assert.equal(res.status, 404);
});

test('deleting: the author or staff, never others; a placeholder keeps the thread and its replies', async () => {
  const idea = ideas[6];
  const top = await post('resident', idea, 'Wird gelöscht');
  const reply = await post('committee', idea, 'Bleibt stehen', top.id);
  const other = await post('committee', idea, 'Vom Team gelöscht');
  assert.equal((await thread(idea)).count, 3);
  for (const role of ['committee', 'spurgruppe']) {
    const u = users[role];
    let res = await u.client.postForm(`/comments/${top.id}/delete`, { _csrf: u.csrf });
    assert.equal(res.status, 403, role);
    res = await u.client.postJson(`/api/v1/comments/${top.id}/delete`, {}, { csrf: u.csrf });
    assert.equal(res.status, 403, role);
  }
  assert.equal((await thread(idea)).count, 3);
  // the author, through the form
  let res = await users.resident.client.postForm(`/comments/${top.id}/delete`, { _csrf: users.resident.csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${idea}#comment-${top.id}`);
  // staff (team, admin) may delete any comment, with a public reason
  const why = { reason: 'Verstößt gegen die Regeln des Dialogs.' };
  res = await users.team.client.postJson(`/api/v1/comments/${other.id}/delete`, why, { csrf: users.team.csrf });
  assert.equal(res.status, 200);
  assert.equal(res.data.deleted, true);
  assert.equal(res.data.body, undefined);
  res = await users.admin.client.postJson(`/api/v1/comments/${reply.id}/delete`, why, { csrf: users.admin.csrf });
  assert.equal(res.status, 200);
  // deleting again changes nothing
  res = await users.admin.client.postJson(`/api/v1/comments/${reply.id}/delete`, why, { csrf: users.admin.csrf });
  assert.equal(res.status, 200);
  const data = await thread(idea);
  assert.equal(data.count, 0);
  assert.equal(data.items.length, 2);
  const t = data.items.find((i) => i.id === top.id);
  assert.equal(t.deleted, true);
  assert.equal(t.author, null);
  assert.equal(t.replies.length, 1);
  assert.equal(t.replies[0].id, reply.id);
  // the page shows placeholders, the texts are gone
  const page = await anon().get(`/ideas/${idea}`);
  assert.ok(article(page.bodyText, top.id).includes('This comment was deleted.'));
  assert.ok(!page.bodyText.includes('Wird gelöscht'));
  assert.ok(!page.bodyText.includes('Vom Team gelöscht'));
  const de = await new Client(server.url, { lang: 'de' }).get(`/ideas/${idea}`);
  assert.ok(article(de.bodyText, top.id).includes('Dieser Kommentar wurde gelöscht.'));
  // a deleted comment can be neither edited nor answered
  res = await users.resident.client.postJson(`/api/v1/comments/${top.id}/edit`, { body: 'Zurück' }, { csrf: users.resident.csrf });
  assert.equal(res.status, 409);
  res = await users.resident.client.postJson(`/api/v1/ideas/${idea}/comments`, { body: 'Hallo?', parent: top.id }, { csrf: users.resident.csrf });
  assert.equal(res.status, 422);
  res = await users.team.client.postJson('/api/v1/comments/999999/delete', why, { csrf: users.team.csrf });
  assert.equal(res.status, 404);
  // every write left an audit row
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit WHERE action = 'comment.delete' AND subject IN ('comment:${top.id}', 'comment:${other.id}', 'comment:${reply.id}')`)), 3);
});

test('expert badge for members of the Spurgruppe', async () => {
  const idea = ideas[7];
  const e = await post('spurgruppe', idea, 'Fachliche Einschätzung');
  const r = await post('resident', idea, 'Bürgerstimme');
  const page = await anon().get(`/ideas/${idea}`);
  assert.match(article(page.bodyText, e.id), /<span class="kern-badge[^"]*comment__badge">Expert \(Spurgruppe\)<\/span>/);
  assert.ok(!article(page.bodyText, r.id).includes('comment__badge'));
  const data = await thread(idea);
  assert.equal(data.items.find((i) => i.id === e.id).expert, true);
  assert.equal(data.items.find((i) => i.id === r.id).expert, false);
  const de = await new Client(server.url, { lang: 'de' }).get(`/ideas/${idea}`);
  assert.match(article(de.bodyText, e.id), /Expertise \(Spurgruppe\)/);
});

test('paging: 45 threads, newest activity first, 10 per page; 3 replies shown and a link to all of them', async () => {
  const create = await users.resident.client.getJson('/api/v1/ideas?limit=20');
  const idea = create.data.items[create.data.items.length - 1].id;
  const ids = [];
  for (let i = 0; i < 45; i++) ids.push((await post(i % 2 ? 'resident' : 'committee', idea, `Thread ${i}`)).id);
  // thread 0 gets 6 replies, so it has the newest activity
  const replies = [];
  for (let i = 0; i < 6; i++) replies.push((await post('team', idea, `Antwort ${i}`, ids[0])).id);

  const a = anon();
  let res = await a.get(`/ideas/${idea}`);
  assert.equal(res.status, 200);
  let html = res.bodyText;
  assert.equal((html.match(/<li class="comment-thread">/g) || []).length, 10);
  assert.match(html, /Comments \(51\)/);
  assert.ok(html.indexOf(`id="comment-${ids[0]}"`) < html.indexOf(`id="comment-${ids[44]}"`));
  for (const r of replies.slice(0, 3)) assert.ok(html.includes(`id="comment-${r}"`));
  for (const r of replies.slice(3)) assert.ok(!html.includes(`id="comment-${r}"`));
  assert.ok(html.includes(`<a class="kern-link" href="/comments/${ids[0]}/replies">Show all replies (6)</a>`));
  assert.ok(html.includes(`id="comment-${ids[36]}"`), 'the tenth thread is on the first page');
  assert.ok(!html.includes(`id="comment-${ids[35]}"`), 'older threads are on later pages');
  assert.ok(html.includes('up to 10 per page'));
  const next = unescapeHtml(html.match(/<a class="kern-link" href="([^"]+)">Older comments<\/a>/)[1]);
  assert.match(next, new RegExp(`^/ideas/${idea}/comments\\?before=\\d+$`));

  // the pages in HTML: 10, 10, 10, 10, 5 threads, none twice
  const seen = new Set();
  let url = `/ideas/${idea}/comments`;
  const sizes = [];
  while (url) {
    res = await a.get(url);
    assert.equal(res.status, 200);
    const found = [...res.bodyText.matchAll(/<li class="comment-thread">\s*<article class="comment[^"]*" id="comment-(\d+)">/g)].map((m) => Number(m[1]));
    sizes.push(found.length);
    for (const id of found) { assert.ok(!seen.has(id)); seen.add(id); }
    const m = res.bodyText.match(/<a class="kern-link" href="([^"]+)">Older comments<\/a>/);
    url = m ? unescapeHtml(m[1]) : null;
  }
  assert.deepEqual(sizes, [10, 10, 10, 10, 5]);
  assert.equal(seen.size, 45);

  // JSON states the cap and links the next page under /api/v1
  res = await a.getJson(`/api/v1/ideas/${idea}/comments`);
  assert.equal(res.data.paging.limit, 10);
  assert.equal(res.data.paging.max_limit, 50);
  assert.equal(res.data.items.length, 10);
  assert.equal(res.data.count, 51);
  assert.match(res.data.paging.next, new RegExp(`^/api/v1/ideas/${idea}/comments\\?before=`));
  res = await a.getJson(res.data.paging.next);
  assert.equal(res.data.items.length, 10);
  res = await a.getJson(`/api/v1/ideas/${idea}/comments?limit=50`);
  assert.equal(res.data.items.length, 45);
  assert.equal(res.data.paging.next, null);
  for (const bad of ['limit=51', 'limit=0', 'limit=x', 'before=abc', 'before=1.2', 'before=0']) {
    res = await a.getJson(`/api/v1/ideas/${idea}/comments?${bad}`);
    assert.equal(res.status, 400, bad);
  }
  res = await a.getJson('/api/v1/ideas/999999/comments');
  assert.equal(res.status, 404);

  // all replies of a thread, in pages, oldest first; a reply's id leads to its thread
  res = await a.get(`/comments/${ids[0]}/replies`);
  assert.equal(res.status, 200);
  for (const r of replies) assert.ok(res.bodyText.includes(`id="comment-${r}"`));
  res = await a.getJson(`/api/v1/comments/${replies[4]}/replies?limit=4`);
  assert.equal(res.data.thread.id, ids[0]);
  assert.deepEqual(res.data.items.map((i) => i.id), replies.slice(0, 4));
  assert.equal(res.data.paging.limit, 4);
  assert.equal(res.data.paging.max_limit, 100);
  res = await a.getJson(res.data.paging.next);
  assert.deepEqual(res.data.items.map((i) => i.id), replies.slice(4));
  assert.equal(res.data.paging.next, null);
  res = await a.get(`/comments/${ids[0]}/replies?limit=2`);
  const more = res.bodyText.match(/<a class="kern-link" href="([^"]+)">More replies<\/a>/);
  assert.ok(more);
  res = await a.get(unescapeHtml(more[1]));
  assert.equal(res.status, 200);
  assert.ok(res.bodyText.includes(`id="comment-${replies[2]}"`));
  assert.ok(!res.bodyText.includes(`id="comment-${replies[0]}"`));
  assert.equal((await a.get('/comments/999999/replies')).status, 404);
  assert.equal((await a.get(`/comments/${ids[0]}/replies?after=zz`)).status, 400);

  // the counter is kept on write and matches the rows
  assert.equal(Number(sql(`SELECT comment_count FROM ideas WHERE id = ${idea}`)),
    Number(sql(`SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = ${idea} AND deleted_at IS NULL`)));
});

test('logged-in visitors of the reply page get the reply form; the page cache never shows stale comments', async () => {
  const idea = ideas[0];
  const a = anon();
  const before = await a.get(`/ideas/${idea}`);
  const c = await post('resident', idea, 'Ganz neu');
  const after = await a.get(`/ideas/${idea}`);
  assert.ok(!article(before.bodyText, c.id));
  assert.ok(article(after.bodyText, c.id), 'the anonymous page shows the new comment at once');
  const res = await users.team.client.get(`/comments/${c.id}/replies`);
  assert.equal(csrfFromHtml(res.bodyText, `/ideas/${idea}/comments`), users.team.csrf);
  assert.match(res.bodyText, new RegExp(`name="parent" value="${c.id}"`));
});
