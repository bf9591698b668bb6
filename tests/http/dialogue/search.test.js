// Search: GET /search and /api/v1/search over the demo ideas. The form alone
// without a query, results as idea cards and as JSON items of the list's
// shape, a new idea found at once, paging, and 400 for overlong queries.
// The ordering itself is covered by tests/unit/test_search.c on both backends.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server');
const { Client, demo, ideaLinks, inputValue, unescapeHtml, validIdea, stopServer } = require('../../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

const search = (q, extra = '') => `/api/v1/search?q=${encodeURIComponent(q)}${extra}`;

test('without a query the page shows the form only; JSON answers an empty page', async () => {
  const c = new Client(server.url, { lang: 'en' });
  for (const path of ['/search', '/search?q=', '/search?q=%20%20']) {
    const res = await c.get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const html = res.bodyText;
    assert.match(html, /<form method="get" action="\/search"[^>]*role="search"/);
    assert.match(html, /<label class="kern-label" for="q">Search words<\/label>/);
    assert.match(html, /<input class="kern-form-input__input" id="q" name="q" type="search" maxlength="200"/);
    assert.doesNotMatch(html, /class="card-list"/, `${path}: no result list`);
    assert.deepEqual(ideaLinks(html), []);
  }
  const res = await c.getJson('/api/v1/search');
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { query: '', items: [], total: { count: 0, more: false, cap: 1000, text: '0' },
    paging: { limit: 20, max_limit: 100, next: null } });
});

test('results: idea cards in HTML, the list item shape in JSON, German stems', async () => {
  const c = new Client(server.url);
  const all = (await c.getJson('/api/v1/ideas?limit=100')).data.items;
  const byId = new Map(all.map((i) => [i.id, i]));

  const res = await c.getJson(search('Bänke'));
  assert.equal(res.status, 200);
  assert.equal(res.data.query, 'Bänke');
  assert.equal(res.data.paging.limit, 20);
  assert.equal(res.data.paging.max_limit, 100);
  const ids = res.data.items.map((i) => i.id);
  assert.ok(ids.length > 0, 'the demo ideas mention benches');
  for (const item of res.data.items) assert.deepEqual(item, byId.get(item.id), 'same shape as /api/v1/ideas');
  // "Bank" has the same stem as "Bänke", "Bänken"
  assert.deepEqual((await c.getJson(search('Bank'))).data.items.map((i) => i.id), ids);
  assert.deepEqual((await c.getJson(search('BÄNKEN'))).data.items.map((i) => i.id), ids);

  const page = await c.get('/search?q=B%C3%A4nke');
  assert.equal(page.status, 200);
  assert.deepEqual(ideaLinks(page.bodyText), ids);
  assert.equal(inputValue(page.bodyText, 'q'), 'Bänke');
  assert.match(page.bodyText, /<h1 class="kern-heading-large">Ideen durchsuchen<\/h1>/);
  assert.match(page.bodyText, /<title>Ideen durchsuchen – un:box<\/title>/);

  // every word must occur; a word nobody used finds nothing
  const none = await c.get('/search?q=B%C3%A4nke+Quastenflosser');
  assert.equal(none.status, 200);
  assert.deepEqual(ideaLinks(none.bodyText), []);
  assert.match(none.bodyText, /Keine Idee enthält alle diese Wörter\./);
});

test('a new idea is found at once, by its title first', async () => {
  const c = new Client(server.url);
  const anonCsrf = (await c.getJson('/api/v1/session')).data.csrf;
  const login = await c.postJson('/api/v1/login', demo('resident'), { csrf: anonCsrf });
  assert.equal(login.status, 200, login.bodyText);
  const before = await c.getJson(search('Zauberwürfel'));
  assert.deepEqual(before.data.items, []);

  const idea = validIdea({ title: 'Zauberwürfel-Treff in der Stadtbibliothek',
    summary: 'Einmal im Monat lösen Jung und Alt gemeinsam Zauberwürfel und andere Knobelspiele.' });
  const res = await c.postJson('/api/v1/ideas', idea, { csrf: login.data.csrf });
  assert.equal(res.status, 201, res.bodyText);
  const id = res.data.id;

  const found = await c.getJson(search('Zauberwürfels'));
  assert.deepEqual(found.data.items.map((i) => i.id), [id]);
  assert.equal(found.data.items[0].title, idea.title);
  // also for anonymous visitors, in HTML
  const anon = new Client(server.url);
  const page = await anon.get('/search?q=zauberw%C3%BCrfel+stadtbibliothek');
  assert.deepEqual(ideaLinks(page.bodyText), [id]);
  // its description mentions "Bänke" (validIdea): it is among those matches too
  const benches = (await anon.getJson(search('Bänke', '&limit=100'))).data.items.map((i) => i.id);
  assert.ok(benches.includes(id));
});

test('overlong queries are refused with 400 and the error envelope', async () => {
  const c = new Client(server.url, { lang: 'en' });
  const long = 'ä'.repeat(201);
  let res = await c.getJson(search(long));
  assert.equal(res.status, 400);
  assert.equal(res.data.error.code, 'bad_query');
  assert.equal(res.data.error.message, 'The search cannot be run with this query.');
  assert.equal(res.data.error.fields.q.code, 'too_long');

  res = await c.get(`/search?q=${encodeURIComponent(long)}`);
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(res.bodyText, /role="alert"/);
  assert.match(res.bodyText, /id="q-error"/);
  assert.match(res.bodyText, /aria-invalid="true"/);
  assert.equal(inputValue(res.bodyText, 'q'), long, 'the query stays in the form to be shortened');

  // 200 characters are fine, and so are blanks around them
  res = await c.getJson(search(`  ${'ä'.repeat(200)}  `));
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items, []);

  for (const bad of ['&limit=0', '&limit=101', '&limit=x', '&after=-1', '&after=1e3', '&after=0-1e3']) {
    res = await c.getJson(search('Daten', bad));
    assert.equal(res.status, 400, bad);
    assert.equal(res.data.error.code, 'bad_query', bad);
  }
});

test('query syntax is harmless: quotes, operators, SQL', async () => {
  const c = new Client(server.url);
  const count = (await c.getJson('/api/v1/ideas?limit=100')).data.items.length;
  for (const q of ['"', '*', 'NEAR(', 'title:', "'; DROP TABLE ideas; --", 'Daten" OR "x', '{title}: Daten*', '(Daten', 'Daten & !Karte', '\\']) {
    const res = await c.getJson(search(q));
    assert.equal(res.status, 200, `${q}: ${res.bodyText.slice(0, 200)}`);
    assert.ok(Array.isArray(res.data.items), q);
    const page = await c.get(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, 200, q);
    assert.equal(inputValue(page.bodyText, 'q'), q);
  }
  assert.equal((await c.getJson('/api/v1/ideas?limit=100')).data.items.length, count);
  // operators only separate words
  const plain = (await c.getJson(search('Daten'))).data.items.map((i) => i.id);
  assert.deepEqual((await c.getJson(search('"Daten"*'))).data.items.map((i) => i.id), plain);
  assert.deepEqual((await c.getJson(search('title:Daten'))).data.items, []);
});

test('pages: limit, a next link with a cursor, no overlap; bad cursors 400', async () => {
  const c = new Client(server.url);
  const all = (await c.getJson(search('Daten', '&limit=100'))).data;
  const ids = all.items.map((i) => i.id);
  assert.ok(ids.length > 6, `${ids.length} ideas about data`);
  assert.equal(all.paging.next, null);

  const seen = [];
  let url = search('Daten', '&limit=3');
  let pages = 0;
  while (url) {
    const r = await c.getJson(url);
    assert.equal(r.status, 200, url);
    assert.equal(r.data.paging.limit, 3);
    seen.push(...r.data.items.map((i) => i.id));
    url = r.data.paging.next;
    if (url) assert.match(url, /^\/api\/v1\/search\?q=Daten&limit=3&after=[0-2]-\d+$/);
    assert.ok(++pages <= 20);
  }
  assert.deepEqual(seen, ids);

  const h1 = await c.get('/search?q=Daten&limit=3');
  assert.deepEqual(ideaLinks(h1.bodyText), ids.slice(0, 3));
  const m = h1.bodyText.match(/<a class="kern-link" href="([^"]+)" rel="next">/);
  assert.ok(m, 'next link');
  assert.match(unescapeHtml(m[1]), /^\/search\?q=Daten&limit=3&after=[0-2]-\d+$/);
  const h2 = await c.get(unescapeHtml(m[1]));
  assert.deepEqual(ideaLinks(h2.bodyText), ids.slice(3, 6));
  const first = h2.bodyText.match(/<a class="kern-link" href="([^"]+)">Zurück zu den besten Treffern<\/a>/);
  assert.ok(first, 'link back to the first page');
  assert.equal(unescapeHtml(first[1]), '/search?q=Daten&limit=3');
  // a cursor that is not one: 400 with the field named, the query kept in the form
  for (const bad of ['3', '3-1', '0-', 'x-1', '1-0', '1-1x', '-1', '0-99999999999999999999']) {
    const r = await c.getJson(search('Daten', `&after=${encodeURIComponent(bad)}`));
    assert.equal(r.status, 400, bad);
    assert.ok(r.data.error.fields.after, bad);
  }
  const bad = await c.get('/search?q=Daten&after=nope');
  assert.equal(bad.status, 400);
  assert.ok(bad.bodyText.includes('value="Daten"'), 'the query stays in the form');
});

test('the idea list offers a labelled search field', async () => {
  const res = await new Client(server.url, { lang: 'en' }).get('/ideas');
  assert.equal(res.status, 200);
  const form = res.bodyText.match(/<form method="get" action="\/search"[\s\S]*?<\/form>/);
  assert.ok(form, 'search form on /ideas');
  assert.match(form[0], /role="search"/);
  assert.match(form[0], /<label class="kern-label" for="ideas-search">Search words<\/label>/);
  assert.match(form[0], /<input [^>]*id="ideas-search" name="q" type="search"/);
});
