// The map of ideas (/ideas/map, /ideas/map.svg) and the Atom feeds
// (/ideas.atom, /ideas/{id}/feed.atom) through the real server: the SVG is
// well-formed XML with a link per district, counts agree with the list under
// the same filters, names are escaped, and the feeds are read by an
// independent feed parser from npm.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { XMLParser, XMLValidator } = require('fast-xml-parser');
const { parseFeed } = require('@rowanmanning/feed-parser');
const { startServer } = require('../../lib/server');
const { Client, demo, validIdea, assertSecurityHeaders, unescapeHtml, selectOptions, stopServer } = require('../../lib/http');

let server;
const anon = (lang = 'en') => new Client(server.url, { lang });

before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}

async function login(role) {
  const client = new Client(server.url, { lang: 'en' });
  const res = await client.login(demo(role).email, demo(role).password);
  assert.equal(res.status, 303, `${role} login`);
  return { client, csrf: await client.apiCsrf() };
}

// Every <a> of a parsed SVG (at any depth), as {href, title}.
function svgLinks(svgText) {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['a', 'g', 'path', 'circle', 'text'].includes(name) }).parse(svgText);
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'a') for (const a of v) out.push({ href: a.href, title: typeof a.title === 'object' ? a.title['#text'] : a.title, a });
      if (Array.isArray(v)) v.forEach(walk); else if (typeof v === 'object') walk(v);
    }
  };
  walk(doc);
  return { doc, links: out };
}

async function listIds(query) {
  const res = await anon().getJson(`/api/v1/ideas?limit=100${query ? '&' + query : ''}`);
  assert.equal(res.status, 200, res.bodyText.slice(0, 200));
  assert.equal(res.data.paging.next, null, 'the demo ideas fit in one page');
  return res.data.items.map((i) => i.id);
}

test('GET /ideas/map.svg is well-formed SVG with one link per Stadtbezirk, titles and the source', async () => {
  const res = await anon().get('/ideas/map.svg');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^image\/svg\+xml/);
  assertSecurityHeaders(res, 'map.svg');
  const svg = res.bodyText;
  assert.equal(XMLValidator.validate(svg), true, 'well-formed XML');
  assert.match(svg, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 800 900"/);
  assert.match(svg, /role="img" aria-labelledby="map-title" aria-describedby="map-desc"/);
  assert.match(svg, /<title id="map-title">Map of ideas by city district<\/title>/);
  assert.match(svg, /Datenquelle: Stadt Köln – offenedaten-koeln\.de/);
  assert.doesNotMatch(svg, /<script|javascript:|on\w+=/i);
  const { links } = svgLinks(svg);
  const districts = links.filter((l) => /^\/ideas\?bezirk=\d$/.test(l.href));
  assert.equal(districts.length, 9);
  assert.deepEqual(districts.map((l) => Number(l.href.slice(-1))).sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const d of districts) {
    assert.match(d.title, /^.+: \d+ ideas?$/, 'each district names itself and its count');
    assert.match(d.a.path[0].d, /^M[\d.]+,[\d.]+( [\d.]+,[\d.]+)+Z/);
  }
  // German as well
  const de = await anon('de').get('/ideas/map.svg');
  assert.equal(XMLValidator.validate(de.bodyText), true);
  assert.match(de.bodyText, /<title id="map-title">Karte der Ideen nach Stadtbezirk<\/title>/);
});

test('the map page shows the SVG inline, a table of the counts, the source, and links to list, SVG and feed', async () => {
  const res = await anon().get('/ideas/map');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = res.bodyText;
  const svg = html.match(/<svg[\s\S]*<\/svg>/);
  assert.ok(svg, 'inline SVG');
  assert.equal(XMLValidator.validate(svg[0]), true, 'the inline SVG is well-formed too');
  assert.match(svg[0], /aria-labelledby="map-title" aria-describedby="map-desc"/);
  assert.equal(svgLinks(svg[0]).links.filter((l) => /^\/ideas\?bezirk=\d$/.test(l.href)).length, 9);
  assert.match(html, /<figcaption[^>]*>Datenquelle: Stadt Köln – offenedaten-koeln\.de<\/figcaption>/);
  const table = html.match(/<table[\s\S]*?<\/table>/)[0];
  assert.equal((table.match(/<th class="kern-table__header" scope="row"><a /g) || []).length, 9, 'a row per district');
  assert.match(html, /href="\/ideas\/map\.svg"/);
  assert.match(html, /href="\/ideas\.atom"/);
  assert.match(html, /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="\/ideas\.atom">/);
  // the list links to the map, with its filters
  const list = await anon().get('/ideas');
  assert.match(list.bodyText, /<a class="kern-link" href="\/ideas\/map">Map<\/a>/);
  const listDe = unescapeHtml((await anon('de').get('/ideas?bezirk=3')).bodyText);
  assert.match(listDe, /<a class="kern-link" href="\/ideas\/map\?bezirk=3">Karte<\/a>/);
  assert.match(listDe, /<link rel="alternate" type="application\/atom\+xml" title="Ideen \(Atom-Feed\)" href="\/ideas\.atom\?bezirk=3">/);
  // the map keeps the filters in its own links
  const filtered = unescapeHtml((await anon().get('/ideas/map?bezirk=3')).bodyText);
  assert.match(filtered, /href="\/ideas\/map\.svg\?bezirk=3"/);
  assert.match(filtered, /href="\/ideas\.atom\?bezirk=3"/);
  assert.match(filtered, /<option value="3" selected>/);
});

test('the counts on the map are those of the list under the same filters', async () => {
  const all = await anon().getJson('/api/v1/ideas/map');
  assert.equal(all.status, 200);
  assert.equal(all.data.districts.length, 9);
  assert.equal(all.data.districts[0].path, undefined, 'JSON carries no path data');
  const allIds = await listIds('');
  assert.equal(all.data.total, allIds.length);
  let sum = 0;
  for (const d of all.data.districts) {
    assert.equal(d.count, (await listIds(`bezirk=${d.nr}`)).length, `district ${d.nr}`);
    assert.equal(d.url, `/ideas?bezirk=${d.nr}`);
    sum += d.count;
  }
  assert.equal(sum, allIds.length);

  // a field filter: counts and links keep it
  const some = (await anon().getJson('/api/v1/ideas?limit=1')).data.items[0];
  const field = some.field.slug;
  const byField = await anon().getJson(`/api/v1/ideas/map?field=${field}`);
  assert.equal(byField.status, 200);
  assert.equal(byField.data.total, (await listIds(`field=${field}`)).length);
  for (const d of byField.data.districts)
    assert.equal(d.count, (await listIds(`field=${field}&bezirk=${d.nr}`)).length);
  const svg = (await anon().get(`/ideas/map.svg?field=${field}`)).bodyText;
  const kept = svgLinks(svg).links.map((l) => new URL(l.href, server.url))
    .filter((u) => u.pathname === '/ideas' && u.searchParams.get('bezirk') && u.searchParams.get('field') === field);
  assert.equal(kept.length, 9, 'district links keep the field filter');

  // a district filter: the others count nothing
  const one = await anon().getJson(`/api/v1/ideas/map?bezirk=${some.bezirk.nr}`);
  for (const d of one.data.districts)
    assert.equal(d.count, d.nr === some.bezirk.nr ? (await listIds(`bezirk=${d.nr}`)).length : 0);

  // the same filter errors as the list
  for (const q of ['field=nope', 'bezirk=99', 'bezirk=1x', 'zielbild=nope', 'need=nope']) {
    assert.equal((await anon().getJson(`/api/v1/ideas/map?${q}`)).status, 400, q);
    assert.equal((await anon().get(`/ideas/map.svg?${q}`)).status, 400, q);
    assert.equal((await anon().get(`/ideas.atom?${q}`)).status, 400, q);
  }
});

test('ideas with a place are drawn as points linking to them, with escaped titles', async () => {
  const { client, csrf } = await login('resident');
  const title = 'Bänke <am> "Dom" & \'Rhein\'';
  const res = await client.postJson('/api/v1/ideas', validIdea({ title, lat: '50.9413', lon: '6.9583' }), { csrf });
  assert.equal(res.status, 201, res.bodyText.slice(0, 300));
  const id = res.data.id;
  const m = await anon().getJson('/api/v1/ideas/map');
  assert.equal(m.data.points_available, true);
  const p = m.data.points.find((x) => x.id === id);
  assert.ok(p, 'the new idea is a point');
  assert.equal(p.url, `/ideas/${id}`);
  assert.ok(p.x > 0 && p.x < 800 && p.y > 0 && p.y < 800);
  const svg = (await anon().get('/ideas/map.svg')).bodyText;
  assert.equal(XMLValidator.validate(svg), true);
  assert.ok(svg.includes('<title>Bänke &lt;am&gt; &quot;Dom&quot; &amp; &apos;Rhein&apos;</title>'), 'title escaped');
  assert.ok(!svg.includes(title));
  const link = svgLinks(svg).links.find((l) => l.href === `/ideas/${id}`);
  assert.ok(link && link.a.circle, 'a circle linking to the idea');
  // filtered out by another district
  const other = m.data.districts.find((d) => d.nr !== 1).nr;
  const elsewhere = await anon().getJson(`/api/v1/ideas/map?bezirk=${other}`);
  assert.ok(!elsewhere.data.points.some((x) => x.id === id));
});

test('district names are escaped in the SVG, the page and the feed title', async () => {
  const original = sql('SELECT name FROM stadtbezirke WHERE nr = 7');
  sql(`UPDATE stadtbezirke SET name = 'Porz <b>&</b> "Süd"' WHERE nr = 7`);
  sql('UPDATE content_version SET n = n + 1');
  try {
    const svg = (await anon().get('/ideas/map.svg')).bodyText;
    assert.equal(XMLValidator.validate(svg), true);
    assert.ok(svg.includes('<title>Porz &lt;b&gt;&amp;&lt;/b&gt; &quot;Süd&quot;: '));
    assert.ok(!svg.includes('<b>'));
    const page = (await anon().get('/ideas/map')).bodyText;
    assert.ok(!page.includes('<b>'));
    assert.ok(page.includes('Porz &lt;b&gt;&amp;&lt;/b&gt; &quot;Süd&quot;</a></th>'), 'in the table');
    assert.equal(XMLValidator.validate(page.match(/<svg[\s\S]*<\/svg>/)[0]), true);
    const feed = parseFeed((await anon().get('/ideas.atom?bezirk=7')).bodyText);
    assert.equal(feed.title, 'Ideas · Porz <b>&</b> "Süd" – un:box Köln');
  } finally {
    sql(`UPDATE stadtbezirke SET name = '${original.replace(/'/g, "''")}' WHERE nr = 7`);
    sql('UPDATE content_version SET n = n + 1');
  }
});

test('/ideas.atom: the newest ideas as Atom, read by an independent parser, under the list filters', async () => {
  const res = await anon().get('/ideas.atom');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/atom\+xml/);
  assertSecurityHeaders(res, 'ideas.atom');
  assert.equal(XMLValidator.validate(res.bodyText), true);
  const feed = parseFeed(res.bodyText);
  assert.equal(feed.meta.type, 'atom');
  assert.equal(feed.title, 'Ideas – un:box Köln');
  assert.equal(feed.language, 'en');
  assert.match(feed.self, /\/ideas\.atom$/);
  assert.match(feed.url, /\/ideas$/);
  const list = (await anon().getJson('/api/v1/ideas?limit=50')).data.items;
  assert.equal(feed.items.length, Math.min(50, list.length));
  assert.deepEqual(feed.items.map((i) => i.url.replace(/^https?:\/\/[^/]+/, '')), list.map((i) => i.url));
  assert.equal(feed.updated.toISOString().replace('.000', ''), list[0].created_at);
  for (const [k, item] of feed.items.entries()) {
    const idea = list[k];
    assert.equal(item.title, idea.title);
    assert.equal(item.id, item.url, 'the id is the absolute URL');
    assert.match(item.url, /^http:\/\/[^/]+\/ideas\/\d+$/);
    assert.equal(item.published.toISOString().replace('.000', ''), idea.created_at);
    assert.ok(item.updated instanceof Date);
    assert.equal(item.description, idea.summary);
    assert.ok(item.content.startsWith('<p>'), 'content type="html" arrives as HTML');
    assert.ok(item.content.includes(idea.field.name.replace(/&/g, '&amp;')));
    assert.equal(item.categories[0].term, idea.field.slug);
  }
  // the escaped title of the idea with a place survives the round trip
  assert.ok(feed.items.some((i) => i.title === 'Bänke <am> "Dom" & \'Rhein\''));

  // filters: the same ideas as the list, in the same order
  const some = list[0];
  for (const q of [`bezirk=${some.bezirk.nr}`, `field=${some.field.slug}`, `field=${some.field.slug}&bezirk=${some.bezirk.nr}`]) {
    const f = parseFeed((await anon().get(`/ideas.atom?${q}`)).bodyText);
    const ids = await listIds(q);
    assert.deepEqual(f.items.map((i) => Number(i.url.split('/').pop())), ids.slice(0, 50), q);
    assert.ok(f.self.endsWith(`/ideas.atom?${q}`), f.self);
    assert.ok(f.url.endsWith(`/ideas?${q}`), f.url);
  }
  // the list page names its feed, with its filters
  const page = await anon().get(`/ideas?bezirk=${some.bezirk.nr}`);
  assert.ok(unescapeHtml(page.bodyText).includes(`<link rel="alternate" type="application/atom+xml" title="Ideas (Atom feed)" href="/ideas.atom?bezirk=${some.bezirk.nr}">`));
  // German
  const de = parseFeed((await anon('de').get('/ideas.atom')).bodyText);
  assert.equal(de.title, 'Ideen – un:box Köln');
  assert.equal(de.language, 'de');
});

test('/ideas/{id}/feed.atom: submission, status changes and comments, newest first', async () => {
  const resident = await login('resident');
  const created = await resident.client.postJson('/api/v1/ideas', validIdea({ title: 'Eine Idee mit Verlauf' }), { csrf: resident.csrf });
  assert.equal(created.status, 201);
  const id = created.data.id;

  let feed = parseFeed((await anon().get(`/ideas/${id}/feed.atom`)).bodyText);
  assert.equal(feed.items.length, 1, 'only the submission so far');
  assert.equal(feed.title, 'Eine Idee mit Verlauf – un:box Köln');
  assert.match(feed.self, new RegExp(`/ideas/${id}/feed\\.atom$`));
  assert.match(feed.items[0].title, /^Idea submitted: Eine Idee mit Verlauf$/);
  assert.match(feed.items[0].id, new RegExp(`/ideas/${id}#submitted$`));
  assert.ok(feed.items[0].content.includes('<li>Karte</li>'), 'the description as HTML');

  // a comment (with markup that must arrive as text) and a status change
  const body = 'Gute Idee <script>alert(1)</script> & **fett**';
  const c = await resident.client.postJson(`/api/v1/ideas/${id}/comments`, { body }, { csrf: resident.csrf });
  assert.equal(c.status, 201, c.bodyText.slice(0, 300));
  const team = await login('team');
  const s = await team.client.postJson(`/api/v1/ideas/${id}/status`, { status: 'in_dialogue', reason: 'Wir sprechen darüber.' }, { csrf: team.csrf });
  assert.equal(s.status, 200, s.bodyText.slice(0, 300));
  // make the order certain: the comment a minute older than the status change
  sql(`UPDATE comments SET created_at = created_at - 60 WHERE target_kind = 'idea' AND target_id = ${id}`);
  sql(`UPDATE ideas SET created_at = created_at - 120 WHERE id = ${id}`);
  sql('UPDATE content_version SET n = n + 1');

  const res = await anon().get(`/ideas/${id}/feed.atom`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/atom\+xml/);
  assert.equal(XMLValidator.validate(res.bodyText), true);
  assert.ok(!res.bodyText.includes('<script>'));
  feed = parseFeed(res.bodyText);
  assert.deepEqual(feed.items.map((i) => i.id.replace(/^.*#/, '').replace(/-\d+$/, '')), ['status', 'comment', 'submitted']);
  const [status, comment] = feed.items;
  assert.match(status.title, /^Status changed to In dialogue$/i);
  assert.equal(status.description, 'Wir sprechen darüber.');
  assert.match(comment.title, /^Comment by /);
  assert.ok(comment.authors[0].name.length > 0);
  assert.match(comment.url, new RegExp(`/ideas/${id}#comment-\\d+$`));
  assert.ok(comment.content.includes('<strong>fett</strong>'));
  assert.ok(!comment.content.includes('<script>'));
  assert.ok(feed.updated >= comment.updated);
  for (let k = 1; k < feed.items.length; k++)
    assert.ok(feed.items[k - 1].updated >= feed.items[k].updated, 'newest first');

  // a comment the moderation hid leaves the feed, text and all
  const hidden = await resident.client.postJson(`/api/v1/ideas/${id}/comments`, { body: 'Geheimer Unsinn, bitte ausblenden.' }, { csrf: resident.csrf });
  assert.equal(hidden.status, 201);
  const hide = await team.client.postJson(`/api/v1/comments/${hidden.data.id}/hide`, { reason: 'Beleidigend gegenüber anderen.' }, { csrf: team.csrf });
  assert.ok(hide.status < 300, hide.bodyText.slice(0, 200));
  const withHidden = await anon().get(`/ideas/${id}/feed.atom`);
  assert.ok(!withHidden.bodyText.includes('Geheimer Unsinn'));
  assert.ok(!parseFeed(withHidden.bodyText).items.some((i) => i.id.endsWith(`#comment-${hidden.data.id}`)));
  assert.ok(parseFeed(withHidden.bodyText).items.some((i) => i.id.endsWith(`#comment-${c.data.id}`)));

  // a deleted comment leaves the feed
  const del = await resident.client.postJson(`/api/v1/comments/${c.data.id}/delete`, {}, { csrf: resident.csrf });
  assert.ok(del.status < 300, del.bodyText.slice(0, 200));
  feed = parseFeed((await anon().get(`/ideas/${id}/feed.atom`)).bodyText);
  assert.ok(!feed.items.some((i) => /#comment-/.test(i.id)));

  // the idea page names its feed; unknown ideas have none
  const page = await anon().get(`/ideas/${id}`);
  assert.ok(page.bodyText.includes(`<link rel="alternate" type="application/atom+xml" title="This idea&#39;s news (Atom feed)" href="/ideas/${id}/feed.atom">`));
  assert.equal((await anon().get('/ideas/999999/feed.atom')).status, 404);
  assert.equal((await anon().get('/ideas/abc/feed.atom')).status, 404);
});

// The list's filters on the map, its SVG and the feed: same parameters, same
// ideas, same 400 answers, and every link keeps them.
test('every list filter (field, district, Zielbild, need, status, cycle, phase) works on map, SVG and feed as on the list', async () => {
  // give the demo ideas a Zielbild, a need and a second status, on some of them
  const zielbild = sql('SELECT slug FROM zielbilder ORDER BY position, id LIMIT 1');
  assert.ok(zielbild, 'the Zielbilder exist');
  sql(`INSERT INTO idea_zielbilder (idea_id, zielbild_id)
       SELECT i.id, z.id FROM ideas i, zielbilder z WHERE z.slug = '${zielbild}' AND i.id % 2 = 0
       ON CONFLICT DO NOTHING`);
  sql('UPDATE ideas SET needs = needs | 2 WHERE id % 3 = 0');   // funding
  sql("UPDATE ideas SET status = 'in_dialogue' WHERE id % 4 = 1");
  sql('UPDATE content_version SET n = n + 1');
  const cycle = Number(sql(`SELECT c.number FROM ideas i JOIN cycles c ON c.id = i.cycle_id
                            GROUP BY c.number ORDER BY COUNT(*) DESC, c.number LIMIT 1`));
  const all = (await anon().getJson('/api/v1/ideas?limit=100')).data.items;
  const some = all[0];
  const phases = ['before', 'ideensammlung', 'projektkonkretisierung', 'massnahmenqualifizierung', 'umsetzung', 'done'];

  // each query in the canonical order of the list's links
  const queries = [
    `field=${some.field.slug}`, `bezirk=${some.bezirk.nr}`, `zielbild=${zielbild}`, 'need=funding',
    'status=in_dialogue', `cycle=${cycle}`, ...phases.map((p) => `phase=${p}`),
    `field=${some.field.slug}&zielbild=${zielbild}&need=funding&cycle=${cycle}`,
    `bezirk=${some.bezirk.nr}&zielbild=${zielbild}&status=in_dialogue`,
  ];
  let phaseSum = 0;
  for (const q of queries) {
    const params = new URLSearchParams(q);
    const list = (await anon().getJson(`/api/v1/ideas?limit=100&${q}`)).data;
    assert.equal(list.paging.next, null, q);
    const ids = list.items.map((i) => i.id);
    if (params.has('phase')) phaseSum += ids.length;
    else assert.ok(ids.length > 0 && ids.length < all.length, `${q} selects some ideas (${ids.length})`);

    // the map (JSON both ways): the same ideas, counted per district
    for (const path of [`/api/v1/ideas/map?${q}`, `/ideas/map?${q}`]) {
      const m = await anon().getJson(path);
      assert.equal(m.status, 200, `${path}: ${m.bodyText.slice(0, 200)}`);
      assert.equal(m.data.total, ids.length, path);
      for (const d of m.data.districts) {
        assert.equal(d.count, list.items.filter((i) => i.bezirk.nr === d.nr).length, `${path}: district ${d.nr}`);
        const u = new URL(d.url, server.url);
        assert.equal(u.pathname, '/ideas');
        for (const [k, v] of params) if (k !== 'bezirk') assert.equal(u.searchParams.get(k), v, `${path}: ${k} kept`);
        assert.equal(u.searchParams.get('bezirk'), String(d.nr));
      }
      for (const [k, v] of params) assert.equal(String(m.data.filter[k]), v, `${path}: filter.${k}`);
      assert.equal(m.data.list_url, `/ideas?${q}`);
      assert.equal(m.data.feed_url, `/ideas.atom?${q}`);
      assert.equal(m.data.svg_url, `/ideas/map.svg?${q}`);
      for (const p of m.data.points) assert.ok(ids.includes(p.id), `${path}: point ${p.id} is in the list`);
    }

    // the SVG: every district link keeps the filters
    const svg = (await anon().get(`/ideas/map.svg?${q}`)).bodyText;
    assert.equal(XMLValidator.validate(svg), true, q);
    const districtLinks = svgLinks(svg).links.map((l) => new URL(l.href, server.url)).filter((u) => u.pathname === '/ideas');
    assert.equal(districtLinks.length, 9, q);
    for (const u of districtLinks)
      for (const [k, v] of params) if (k !== 'bezirk') assert.equal(u.searchParams.get(k), v, `svg ${q}: ${k}`);

    // the page: the list's selects (one shared form), the choice kept, links to list, SVG and feed
    const html = unescapeHtml((await anon().get(`/ideas/map?${q}`)).bodyText);
    for (const name of ['field', 'bezirk', 'zielbild', 'need', 'status', 'cycle', 'phase']) {
      const chosen = selectOptions(html, name).filter((o) => o.selected).map((o) => o.value);
      assert.deepEqual(chosen, params.has(name) ? [params.get(name)] : [], `${q}: select ${name}`);
    }
    assert.ok(html.includes(`href="/ideas?${q}"`), `${q}: link to the list`);
    assert.ok(html.includes(`href="/ideas/map.svg?${q}"`), `${q}: link to the SVG`);
    assert.ok(html.includes(`<link rel="alternate" type="application/atom+xml" title="Ideas (Atom feed)" href="/ideas.atom?${q}">`), q);
    assert.ok(html.includes('<a class="kern-link" href="/ideas/map">Reset filters</a>'), q);
    // and the list links back to the map and the feed with the same filters
    const listHtml = unescapeHtml((await anon().get(`/ideas?${q}`)).bodyText);
    assert.ok(listHtml.includes(`<a class="kern-link" href="/ideas/map?${q}">Map</a>`), `${q}: list → map`);
    assert.ok(listHtml.includes(`href="/ideas.atom?${q}"`), `${q}: list → feed`);

    // the feed: the list's ideas in the list's order, self and alternate with the filters
    const res = await anon().get(`/ideas.atom?${q}`);
    assert.equal(res.status, 200, q);
    assert.equal(XMLValidator.validate(res.bodyText), true, q);
    const feed = parseFeed(res.bodyText);
    assert.equal(feed.meta.type, 'atom');
    assert.deepEqual(feed.items.map((i) => Number(i.url.split('/').pop())), ids.slice(0, 50), `feed ${q}`);
    assert.ok(feed.self.endsWith(`/ideas.atom?${q}`), feed.self);
    assert.ok(feed.url.endsWith(`/ideas?${q}`), feed.url);
    assert.match(feed.title, /^Ideas · .+ – un:box Köln$/, `the title names the filters: ${feed.title}`);
  }
  assert.equal(phaseSum, all.length, 'every idea is in the phase its cycle is in now');

  // the feed's title names each filter
  const titled = parseFeed((await anon().get(`/ideas.atom?need=funding&status=in_dialogue&cycle=${cycle}`)).bodyText);
  assert.match(titled.title, new RegExp(`^Ideas · Funding · In dialogue · Cycle ${cycle} – un:box Köln$`, 'i'));

  // bad values: the list's 400 with the same field errors, on every view
  const bad = ['field=nope', 'bezirk=99', 'bezirk=1x', 'zielbild=nope', 'need=nope', 'status=nope', 'cycle=0',
    'cycle=999', 'cycle=1x', 'phase=nope'];
  for (const q of bad) {
    const name = q.split('=')[0];
    const listRes = await anon().getJson(`/api/v1/ideas?${q}`);
    assert.equal(listRes.status, 400, `list ${q}`);
    assert.equal(listRes.data.error.fields[name].code, 'invalid');
    for (const path of [`/api/v1/ideas/map?${q}`, `/ideas/map?${q}`, `/ideas/map.svg?${q}`, `/ideas.atom?${q}`]) {
      const r = await anon().getJson(path);
      assert.equal(r.status, 400, `${path}`);
      assert.equal(r.data.error.code, 'bad_filter', path);
      assert.deepEqual(Object.keys(r.data.error.fields), [name], path);
      assert.equal(r.data.error.fields[name].code, 'invalid', path);
    }
    const page = await anon().get(`/ideas/map?${q}`);
    assert.equal(page.status, 400, q);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal((await anon().get(`/ideas.atom?${q}`)).status, 400, q);
  }
});
