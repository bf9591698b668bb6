// The idea list in pages: limit, a next link with a keyset cursor, no
// overlap between pages, and 400 for limits out of range.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server');
const { Client, ideaLinks, unescapeHtml, stopServer } = require('../../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

test('limit=5 gives 5 ideas and a next link to the following 5, without overlap', async () => {
  const c = new Client(server.url);
  const all = await c.getJson('/api/v1/ideas?limit=100');
  assert.equal(all.status, 200);
  const allIds = all.data.items.map((i) => i.id);
  assert.ok(allIds.length > 10, `demo data has ${allIds.length} ideas`);
  assert.equal(all.data.paging.next, null, 'everything fits in one page of 100');
  assert.equal(all.data.paging.max_limit, 100);

  const p1 = await c.getJson('/api/v1/ideas?limit=5');
  assert.equal(p1.status, 200);
  assert.equal(p1.data.items.length, 5);
  assert.equal(p1.data.paging.limit, 5);
  assert.deepEqual(p1.data.items.map((i) => i.id), allIds.slice(0, 5));
  const next = p1.data.paging.next;
  assert.equal(typeof next, 'string');
  assert.match(next, /^\/api\/v1\/ideas\?/);
  const q = new URL(next, server.url).searchParams;
  assert.equal(q.get('limit'), '5');
  assert.match(q.get('before'), /^\d+\.\d+$/);

  const p2 = await c.getJson(next);
  assert.equal(p2.status, 200);
  assert.equal(p2.data.items.length, 5);
  const ids1 = p1.data.items.map((i) => i.id);
  const ids2 = p2.data.items.map((i) => i.id);
  assert.deepEqual(ids2, allIds.slice(5, 10));
  assert.equal(ids1.filter((id) => ids2.includes(id)).length, 0, 'no overlap');
  assert.ok(p2.data.items[0].created_at <= p1.data.items[4].created_at, 'newest first across pages');

  // walking all pages gives every idea exactly once, in order
  const seen = [];
  let url = '/api/v1/ideas?limit=5';
  let pages = 0;
  while (url) {
    const r = await c.getJson(url);
    assert.equal(r.status, 200, url);
    assert.ok(r.data.items.length <= 5 && r.data.items.length > 0, url);
    seen.push(...r.data.items.map((i) => i.id));
    url = r.data.paging.next;
    assert.ok(++pages <= 30);
  }
  assert.deepEqual(seen, allIds);
  assert.equal(pages, Math.ceil(allIds.length / 5));
});

test('filters stay in the next link; the HTML list pages the same way', async () => {
  const c = new Client(server.url);
  const all = await c.getJson('/api/v1/ideas?limit=100&field=mobilitaet-infrastruktur');
  const ids = all.data.items.map((i) => i.id);
  assert.ok(ids.length >= 3, `${ids.length} ideas in the field`);
  assert.ok(all.data.items.every((i) => i.field.slug === 'mobilitaet-infrastruktur'));

  const p1 = await c.getJson('/api/v1/ideas?field=mobilitaet-infrastruktur&limit=2');
  assert.deepEqual(p1.data.items.map((i) => i.id), ids.slice(0, 2));
  assert.equal(new URL(p1.data.paging.next, server.url).searchParams.get('field'), 'mobilitaet-infrastruktur');
  const p2 = await c.getJson(p1.data.paging.next);
  assert.deepEqual(p2.data.items.map((i) => i.id), ids.slice(2, 4));

  // HTML: 5 cards and a rel=next link to the next 5
  const everything = (await c.getJson('/api/v1/ideas?limit=100')).data.items.map((i) => i.id);
  const h1 = await c.get('/ideas?limit=5');
  assert.equal(h1.status, 200);
  assert.deepEqual(ideaLinks(h1.bodyText), everything.slice(0, 5));
  const m = h1.bodyText.match(/<a class="kern-link" href="([^"]+)" rel="next">/);
  assert.ok(m, 'next link');
  const href = unescapeHtml(m[1]);
  assert.match(href, /^\/ideas\?limit=5&before=\d+\.\d+$/);
  const h2 = await c.get(href);
  assert.deepEqual(ideaLinks(h2.bodyText), everything.slice(5, 10));
  assert.ok(h2.bodyText.includes('<a class="kern-link" href="/ideas">'), 'link back to the newest');

  // the default page size is 20
  const d = await c.getJson('/api/v1/ideas');
  assert.equal(d.data.paging.limit, 20);
  assert.equal(d.data.items.length, Math.min(20, everything.length));
});

test('limit out of range or not a number, and broken cursors, answer 400', async () => {
  const c = new Client(server.url);
  for (const limit of ['0', '101', 'abc', '-1', '5x', '1e2', '99999999999999999999']) {
    const res = await c.getJson(`/api/v1/ideas?limit=${limit}`);
    assert.equal(res.status, 400, `limit=${limit}`);
    assert.equal(res.data.error.code, 'bad_filter');
    assert.deepEqual(Object.keys(res.data.error.fields), ['limit'], `limit=${limit}`);
    assert.equal(res.data.error.fields.limit.code, 'invalid');
    const html = await c.get(`/ideas?limit=${limit}`);
    assert.equal(html.status, 400, `HTML limit=${limit}`);
  }
  for (const limit of ['1', '100']) {
    const res = await c.getJson(`/api/v1/ideas?limit=${limit}`);
    assert.equal(res.status, 200, `limit=${limit}`);
  }
  for (const before of ['x', '1', '1.', '.1', '0.5', '1.0', '1.2.3']) {
    const res = await c.getJson(`/api/v1/ideas?before=${before}`);
    assert.equal(res.status, 400, `before=${before}`);
    assert.ok(res.data.error.fields.before, `before=${before}`);
  }
  let res = await c.getJson('/api/v1/ideas?field=gibt-es-nicht');
  assert.equal(res.status, 400);
  assert.equal(res.data.error.fields.field.code, 'invalid');
  res = await c.getJson('/api/v1/ideas?bezirk=42');
  assert.equal(res.status, 400);
  assert.equal(res.data.error.fields.bezirk.code, 'invalid');
});
