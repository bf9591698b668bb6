// Authors edit their idea while it is submitted or in the dialogue: the form
// comes filled in, every change is a version (the first keeps the idea as
// handed in), the caretaker and the team see what changed, followers and
// the caretaker are told, and the audit log has each edit. Past the
// dialogue, or for anyone but its authors, the idea stays as it is. After
// handing in an idea and after reporting, the page confirms the step and
// says what happens next.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, loginRoles, validIdea, stopServer, unescapeHtml, csrfFromHtml, inputValue, textareaValue, selectOptions } = require('../../lib/http');

let server;
let clients;
let csrf;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'supporter', 'committee']));
  for (const role of Object.keys(clients)) assert.equal((await clients[role].get('/session?lang=en')).status, 200);
});
after(async () => { await stopServer(server); });

function sql(query) {
  const dsn = server.dsn;
  const out = dsn.startsWith('postgres')
    ? execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', query])
    : execFileSync('sqlite3', ['-cmd', '.timeout 5000', dsn.replace(/^sqlite:/, ''), query]);
  return out.toString().trim();
}

const post = (role, p, body = {}) => clients[role].postJson(`/api/v1${p}`, body, { csrf: csrf[role] });
// The fields of an idea as the edit form sends them (consent was given once, on handing in).
function edited(overrides = {}) {
  const { consent, ...fields } = validIdea(overrides);
  return fields;
}

test('handing in through the form confirms it and says what happens next, to the author only', async () => {
  const page = await clients.resident.get('/ideas/new');
  const res = await clients.resident.postForm('/ideas', { _csrf: csrfFromHtml(page.bodyText, '/ideas'), ...validIdea({ title: 'Bestätigung nach dem Einreichen' }) });
  assert.equal(res.status, 303);
  const location = res.headers.get('location');
  assert.match(location, /^\/ideas\/\d+\?submitted=1#idea-notice$/);
  const html = unescapeHtml((await clients.resident.get(location)).bodyText);
  assert.ok(html.includes('Thank you: your idea has been handed in.'));
  assert.ok(html.includes('What happens next'));
  const other = unescapeHtml((await clients.supporter.get(location)).bodyText);
  assert.ok(!other.includes('your idea has been handed in'), 'nobody else is thanked for it');
});

test('the author edits the idea: filled-in form, a version per change, what changed for caretaker and team', async () => {
  let res = await post('resident', '/ideas', validIdea({ title: 'Bänke am Aachener Weiher', zielbilder: ['lebenswerte-veedel'], needs: ['funding'] }));
  assert.equal(res.status, 201);
  const id = res.data.id;
  const teamId = Number(sql("SELECT id FROM users WHERE email = 'team@demo.unbox.invalid'"));
  assert.equal((await post('team', `/ideas/${id}/caretaker`, { caretaker: teamId })).status, 200);
  assert.equal((await post('supporter', `/ideas/${id}/follow`)).status, 200);

  // the idea page offers the author to change it; nobody else
  let html = unescapeHtml((await clients.resident.get(`/ideas/${id}`)).bodyText);
  assert.ok(html.includes(`href="/ideas/${id}/edit"`));
  for (const role of ['supporter', 'team'])
    assert.ok(!unescapeHtml((await clients[role].get(`/ideas/${id}`)).bodyText).includes(`/ideas/${id}/edit`), role);

  // the form comes filled in with the idea as it is
  let page = await clients.resident.get(`/ideas/${id}/edit`);
  assert.equal(page.status, 200);
  assert.equal(inputValue(page.bodyText, 'title'), 'Bänke am Aachener Weiher');
  assert.equal(textareaValue(page.bodyText, 'summary'), validIdea().summary);
  assert.ok(selectOptions(page.bodyText, 'stadtteil').find((o) => o.value === '101').selected);
  assert.match(page.bodyText, /id="zielbild-lebenswerte-veedel"[^>]*checked/);
  assert.match(page.bodyText, /id="need-funding"[^>]*checked/);
  const token = csrfFromHtml(page.bodyText, `/ideas/${id}/edit`);

  // a problem: the page again, with the error next to the field and everything typed
  res = await clients.resident.postForm(`/ideas/${id}/edit`, { _csrf: token, ...edited(), title: 'Ab', description: 'Eine neue, längere Beschreibung der Idee.' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="title-error"/);
  assert.equal(textareaValue(res.bodyText, 'description'), 'Eine neue, längere Beschreibung der Idee.');

  // the change
  const description = validIdea().description.replace('- Karte', '- Karte mit allen Bänken\n- Schatten im Sommer');
  res = await clients.resident.postForm(`/ideas/${id}/edit`, {
    _csrf: token, ...edited({ title: 'Schattige Bänke am Aachener Weiher', description, stadtteil: '102' }),
    zielbilder: 'klimaneutrales-koeln', needs: 'space',
  });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.equal(res.headers.get('location'), `/ideas/${id}?edited=2#idea-notice`);
  html = unescapeHtml((await clients.resident.get(res.headers.get('location'))).bodyText);
  assert.ok(html.includes('Your changes are saved.'));
  assert.match(html, /<h1[^>]*>Schattige Bänke am Aachener Weiher<\/h1>/);
  assert.ok(html.includes('(version 2)'));
  const j = (await new Client(server.url).getJson(`/api/v1/ideas/${id}`)).data;
  assert.equal(j.title, 'Schattige Bänke am Aachener Weiher');
  assert.equal(j.stadtteil.nr, 102);
  assert.deepEqual(j.zielbilder.map((z) => z.slug), ['klimaneutrales-koeln']);
  assert.deepEqual(j.needs.map((n) => n.key), ['space']);
  assert.equal(j.version, 2);
  assert.equal(j.edited, true);
  assert.ok(j.description_html.includes('Schatten im Sommer'));
  // the search finds the new words
  const found = (await new Client(server.url).getJson('/api/v1/search?q=schattige')).data.items.map((i) => i.id);
  assert.ok(found.includes(id), 'the search index follows the edit');

  // the versions: the team (caretaker) and the author see what changed; others do not
  for (const role of ['team', 'resident']) {
    const v = (await clients[role].getJson(`/api/v1/ideas/${id}/versions`)).data;
    assert.equal(v.count, 2, role);
    assert.equal(v.items[0].version, 2);
    assert.equal(v.items[1].version, 1);
    assert.equal(v.items[1].first, true);
    assert.equal(v.items[1].title, 'Bänke am Aachener Weiher');
    const title = v.items[0].changes.find((c) => c.field === 'title');
    assert.deepEqual([title.before, title.after], ['Bänke am Aachener Weiher', 'Schattige Bänke am Aachener Weiher']);
    const lines = v.items[0].changes.find((c) => c.field === 'description').lines;
    assert.ok(lines.some((l) => l.op === 'del' && l.text === '- Karte'));
    assert.ok(lines.some((l) => l.op === 'ins' && l.text === '- Schatten im Sommer'));
    assert.ok(lines.some((l) => l.op === 'same' && l.text === '- Meldungen für kaputte Bänke'));
    assert.ok(v.items[0].changes.some((c) => c.field === 'zielbilder' && c.after === 'Climate-neutral Cologne'));
    assert.ok(v.items[0].changes.some((c) => c.field === 'stadtteil'));
  }
  html = unescapeHtml((await clients.team.get(`/ideas/${id}/versions`)).bodyText);
  assert.ok(html.includes('<del><span class="kern-sr-only">removed: </span>- Karte</del>'));
  assert.ok(html.includes(`href="/ideas/${id}/versions"`) || unescapeHtml((await clients.team.get(`/ideas/${id}`)).bodyText).includes(`/ideas/${id}/versions`));
  assert.equal((await clients.supporter.get(`/ideas/${id}/versions`)).status, 403);
  assert.equal((await new Client(server.url).get(`/ideas/${id}/versions`)).status, 303);

  // who was told, and the audit log
  for (const role of ['team', 'supporter']) {
    const notes = (await clients[role].getJson('/api/v1/notifications')).data.items;
    assert.ok(notes.some((n) => n.kind === 'idea.edited' && n.subject === `idea:${id}` && n.data.version === 2), role);
  }
  const author = sql("SELECT id FROM users WHERE email = 'resident@demo.unbox.invalid'");
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'idea.edit' AND subject = 'idea:${id}' AND actor_id = ${author} AND detail = 'version 2'`), '1');

  // sending it unchanged makes no new version
  page = await clients.resident.get(`/ideas/${id}/edit`);
  res = await clients.resident.postForm(`/ideas/${id}/edit`, {
    _csrf: token, ...edited({ title: 'Schattige Bänke am Aachener Weiher', description, stadtteil: '102' }),
    zielbilder: 'klimaneutrales-koeln', needs: 'space',
  });
  assert.equal(res.headers.get('location'), `/ideas/${id}?edited=0#idea-notice`);
  assert.equal(sql(`SELECT COUNT(*) FROM idea_versions WHERE idea_id = ${id}`), '2');

  // JSON, with lists
  res = await post('resident', `/ideas/${id}/edit`, { ...edited({ title: 'Schattige Bänke an allen Weihern' }), zielbilder: ['klimaneutrales-koeln', 'lebenswerte-veedel'], needs: [] });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.version, 3);
  assert.equal(res.data.changed, true);
  res = await post('resident', `/ideas/${id}/edit`, { ...edited(), colour: 'grün' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'unknown_fields');
});

test('only the authors edit, and only while the idea is submitted or in the dialogue', async () => {
  const res = await post('resident', '/ideas', validIdea({ title: 'Nur die Autorin ändert' }));
  const id = res.data.id;
  for (const role of ['supporter', 'team']) {
    assert.equal((await clients[role].get(`/ideas/${id}/edit`)).status, 403, role);
    assert.equal((await post(role, `/ideas/${id}/edit`, edited({ title: 'Fremd geändert' }))).status, 403, role);
  }
  assert.equal((await new Client(server.url).get(`/ideas/${id}/edit`)).status, 303, 'anonymous: log in first');
  assert.equal((await clients.resident.get('/ideas/99999999/edit')).status, 404);
  // in the dialogue: still
  assert.equal((await post('team', `/ideas/${id}/status`, { status: 'in_dialogue' })).status, 200);
  assert.equal((await post('resident', `/ideas/${id}/edit`, edited({ title: 'Im Dialog geändert' }))).status, 200);
  // decided: no more
  assert.equal((await post('committee', `/ideas/${id}/status`, { status: 'eligible' })).status, 200);
  const page = await clients.resident.get(`/ideas/${id}/edit`);
  assert.equal(page.status, 409);
  assert.match(unescapeHtml(page.bodyText), /can no longer be changed/);
  const late = await post('resident', `/ideas/${id}/edit`, edited({ title: 'Zu spät geändert' }));
  assert.equal(late.status, 409);
  assert.equal(late.data.error.code, 'not_editable');
  assert.equal(sql(`SELECT title FROM ideas WHERE id = ${id}`), 'Im Dialog geändert');
  assert.ok(!unescapeHtml((await clients.resident.get(`/ideas/${id}`)).bodyText).includes(`href="/ideas/${id}/edit"`));
});
