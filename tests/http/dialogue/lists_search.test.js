// The idea list's filters (status, cycle, phase besides field, Bezirk,
// Zielbild, need) and sort orders (newest, most supported, most discussed,
// recently active) with keyset cursors per sort; search over comments and
// search with the list's filters. Counters are set in the database so that
// every order has ties, which must fall back to the id.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, demo, ideaLinks, selectOptions, unescapeHtml, stopServer } = require('../../lib/http');

let server;
let ideas;   // [{id, supports, comments, active, status, cycle, field, bezirk}]
const NOW = Math.floor(Date.now() / 1000);

function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}

before(async () => {
  server = await startServer();
  // ties on purpose: supports id % 3, comments id % 4, activity in steps of two ideas
  sql(`UPDATE ideas SET supports = id % 3, comment_count = id % 4, last_activity_at = ${NOW} - 3600 * (id / 2),
       status = CASE WHEN id % 5 = 0 THEN 'in_dialogue' ELSE status END`);
  sql('UPDATE content_version SET n = n + 1');
  const rows = sql(`SELECT i.id, i.supports, i.comment_count, i.last_activity_at, i.created_at, i.status, c.number,
                           f.slug, i.bezirk_nr
                    FROM ideas i JOIN cycles c ON c.id = i.cycle_id JOIN fields f ON f.id = i.field_id
                    WHERE i.hidden_at IS NULL`);
  ideas = rows.split('\n').map((l) => {
    const [id, supports, comments, active, created, status, cycle, field, bezirk] = l.split('|');
    return { id: +id, supports: +supports, comments: +comments, active: +active, created: +created, status,
             cycle: +cycle, field, bezirk: +bezirk };
  });
  assert.ok(ideas.length >= 12, 'enough demo ideas');
});
after(async () => { await stopServer(server); });

const anon = () => new Client(server.url, { lang: 'en' });
const byKey = (key) => (a, b) => (b[key] - a[key]) || (b.id - a.id);
const SORTS = { newest: byKey('created'), supported: byKey('supports'), discussed: byKey('comments'), active: byKey('active') };

// Every page of path (JSON), following paging.next: the ids per page.
async function pages(path) {
  const out = [];
  const c = anon();
  for (let url = path; url; ) {
    const res = await c.getJson(url);
    assert.equal(res.status, 200, `${url}: ${res.bodyText.slice(0, 200)}`);
    out.push(res.data.items.map((i) => i.id));
    url = res.data.paging.next;
    assert.ok(out.length < 100, 'the pages end');
  }
  return out;
}

test('each sort: the exact order, ties by id, three pages without overlap or gaps', async () => {
  for (const [sort, cmp] of Object.entries(SORTS)) {
    const expected = [...ideas].sort(cmp).map((i) => i.id);
    const size = Math.ceil(expected.length / 3);
    const got = await pages(`/api/v1/ideas?sort=${sort}&limit=${size}`);
    assert.equal(got.length, 3, `${sort}: three pages`);
    assert.deepEqual(got.flat(), expected, sort);
    assert.equal(new Set(got.flat()).size, expected.length, `${sort}: no overlap`);
    // the HTML list in the same order, with the sort selected
    const html = (await anon().get(`/ideas?sort=${sort}&limit=100`)).bodyText;
    assert.deepEqual(ideaLinks(html), expected, `${sort} (HTML)`);
    assert.deepEqual(selectOptions(html, 'sort').filter((o) => o.selected).map((o) => o.value), [sort]);
  }
  // the default is newest first, and says so
  const res = await anon().getJson('/api/v1/ideas?limit=100');
  assert.equal(res.data.sort, 'newest');
  assert.deepEqual(res.data.items.map((i) => i.id), [...ideas].sort(SORTS.newest).map((i) => i.id));
  assert.equal(res.data.paging.max_limit, 100);
});

test('a cursor of another sort, unknown sorts, states, phases and cycles are refused with 400', async () => {
  const c = anon();
  const cursors = {};
  for (const sort of Object.keys(SORTS)) {
    const res = await c.getJson(`/api/v1/ideas?sort=${sort}&limit=2`);
    cursors[sort] = new URL(res.data.paging.next, server.url).searchParams.get('before');
    assert.ok(cursors[sort], sort);
  }
  for (const sort of Object.keys(SORTS))
    for (const other of Object.keys(SORTS)) {
      if (sort === other) continue;
      const res = await c.getJson(`/api/v1/ideas?sort=${sort}&before=${encodeURIComponent(cursors[other])}`);
      assert.equal(res.status, 400, `${other} cursor with sort=${sort}`);
      assert.equal(res.data.error.fields.before.code, 'invalid');
    }
  for (const [param, value] of [['sort', 'random'], ['sort', 'NEWEST'], ['status', 'approved'], ['phase', 'later'],
                                ['cycle', '999'], ['cycle', 'x'], ['cycle', '0'], ['before', 's1.x']]) {
    for (const path of [`/api/v1/ideas?${param}=${value}`, `/ideas?${param}=${value}`]) {
      const res = path.startsWith('/api') ? await c.getJson(path) : await c.get(path);
      assert.equal(res.status, 400, path);
    }
    const res = await c.getJson(`/api/v1/ideas?${param}=${value}`);
    assert.ok(res.data.error.fields[param], `${param} named`);
  }
});

test('filters: status, cycle and phase, alone and with the others, kept in the next links', async () => {
  const c = anon();
  const ids = async (qs) => (await pages(`/api/v1/ideas?limit=100&${qs}`)).flat();
  const expect = (pred, sort = 'newest') => ideas.filter(pred).sort(SORTS[sort]).map((i) => i.id);
  assert.deepEqual(await ids('status=in_dialogue'), expect((i) => i.status === 'in_dialogue'));
  assert.deepEqual(await ids('status=qualified'), expect((i) => i.status === 'qualified'));
  const cycles = (await c.getJson('/api/v1/cycles')).data.items;
  assert.ok(cycles.length >= 1);
  for (const cy of cycles) {
    assert.deepEqual(await ids(`cycle=${cy.number}`), expect((i) => i.cycle === cy.number), `cycle ${cy.number}`);
    const inPhase = cycles.filter((o) => o.phase.key === cy.phase.key).map((o) => o.number);
    assert.deepEqual(await ids(`phase=${cy.phase.key}&sort=supported`),
                     expect((i) => inPhase.includes(i.cycle), 'supported'), `phase ${cy.phase.key}`);
  }
  for (const key of ['before', 'ideensammlung', 'projektkonkretisierung', 'massnahmenqualifizierung', 'umsetzung', 'done'])
    assert.equal((await c.getJson(`/api/v1/ideas?phase=${key}`)).status, 200, key);

  // everything at once, paged by two: the next links keep every filter and the sort
  const first = ideas.find((i) => ideas.filter((o) => o.field === i.field && o.cycle === i.cycle && o.status === 'submitted').length >= 2);
  const qs = `field=${first.field}&cycle=${first.cycle}&status=submitted&sort=discussed&limit=1`;
  const want = expect((i) => i.field === first.field && i.cycle === first.cycle && i.status === 'submitted', 'discussed');
  let url = `/api/v1/ideas?${qs}`;
  const got = [];
  while (url) {
    const res = await c.getJson(url);
    got.push(...res.data.items.map((i) => i.id));
    url = res.data.paging.next;
    if (url) {
      const p = new URL(url, server.url).searchParams;
      assert.equal(new URL(url, server.url).pathname, '/api/v1/ideas');
      for (const [k, v] of [['field', first.field], ['cycle', String(first.cycle)], ['status', 'submitted'],
                            ['sort', 'discussed'], ['limit', '1']])
        assert.equal(p.get(k), v, `${k} kept`);
      assert.match(p.get('before'), /^d\d+\.\d+$/);
    }
  }
  assert.deepEqual(got, want);

  // HTML: the form shows the selects with labels and the choices; the next link keeps them
  const html = unescapeHtml((await c.get(`/ideas?${qs}&bezirk=${first.bezirk}`)).bodyText);
  for (const [name, id] of [['status', 'filter-status'], ['cycle', 'filter-cycle'], ['phase', 'filter-phase'], ['sort', 'filter-sort']])
    assert.match(html, new RegExp(`<label class="kern-label" for="${id}">[^<]+</label>[\\s\\S]*?<select[^>]*id="${id}" name="${name}"`));
  const page = await c.get(`/ideas?${qs}`);
  assert.deepEqual(selectOptions(page.bodyText, 'status').find((o) => o.selected).value, 'submitted');
  assert.deepEqual(selectOptions(page.bodyText, 'cycle').find((o) => o.selected).value, String(first.cycle));
  const next = unescapeHtml(page.bodyText).match(/<a class="kern-link" href="([^"]+)" rel="next">/);
  assert.ok(next, 'a next link');
  assert.match(next[1], /^\/ideas\?/);
  for (const part of [`field=${first.field}`, `cycle=${first.cycle}`, 'status=submitted', 'sort=discussed', 'limit=1', 'before=d'])
    assert.ok(next[1].includes(part), `${part} in ${next[1]}`);
  // German texts
  const de = (await new Client(server.url).get('/ideas?sort=supported')).bodyText;
  assert.match(de, /<option value="supported" selected>Meiste Unterstützung<\/option>/);
  assert.match(de, /<label class="kern-label" for="filter-phase">Aktuelle Phase der Runde<\/label>/);
});

test('comment search: stems, a link to the comment, never deleted or hidden comments; filters apply', async () => {
  const resident = new Client(server.url, { lang: 'en' });
  assert.equal((await resident.login(demo('resident').email, demo('resident').password)).status, 303);
  const csrf = await resident.apiCsrf();
  const open = ideas.filter((i) => !['archived', 'withdrawn'].includes(i.status));   // closed ideas take no comments
  const target = open[0];
  const other = open.find((i) => i.field !== target.field);
  const absent = ['qualified', 'eligible', 'prioritised'].find((s) => s !== target.status && s !== other.status);
  const post = async (idea, body) => {
    const res = await resident.postJson(`/api/v1/ideas/${idea}/comments`, { body }, { csrf });
    assert.equal(res.status, 201, res.bodyText.slice(0, 200));
    return res.data.id ?? res.data.comment?.id;
  };
  const a = await post(target.id, 'Wir könnten hier Quittenbäume pflanzen.');
  const b = await post(other.id, 'Ein Quittenbaum reicht doch.');
  const gone = await post(target.id, 'Quittenbaum, gleich wieder gelöscht.');
  assert.ok(a && b && gone);
  const c = anon();
  const search = async (qs) => {
    const res = await c.getJson(`/api/v1/search?scope=comments&${qs}`);
    assert.equal(res.status, 200, res.bodyText.slice(0, 200));
    return res.data;
  };
  let data = await search('q=Quittenbaum');
  assert.deepEqual(data.items.map((i) => i.id), [gone, b, a]);
  assert.equal(data.scope, 'comments');
  const item = data.items.find((i) => i.id === a);
  assert.equal(item.url, `/ideas/${target.id}#comment-${a}`);
  assert.equal(item.excerpt, 'Wir könnten hier Quittenbäume pflanzen.');
  assert.equal(item.idea.id, target.id);
  // the idea scope does not find comments
  assert.deepEqual((await c.getJson('/api/v1/search?q=Quittenbaum')).data.items, []);
  // deleted: never found
  const del = await resident.postJson(`/api/v1/comments/${gone}/delete`, {}, { csrf });
  assert.ok([200, 204].includes(del.status), `delete: ${del.status}`);
  assert.deepEqual((await search('q=Quittenb%C3%A4ume')).items.map((i) => i.id), [b, a]);
  // hidden (moderation): never found
  sql(`UPDATE comments SET hidden_at = ${NOW}, hidden_reason = 'test' WHERE id = ${b}`);
  assert.deepEqual((await search('q=Quittenbaum')).items.map((i) => i.id), [a]);
  sql(`UPDATE comments SET hidden_at = NULL, hidden_reason = NULL WHERE id = ${b}`);
  // filters on the comment's idea
  assert.deepEqual((await search(`q=Quittenbaum&field=${target.field}`)).items.map((i) => i.id),
                   other.field === target.field ? [b, a] : [a]);
  assert.deepEqual((await search(`q=Quittenbaum&field=${other.field}`)).items.map((i) => i.id), [b]);
  assert.deepEqual((await search(`q=Quittenbaum&status=${absent}`)).items, []);
  // paging keeps scope and filters
  data = await search(`q=Quittenbaum&field=${other.field}&limit=1`);
  data = await search('q=Quittenbaum&limit=1');
  assert.deepEqual(data.items.map((i) => i.id), [b]);
  const next = new URL(data.paging.next, server.url);
  assert.equal(next.searchParams.get('scope'), 'comments');
  assert.equal(next.searchParams.get('after'), `0-${b}`);
  assert.deepEqual((await c.getJson(data.paging.next)).data.items.map((i) => i.id), [a]);
  // HTML: the excerpt with a link to the comment on the idea page
  const html = unescapeHtml((await c.get('/search?scope=comments&q=Quittenbaum')).bodyText);
  assert.ok(html.includes(`href="/ideas/${target.id}#comment-${a}"`), 'link to the comment');
  assert.ok(html.includes('Wir könnten hier Quittenbäume pflanzen.'));
  assert.deepEqual(selectOptions(html, 'scope').find((o) => o.selected).value, 'comments');
  const ideaPage = (await c.get(`/ideas/${target.id}`)).bodyText;
  assert.ok(ideaPage.includes(`id="comment-${a}"`), 'the anchor exists');
  // unknown scope
  assert.equal((await c.getJson('/api/v1/search?q=Baum&scope=everything')).status, 400);
  assert.equal((await c.get('/search?q=Baum&scope=everything')).status, 400);
});

test('idea search with the list filters; filters kept in the next link; bad filters 400', async () => {
  const c = anon();
  const all = (await c.getJson('/api/v1/search?q=Idee&limit=100')).data.items;
  const word = all.length >= 4 ? 'Idee' : 'Köln';
  const found = (await c.getJson(`/api/v1/search?q=${encodeURIComponent(word)}&limit=100`)).data.items;
  const field = found.length ? found[0].field.slug : ideas[0].field;
  const bezirk = found.length ? found[0].bezirk.nr : ideas[0].bezirk;
  const res = await c.getJson(`/api/v1/search?q=${encodeURIComponent(word)}&field=${field}&bezirk=${bezirk}&limit=100`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items.map((i) => i.id),
                   found.filter((i) => i.field.slug === field && i.bezirk.nr === bezirk).map((i) => i.id),
                   'the same order, filtered');
  for (const st of ['in_dialogue', 'submitted']) {
    const f = (await c.getJson(`/api/v1/search?q=${encodeURIComponent(word)}&status=${st}&limit=100`)).data.items;
    assert.deepEqual(f.map((i) => i.id), found.filter((i) => i.status === st).map((i) => i.id), st);
  }
  if (found.length >= 2) {
    const p = await c.getJson(`/api/v1/search?q=${encodeURIComponent(word)}&field=${field}&limit=1`);
    if (p.data.paging.next) {
      const n = new URL(p.data.paging.next, server.url).searchParams;
      assert.equal(n.get('field'), field);
    }
  }
  for (const qs of ['field=nope', 'bezirk=999', 'status=x', 'phase=x', 'cycle=999', 'zielbild=x', 'need=x'])
    assert.equal((await c.getJson(`/api/v1/search?q=Baum&${qs}`)).status, 400, qs);
  // the HTML form keeps the filter
  const html = (await c.get(`/search?q=Baum&field=${field}`)).bodyText;
  assert.equal(selectOptions(html, 'field').find((o) => o.selected).value, field);
});
