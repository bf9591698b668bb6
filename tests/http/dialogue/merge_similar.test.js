// Duplicates over HTTP: similar ideas while writing one (GET /ideas/similar
// and the submission form's "check" button without JavaScript, which keeps
// the typed values and stores nothing), and the team merging a duplicate:
// supports counted once, followers and comments moved, the merged page
// redirecting, audit, notifications, roles, and the refused merges.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, demo, validIdea, stopServer, csrfFromHtml } = require('../../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

function sqlInt(sql) {
  const out = server.dsn.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice(7), sql])
    : execFileSync('psql', ['-XAtq', server.dsn, '-c', sql]);
  return Number(out.toString().trim());
}

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function loggedIn(role) {
  const c = new Client(server.url, { lang: 'en' });
  const { email, password } = demo(role);
  assert.equal((await c.login(email, password)).status, 303);
  c.csrf = await c.apiCsrf();
  return c;
}

let n = 0;
async function newIdea(client, title, summary) {
  const res = await client.postJson('/api/v1/ideas', validIdea({ title: title || `Zusammenführprobe ${++n} im Veedel`,
    ...(summary ? { summary } : {}) }), { csrf: client.csrf });
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

const DEMO_TITLE = 'Barrierefreies Routing für Rollstuhlfahrende im Veedel';
const NEAR = { title: 'Barrierefreie Routen für Rollstuhlfahrende',
  summary: 'Eine Karte mit Wegen ohne Stufen und mit abgesenkten Bordsteinen.' };

test('similar ideas: a near-duplicate of a demo idea finds it first, in JSON and HTML, for anyone', async () => {
  const anon = new Client(server.url, { lang: 'en' });
  const q = `title=${encodeURIComponent(NEAR.title)}&summary=${encodeURIComponent(NEAR.summary)}`;
  let res = await anon.getJson(`/api/v1/ideas/similar?${q}`);
  assert.equal(res.status, 200, res.bodyText);
  assert.ok(res.data.items.length >= 1 && res.data.items.length <= 5);
  assert.equal(res.data.items[0].title, DEMO_TITLE);
  assert.deepEqual(res.data.paging, { limit: 5, max_limit: 5 });
  assert.deepEqual(res.data.query, NEAR);
  for (const it of res.data.items) assert.match(it.url, /^\/ideas\/\d+$/);
  // the same with Accept: application/json on the site's path
  const again = await anon.getJson(`/ideas/similar?${q}`);
  assert.deepEqual(again.data.items.map((i) => i.id), res.data.items.map((i) => i.id));
  // HTML: the form with the typed values, the list
  res = await anon.get(`/ideas/similar?${q}`);
  assert.equal(res.status, 200);
  const html = decode(res.bodyText);
  assert.ok(html.includes(`value="${NEAR.title}"`));
  assert.ok(html.includes(DEMO_TITLE));
  assert.match(html, /<h1[^>]*>Similar ideas<\/h1>/);
  // nothing typed: nothing looked up; nothing in common: nothing found
  res = await anon.getJson('/api/v1/ideas/similar');
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items, []);
  res = await anon.getJson('/api/v1/ideas/similar?title=Quantenteleportation');
  assert.deepEqual(res.data.items, []);
  res = await anon.get('/ideas/similar?title=Quantenteleportation');
  assert.ok(res.bodyText.includes('No similar ideas found.'));
  // too long: 400 with the field
  res = await anon.getJson(`/api/v1/ideas/similar?title=${'x'.repeat(600)}`);
  assert.equal(res.status, 400);
  assert.equal(res.data.error.fields.title.code, 'too_long');
});

test('the submission form\'s check button (no JavaScript) keeps every value, lists similar ideas, stores nothing', async () => {
  const c = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('resident');
  assert.equal((await c.login(email, password)).status, 303);
  const page = await c.get('/ideas/new');
  assert.ok(page.bodyText.includes('name="check"'), 'the form has the check button');
  const csrf = csrfFromHtml(page.bodyText, '/ideas');
  const before = sqlInt('SELECT COUNT(*) FROM ideas');
  const idea = validIdea({ ...NEAR, description: 'Mein Text bleibt stehen, auch nach der Prüfung auf ähnliche Ideen.' });
  let res = await c.postForm('/ideas', { _csrf: csrf, ...idea, check: '1' });
  assert.equal(res.status, 200, res.bodyText.slice(0, 500));
  const html = decode(res.bodyText);
  assert.ok(html.includes(`value="${NEAR.title}"`), 'title kept');
  assert.ok(html.includes(`>${NEAR.summary}</textarea>`), 'summary kept');
  assert.ok(html.includes(`>${idea.description}</textarea>`), 'description kept');
  assert.match(html, /<option value="101" selected>/);
  assert.ok(html.includes('id="similar-ideas"'));
  assert.ok(html.indexOf(DEMO_TITLE) < html.indexOf('<form method="post" action="/ideas"'), 'the list above the form');
  assert.equal(sqlInt('SELECT COUNT(*) FROM ideas'), before, 'nothing stored');
  // JSON: the similar ideas, nothing stored
  const api = await loggedIn('resident');
  res = await api.postJson('/api/v1/ideas', { ...idea, check: '1' }, { csrf: api.csrf });
  assert.equal(res.status, 200);
  assert.equal(res.data.items[0].title, DEMO_TITLE);
  assert.equal(sqlInt('SELECT COUNT(*) FROM ideas'), before);
  // without the button the idea is stored as before
  res = await c.postForm('/ideas', { _csrf: csrf, ...idea });
  assert.equal(res.status, 303);
  assert.equal(sqlInt('SELECT COUNT(*) FROM ideas'), before + 1);
});

test('merging: supports once, followers and comments move, the page redirects, audit and notifications', async () => {
  const team = await loggedIn('team');
  const resident = await loggedIn('resident');
  const supporter = await loggedIn('supporter');
  const committee = await loggedIn('committee');
  const steward = await loggedIn('steward');
  const spur = await loggedIn('spurgruppe');
  const target = await newIdea(resident, 'Trinkbrunnen am Rheinufer aufstellen');
  const dup = await newIdea(supporter, 'Mehr Trinkbrunnen am Rhein');
  // committee supports both (counts once), steward only the duplicate
  for (const [c, id] of [[committee, target], [committee, dup], [steward, dup]])
    assert.equal((await c.postJson(`/api/v1/ideas/${id}/support`, {}, { csrf: c.csrf })).status, 200);
  assert.equal((await spur.postJson(`/api/v1/ideas/${dup}/follow`, {}, { csrf: spur.csrf })).status, 200);
  const c1 = await resident.postJson(`/api/v1/ideas/${dup}/comments`, { body: 'Unbedingt, im Sommer fehlt Wasser.' }, { csrf: resident.csrf });
  assert.equal(c1.status, 201);
  const c2 = await team.postJson(`/api/v1/ideas/${dup}/comments`, { body: 'Danke, wir prüfen das.', parent: c1.data.id }, { csrf: team.csrf });
  assert.equal(c2.status, 201);
  assert.equal((await steward.postJson(`/api/v1/ideas/${target}/comments`, { body: 'Gute Idee!' }, { csrf: steward.csrf })).status, 201);
  const before = (await resident.getJson(`/api/v1/ideas/${target}`)).data;
  assert.equal(before.supports, 1);

  const body = { target: String(target), reason: 'Beide Ideen wollen Trinkbrunnen am Rhein.' };
  // roles: resident, committee 403; anonymous 401 (JSON) or to the login (HTML)
  for (const c of [resident, committee, supporter, spur, steward])
    assert.equal((await c.postJson(`/api/v1/ideas/${dup}/merge`, body, { csrf: c.csrf })).status, 403);
  const anon = new Client(server.url);
  assert.equal((await anon.postJson(`/api/v1/ideas/${dup}/merge`, body)).status, 401);
  const html = await anon.postForm(`/ideas/${dup}/merge`, body);
  assert.equal(html.status, 303);
  assert.match(html.headers.get('location'), /^\/login/);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM ideas WHERE merged_into IS NOT NULL AND id = ${dup}`), 0);

  let res = await team.postJson(`/api/v1/ideas/${dup}/merge`, body, { csrf: team.csrf });
  assert.equal(res.status, 200, res.bodyText);
  assert.deepEqual(res.data, { id: dup, merged_into: target, url: `/ideas/${target}` });
  // supports: committee once, steward moved
  const after = (await committee.getJson(`/api/v1/ideas/${target}`)).data;
  assert.equal(after.supports, 2);
  assert.equal(after.viewer.supported, true);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${target}`), 2);
  assert.equal(sqlInt(`SELECT supports FROM ideas WHERE id = ${dup}`), 0);
  // followers moved
  assert.equal((await spur.getJson(`/api/v1/ideas/${target}`)).data.viewer.following, true);
  // comments moved with their thread, counted right
  assert.equal(sqlInt(`SELECT comment_count FROM ideas WHERE id = ${target}`), 3);
  const comments = (await anon.getJson(`/api/v1/ideas/${target}/comments`)).data;
  assert.equal(comments.count, 3);
  const thread = comments.items.find((t) => t.id === c1.data.id);
  assert.ok(thread, 'the thread is on the target');
  // the timeline of the target, the list of merged ideas
  assert.ok(after.timeline.some((e) => e.to === 'merged_in' && e.reason.includes('Mehr Trinkbrunnen am Rhein')));
  assert.deepEqual(after.merged_from.map((m) => m.id), [dup]);
  // the duplicate's page: 301 in HTML, 200 with the target in JSON
  res = await anon.get(`/ideas/${dup}`);
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), `/ideas/${target}`);
  res = await anon.getJson(`/api/v1/ideas/${dup}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { id: dup, merged_into: target, url: `/ideas/${target}` });
  // the target's page tells about it
  res = await anon.get(`/ideas/${target}`);
  assert.equal(res.status, 200);
  assert.ok(decode(res.bodyText).includes('Mehr Trinkbrunnen am Rhein (#'));
  // out of the list and the search
  res = await anon.getJson('/api/v1/ideas?limit=100');
  assert.ok(!res.data.items.some((i) => i.id === dup));
  res = await anon.getJson(`/api/v1/search?q=${encodeURIComponent('Mehr Trinkbrunnen')}`);
  assert.ok(!res.data.items.some((i) => i.id === dup));
  // audit; notifications to both authors
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'idea.merge' AND subject = 'idea:${dup}'`), 1);
  for (const c of [resident, supporter]) {
    const list = (await c.getJson('/api/v1/notifications')).data.items;
    assert.ok(list.some((x) => x.kind === 'idea.merged'), 'notified');
  }
  assert.ok(!(await team.getJson('/api/v1/notifications')).data.items.some((x) => x.kind === 'idea.merged'), 'not the actor');

  // refused merges: 422 with clear codes; 404 for no such idea
  const other = await newIdea(team, 'Wasserspender in Parks');
  const cases = [
    [dup, { target: String(other), reason: 'Noch einmal zusammenführen.' }, 'already_merged'],
    [other, { target: String(other), reason: 'In sich selbst zusammenführen.' }, 'merge_into_itself'],
    [other, { target: String(dup), reason: 'In ein zusammengeführtes Duplikat.' }, 'target_merged'],
    [other, { target: '99999999', reason: 'In eine Idee, die es nicht gibt.' }, 'target_not_found'],
    [other, { target: 'zwölf', reason: 'Keine Nummer als Ziel angegeben.' }, 'validation'],
    [other, { target: String(target), reason: 'kurz' }, 'validation'],
    [other, { target: String(target) }, 'validation'],
  ];
  for (const [id, b, code] of cases) {
    res = await team.postJson(`/api/v1/ideas/${id}/merge`, b, { csrf: team.csrf });
    assert.equal(res.status, 422, `${code}: ${res.bodyText}`);
    assert.equal(res.data.error.code, code);
    assert.ok(res.data.error.message.length > 10);
  }
  res = await team.postJson('/api/v1/ideas/99999999/merge', body, { csrf: team.csrf });
  assert.equal(res.status, 404);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM ideas WHERE merged_into IS NOT NULL AND id = ${other}`), 0);
});

test('the merge form on the idea page (HTML, team only): errors re-render it, success leads to the target', async () => {
  const team = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('team');
  assert.equal((await team.login(email, password)).status, 303);
  const resident = await loggedIn('resident');
  const target = await newIdea(resident, 'Schattenplätze an Haltestellen', 'Bäume und Sonnensegel an Haltestellen für heiße Tage.');
  const dup = await newIdea(resident, 'Mehr Schatten an Haltestellen', 'Sonnensegel an Haltestellen, damit Wartende geschützt sind.');
  // residents see no merge form
  let res = await resident.get(`/ideas/${dup}`);
  assert.ok(!res.bodyText.includes(`/ideas/${dup}/merge`));
  res = await team.get(`/ideas/${dup}?lang=en`);   // the team member's account says German
  assert.equal(res.status, 200);
  const csrf = csrfFromHtml(res.bodyText, `/ideas/${dup}/merge`);
  assert.ok(csrf, 'the team sees the merge form');
  assert.ok(decode(res.bodyText).includes(`#${target} `), 'similar ideas offered as targets');
  // an error: 422, the form again with the typed values and the message at the field
  res = await team.postForm(`/ideas/${dup}/merge`, { _csrf: csrf, target: String(dup), merge_reason: 'Doppelt eingereicht, gleiche Idee.' });
  assert.equal(res.status, 422);
  let html = decode(res.bodyText);
  assert.ok(html.includes('An idea cannot be merged into itself.'));
  assert.match(html, /id="target" name="target"[^>]*value="\d+"[^>]*aria-invalid="true"/);
  assert.ok(html.includes('>Doppelt eingereicht, gleiche Idee.</textarea>'));
  res = await team.postForm(`/ideas/${dup}/merge`, { _csrf: csrf, target: String(target), merge_reason: '' });
  assert.equal(res.status, 422);
  html = decode(res.bodyText);
  assert.match(html, /id="merge_reason" name="merge_reason"[^>]*aria-invalid="true"/);
  // success: 303 to the target; the duplicate answers 301 from now on
  res = await team.postForm(`/ideas/${dup}/merge`, { _csrf: csrf, target: `#${target}`, merge_reason: 'Doppelt eingereicht, gleiche Idee.' });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.equal(res.headers.get('location'), `/ideas/${target}`);
  res = await team.get(`/ideas/${dup}`);
  assert.equal(res.status, 301);
  res = await team.get(`/ideas/${target}?lang=en`);
  html = decode(res.bodyText);
  assert.ok(html.includes('A duplicate was merged into this idea'));
  assert.ok(html.includes('Merged duplicates'));
  // German labels
  const de = new Client(server.url, { lang: 'de' });
  res = await de.get(`/ideas/${target}`);
  assert.ok(decode(res.bodyText).includes('Ein Duplikat wurde mit dieser Idee zusammengeführt'));
});

test('a merged idea takes no more writes: support, follow, comment and report answer 409 naming the target', async () => {
  const team = await loggedIn('team');
  const resident = await loggedIn('resident');
  const supporter = await loggedIn('supporter');
  const target = await newIdea(resident, 'Sitzbänke entlang der Ringe');
  const dup = await newIdea(supporter, 'Mehr Bänke an den Ringen');
  const merged = await team.postJson(`/api/v1/ideas/${dup}/merge`, { target: String(target), reason: 'Beide wollen Bänke an den Ringen.' }, { csrf: team.csrf });
  assert.equal(merged.status, 200, merged.bodyText);

  const rows = () => [
    sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${dup}`),
    sqlInt(`SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = ${dup}`),
    sqlInt(`SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = ${dup}`),
    sqlInt(`SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = ${dup}`),
    sqlInt(`SELECT supports FROM ideas WHERE id = ${dup}`),
  ];
  const before = rows();
  const writes = [
    ['support', {}], ['unsupport', {}], ['follow', {}], ['unfollow', {}],
    ['comments', { body: 'Ein Kommentar zu spät.' }],
    ['report', { reason: 'Bitte prüfen, das ist doppelt.' }],
  ];
  // JSON: the error envelope with the target, as the merged idea's page names it
  await resident.get('/?lang=en');   // the demo resident's account says German
  for (const [action, body] of writes) {
    const res = await resident.postJson(`/api/v1/ideas/${dup}/${action}`, body, { csrf: resident.csrf });
    assert.equal(res.status, 409, `${action}: ${res.bodyText}`);
    assert.equal(res.data.error.code, 'merged', action);
    assert.equal(res.data.error.merged_into, target, action);
    assert.equal(res.data.error.url, `/ideas/${target}`, action);
    assert.match(res.data.error.message, /merged into another idea/, action);
  }
  assert.deepEqual(rows(), before, 'nothing written on the merged idea');

  // HTML forms: the error page names and links the target, in both languages
  const site = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('resident');
  assert.equal((await site.login(email, password)).status, 303);
  const page = await site.get(`/ideas/${target}?lang=en`);
  const csrf = csrfFromHtml(page.bodyText, `/ideas/${target}/comments`);
  assert.ok(csrf, 'a form on the target page gives the session token');
  for (const [action, body] of writes) {
    const res = await site.postForm(`/ideas/${dup}/${action}`, { _csrf: csrf, ...body });
    assert.equal(res.status, 409, action);
    const html = decode(res.bodyText);
    assert.ok(html.includes(`<a class="kern-link" href="/ideas/${target}">Sitzbänke entlang der Ringe (#${target})</a>`), action);
    assert.ok(html.includes('This idea has been merged into another idea'), action);
    assert.match(html, /role="alert"/);
  }
  const de = await site.postForm(`/ideas/${dup}/support?lang=de`, { _csrf: csrf });
  assert.equal(de.status, 409);
  assert.ok(decode(de.bodyText).includes('Diese Idee wurde mit einer anderen Idee zusammengeführt'));
  assert.deepEqual(rows(), before, 'still nothing written');

  // the target takes them as before (a support from someone else: not its author); unknown ideas stay 404
  assert.equal((await supporter.postJson(`/api/v1/ideas/${target}/support`, {}, { csrf: supporter.csrf })).status, 200);
  assert.equal((await resident.postJson(`/api/v1/ideas/${target}/comments`, { body: 'Hier geht es weiter.' }, { csrf: resident.csrf })).status, 201);
  assert.equal((await resident.postJson('/api/v1/ideas/99999999/support', {}, { csrf: resident.csrf })).status, 404);
  assert.equal((await resident.postJson('/api/v1/ideas/99999999/comments', { body: 'Ins Leere.' }, { csrf: resident.csrf })).status, 404);
});
