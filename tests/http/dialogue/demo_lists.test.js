// The demo content shows the product: ideas in every status, with supports,
// comments and answers, a comment hidden by the moderation, Zielbilder,
// needs and places on the map, so that every filter and every order shows
// something. Idea cards show status and supports, lists and search results
// say how many there are (counted up to 1,000, never all), and search
// results come newest first within their group, as the README promises.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server');
const { Client, stopServer, unescapeHtml } = require('../../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

const en = () => new Client(server.url, { lang: 'en' });

// Every idea of a list through its pages (JSON).
async function all(query = '') {
  const ids = [];
  const items = [];
  let url = `/api/v1/ideas?limit=100${query ? '&' + query : ''}`;
  while (url) {
    const r = await en().getJson(url);
    assert.equal(r.status, 200, url);
    items.push(...r.data.items);
    ids.push(...r.data.items.map((i) => i.id));
    url = r.data.paging.next;
  }
  return items;
}

test('the demo has ideas in every status, and every filter and order shows something', async () => {
  const ideas = await all();
  assert.ok(ideas.length >= 30);
  for (const status of ['submitted', 'in_dialogue', 'eligible', 'not_eligible', 'prioritised', 'qualified', 'withdrawn', 'archived'])
    assert.ok((await all(`status=${status}`)).length > 0, `an idea that is ${status}`);
  const filters = (await en().get('/ideas')).bodyText;
  for (const name of ['zielbild', 'need', 'bezirk', 'field']) {
    const values = [...filters.matchAll(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`, 'g'))][0][1]
      .match(/value="[^"]+"/g).map((v) => v.slice(7, -1));
    assert.ok(values.length > 0, name);
    for (const v of values) assert.ok((await all(`${name}=${encodeURIComponent(v)}`)).length > 0, `${name}=${v} shows something`);
  }
  // the orders differ from one another, and each has something at the top that counts
  const top = {};
  for (const sort of ['newest', 'supported', 'discussed', 'active'])
    top[sort] = (await en().getJson(`/api/v1/ideas?sort=${sort}&limit=5`)).data.items;
  assert.ok(top.supported[0].supports >= 5, 'supported ideas');
  assert.ok(top.discussed[0].comment_count >= 3, 'discussed ideas');
  assert.notDeepEqual(top.supported.map((i) => i.id), top.newest.map((i) => i.id));
  assert.notDeepEqual(top.discussed.map((i) => i.id), top.newest.map((i) => i.id));
  // map points, threads with answers and a moderated comment
  const map = (await en().getJson('/api/v1/ideas/map')).data;
  assert.ok(map.points.length >= 10, 'places on the map');
  const discussed = (await en().getJson(`/api/v1/ideas/${top.discussed[0].id}/comments`)).data;
  assert.ok(discussed.items.some((t) => t.reply_count > 0), 'threads with answers');
  let hidden = null;
  for (const i of ideas.filter((x) => x.comment_count > 0)) {
    const c = (await en().getJson(`/api/v1/ideas/${i.id}/comments`)).data.items.find((t) => t.hidden);
    if (c) hidden = c;
  }
  assert.ok(hidden, 'a comment hidden by the moderation');
  assert.match(hidden.hidden_text, /^Hidden by the moderation: /);
  // a closed idea explains itself
  const archived = (await all('status=archived'))[0];
  const page = unescapeHtml((await en().get(`/ideas/${archived.id}?lang=en`)).bodyText);
  assert.ok(page.includes('This idea has been archived'));
});

test('cards show status and supports; lists say how many ideas there are', async () => {
  const ideas = await all();
  let html = unescapeHtml((await en().get('/ideas?lang=en')).bodyText);
  assert.match(html, new RegExp(`Ideas in all: <strong>${ideas.length}</strong>`));
  const card = html.match(/<li class="kern-card">[\s\S]*?<\/li>/)[0];
  assert.match(card, /idea-card__status/);
  assert.match(card, /Supports: <strong>\d+<\/strong>/);
  const first = ideas[0];
  assert.ok(card.includes(first.status_label), 'the status of the first idea');
  const inDialogue = await all('status=in_dialogue');
  html = unescapeHtml((await en().get('/ideas?status=in_dialogue&lang=en')).bodyText);
  assert.match(html, new RegExp(`Ideas matching these filters: <strong>${inDialogue.length}</strong>`));
  const j = (await en().getJson('/api/v1/ideas?status=in_dialogue')).data;
  assert.deepEqual(j.total, { count: inDialogue.length, more: false, cap: 1000, text: String(inDialogue.length) });
  assert.equal(typeof j.items[0].supports, 'number');
});

test('search results say how many there are and come newest first within each group', async () => {
  const r = (await en().getJson('/api/v1/search?q=Daten&limit=100')).data;
  assert.ok(r.items.length >= 5);
  assert.equal(r.total.count, r.items.length);
  // the groups: title matches, then summary, then description; in each the newest first
  const has = (s) => /\bdaten\b/i.test(s);
  const group = (i) => has(i.title) ? 0 : has(i.summary) ? 1 : 2;
  for (let k = 1; k < r.items.length; k++) {
    const a = r.items[k - 1], b = r.items[k];
    assert.ok(group(a) <= group(b), `groups in order at ${k}`);
    if (group(a) === group(b))
      assert.ok(a.created_at >= b.created_at, `newest first within a group: ${a.created_at} before ${b.created_at}`);
  }
  const html = unescapeHtml((await en().get('/search?q=Daten&lang=en')).bodyText);
  assert.match(html, new RegExp(`Ideas found: <strong>${r.items.length}</strong>`));
  const none = (await en().getJson('/api/v1/search?q=Quastenflosser')).data;
  assert.equal(none.total.count, 0);
});
