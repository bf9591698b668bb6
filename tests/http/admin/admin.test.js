// The administration through the real server, for administrators only:
// people found by name or e-mail (any case, wildcards taken literally, by
// role, page by page with the count), a role changed with a reason (audit
// row, the person's sessions end, an e-mail tells them), the last
// administrator kept, also when two administrators take the role from each
// other at once; the moderation log filtered by action and paged; the
// settings (name in every page's footer at once, the cached ones too; the
// logo uploaded through multipart/form-data or given as a path on this
// site; mistakes next to the fields with the typed values kept; unknown
// fields refused), each change with its audit row. SQLite or (with
// UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, csrfFromHtml, inputValue, textareaValue, selectOptions, unescapeHtml, demo, stopServer } = require('../../lib/http');

let server;
let admin;        // { client, csrf, id }

before(async () => {
  server = await startServer();
  admin = await loggedIn('admin');
});
after(async () => { await stopServer(server); });

function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}

async function loggedIn(role, { email, password } = demo(role)) {
  const client = new Client(server.url, { lang: 'en' });
  const res = await client.login(email, password);
  assert.equal(res.status, 303, `${role} login`);
  assert.equal((await client.get('/session?lang=en')).status, 200);
  const s = await client.getJson('/api/v1/session');
  return { client, csrf: s.data.csrf, id: s.data.user.id };
}

const userId = (email) => Number(sql(`SELECT id FROM users WHERE email = '${email}'`));
const footerOf = (html) => unescapeHtml(html.slice(html.indexOf('<footer class="site-footer"')));

test('only administrators reach the administration', async () => {
  for (const role of ['team', 'resident', 'committee']) {
    const { client } = await loggedIn(role);
    for (const path of ['/admin', '/admin/users', '/admin/audit', '/admin/settings'])
      assert.equal((await client.get(path)).status, 403, `${role} ${path}`);
  }
  const home = await admin.client.get('/admin');
  assert.equal(home.status, 200);
  for (const href of ['/admin/users', '/admin/audit', '/admin/settings', '/texts', '/moderation'])
    assert.match(home.bodyText, new RegExp(`<a class="kern-link" href="${href}">`));
});

test('people are found by part of their name or address, in any case, by role, page by page', async () => {
  const c = admin.client;
  // "Petra Krüger": ASCII case is ignored everywhere, other letters on PostgreSQL
  let res = await c.getJson('/api/v1/admin/users?q=' + encodeURIComponent('KRÜ'));
  assert.equal(res.status, 200);
  if (server.dsn.startsWith('postgres')) assert.deepEqual(res.data.items.map((p) => p.name), ['Petra Krüger']);
  res = await c.getJson('/api/v1/admin/users?q=' + encodeURIComponent('Krü'));
  assert.deepEqual(res.data.items.map((p) => p.name), ['Petra Krüger']);
  res = await c.getJson('/api/v1/admin/users?q=petra');
  assert.deepEqual(res.data.items.map((p) => p.email), ['admin@demo.unbox.invalid']);
  assert.equal(res.data.count, 1);
  res = await c.getJson('/api/v1/admin/users?q=' + encodeURIComponent('STEWARD@demo'));
  assert.deepEqual(res.data.items.map((p) => p.name), ['Karim Nowak']);
  res = await c.getJson('/api/v1/admin/users?q=' + encodeURIComponent('%'));
  assert.equal(res.data.count, 0, 'a % is a character, not a wildcard');
  res = await c.getJson('/api/v1/admin/users?q=' + encodeURIComponent('_'));
  assert.equal(res.data.count, 0, 'so is _');
  res = await c.getJson('/api/v1/admin/users?role=committee');
  assert.deepEqual(res.data.items.map((p) => p.role), ['committee']);
  res = await c.getJson('/api/v1/admin/users?q=demo.unbox&role=team');
  assert.deepEqual(res.data.items.map((p) => p.email), ['team@demo.unbox.invalid']);
  // every account, three per page: no one twice, no one left out, the newest first
  const all = await c.getJson('/api/v1/admin/users?limit=100');
  const total = all.data.count;
  assert.equal(total, Number(sql('SELECT COUNT(*) FROM users')));
  const seen = [];
  let next = '/api/v1/admin/users?q=demo&limit=3';
  while (next) {
    const page = await c.getJson(next);
    assert.equal(page.status, 200);
    assert.ok(page.data.items.length <= 3);
    seen.push(...page.data.items.map((p) => p.id));
    next = page.data.next;
  }
  assert.equal(seen.length, 7);
  assert.equal(new Set(seen).size, 7);
  assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
  // the HTML page: the form keeps the search, states the count and the page size
  const html = await c.get('/admin/users?q=demo&limit=3');
  assert.equal(html.status, 200);
  assert.equal(inputValue(html.bodyText, 'q'), 'demo');
  assert.match(html.bodyText, /People found: 7/);
  assert.match(html.bodyText, /Up to 3 people per page \(at most 100\)/);
  assert.match(unescapeHtml(html.bodyText), /href="\/admin\/users\?before=\d+&q=demo&limit=3" rel="next"/);
  assert.match(html.bodyText, /<td class="kern-table__cell">Administrator<\/td>/, 'roles in words, not keys');
  // filters that are not valid
  assert.equal((await c.getJson('/api/v1/admin/users?role=king')).status, 400);
  assert.equal((await c.getJson('/api/v1/admin/users?limit=1000')).status, 400);
  assert.equal((await c.getJson('/api/v1/admin/users?q=' + 'x'.repeat(101))).status, 400);
});

test('a role is changed with a reason: audit row, the person is logged out and told, mistakes keep what was typed', async () => {
  const resident = await loggedIn('resident');
  const id = resident.id;
  const page = await admin.client.get(`/admin/users/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.bodyText, /<h1 class="kern-heading-large">Lena Hoffmann<\/h1>/);
  assert.equal(selectOptions(page.bodyText, 'role').find((o) => o.selected).value, 'resident');
  const token = csrfFromHtml(page.bodyText, `/admin/users/${id}/role`);
  // a reason too short, and the role the person has already
  let res = await admin.client.postForm(`/admin/users/${id}/role`, { _csrf: token, role: 'supporter', reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /<p class="kern-error" id="reason-error">/);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'kurz');
  assert.equal(selectOptions(res.bodyText, 'role').find((o) => o.selected).value, 'supporter', 'the chosen role is kept');
  res = await admin.client.postForm(`/admin/users/${id}/role`, { _csrf: token, role: 'resident', reason: 'Ohne Änderung, nur ein Versuch' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /The person has this role already/);
  res = await admin.client.postJson(`/api/v1/admin/users/${id}/role`, { role: 'king', reason: 'Eine Rolle, die es nicht gibt' }, { csrf: admin.csrf });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.role.code, 'invalid');
  assert.equal(sql(`SELECT role FROM users WHERE id = ${id}`), 'resident');
  // now right
  const from = server.log().length;
  const reason = 'Unterstützt das Projekt Trinkbrunnen als Patin';
  res = await admin.client.postForm(`/admin/users/${id}/role`, { _csrf: token, role: 'supporter', reason });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.equal(res.headers.get('location'), `/admin/users/${id}?changed=1`);
  assert.equal(sql(`SELECT role FROM users WHERE id = ${id}`), 'supporter');
  assert.equal(sql(`SELECT detail FROM audit WHERE action = 'user.role' AND subject = 'user:${id}'`),
               `resident → supporter: ${reason}`);
  assert.equal(sql(`SELECT actor_id FROM audit WHERE action = 'user.role' AND subject = 'user:${id}'`), String(admin.id));
  // the person's session has ended; the e-mail tells them why, in their language
  assert.equal((await resident.client.getJson('/api/v1/session')).data.user, null);
  const mail = await server.waitForLog(/outbox \(demo\): to=resident@demo\.unbox\.invalid subject="Ihre Rolle bei un:box wurde geändert"\n([\s\S]*?)\/kontakt/, { from });
  assert.ok(mail[1].includes('„Bürger:in“ zu „Unterstützer:in“'));
  assert.ok(mail[1].includes(reason));
  // the person's page shows the decision
  const after = await admin.client.get(`/admin/users/${id}?changed=1`);
  assert.match(after.bodyText, /role="status"/);
  assert.ok(unescapeHtml(after.bodyText).includes(`Role changed (Petra Krüger) – resident → supporter: ${reason}`));
  // the next login carries the new role
  const again = await loggedIn('resident');
  assert.equal((await again.client.getJson('/api/v1/session')).data.user.role, 'supporter');
  assert.equal((await admin.client.getJson('/api/v1/admin/users/987654321')).status, 404);
  assert.equal((await admin.client.postJson('/api/v1/admin/users/987654321/role', { role: 'team', reason: 'Gibt es nicht, also 404' }, { csrf: admin.csrf })).status, 404);
});

test('the moderation log lists the decisions, filtered by action, page by page', async () => {
  // decisions to list: a block and an unblock of the steward, through the moderation's own routes
  const steward = userId('steward@demo.unbox.invalid');
  for (const what of ['block', 'unblock']) {
    const reason = what === 'block' ? 'Wiederholt beleidigende Kommentare' : 'Hat sich entschuldigt';
    const res = await admin.client.postJson(`/api/v1/users/${steward}/${what}`, { reason }, { csrf: admin.csrf });
    assert.equal(res.status, 200, res.bodyText);
  }
  const c = admin.client;
  const all = await c.getJson('/api/v1/admin/audit');
  assert.equal(all.status, 200);
  const actions = all.data.items.map((r) => r.action);
  assert.deepEqual(actions.slice(0, 2), ['user.unblock', 'user.block'], 'the newest first');
  assert.ok(actions.includes('user.role'));
  assert.ok(!actions.includes('account.login'), 'logins are not moderation');
  assert.match(all.data.items[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(all.data.items[0].actor.id, admin.id);
  assert.equal(all.data.items[0].subject, `user:${steward}`);
  const blocks = await c.getJson('/api/v1/admin/audit?action=user.block');
  assert.deepEqual([...new Set(blocks.data.items.map((r) => r.action))], ['user.block']);
  // one row a page, following "next" to the end, sees every row once
  const rows = Number(sql(`SELECT COUNT(*) FROM audit WHERE action IN ('moderation.report','moderation.keep','idea.hide','idea.unhide','comment.hide','comment.unhide','comment.delete','user.block','user.unblock','user.role','settings.change','settings.logo','text.edit')`));
  const seen = [];
  let next = '/api/v1/admin/audit?limit=1';
  while (next) {
    const page = await c.getJson(next);
    seen.push(...page.data.items.map((r) => r.id));
    next = page.data.next;
  }
  assert.equal(seen.length, rows);
  assert.equal(new Set(seen).size, rows);
  // the HTML page: labels in words, links to what the rows are about, the filter kept
  const html = await c.get('/admin/audit?action=user.block');
  assert.equal(html.status, 200);
  assert.equal(selectOptions(html.bodyText, 'action').find((o) => o.selected).value, 'user.block');
  assert.match(html.bodyText, new RegExp(`<th class="kern-table__cell" scope="row">Blocked</th>`));
  assert.match(html.bodyText, new RegExp(`<a class="kern-link" href="/admin/users/${steward}">Person ${steward}</a>`));
  assert.equal((await c.getJson('/api/v1/admin/audit?action=account.login')).status, 400);
  assert.equal((await c.getJson('/api/v1/admin/audit?before=abc')).status, 400);
  const de = await c.get('/admin/audit?lang=de');
  assert.match(de.bodyText, /<h1 class="kern-heading-large">Moderationsprotokoll<\/h1>/);
  await c.get('/session?lang=en');
});

test('settings: the name shows in every footer at once, mistakes are shown next to the fields, each change is logged', async () => {
  const anon = new Client(server.url, { lang: 'de' });
  const warm = await anon.get('/');                  // into the page cache
  assert.match(footerOf(warm.bodyText), /Herausgegeben von: Stadt Köln/);
  const form = await admin.client.get('/admin/settings');
  assert.equal(form.status, 200);
  assert.equal(inputValue(form.bodyText, 'city_name'), 'Stadt Köln');
  assert.match(textareaValue(form.bodyText, 'contact_address'), /Willy-Brandt-Platz 2/);
  const token = csrfFromHtml(form.bodyText, '/admin/settings');
  const fields = { _csrf: token, city_name: 'Stadt Köln', contact_address: textareaValue(form.bodyText, 'contact_address'),
    contact_phone: '0221 221-0', contact_email: 'unbox@demo.unbox.invalid', feedback_email: 'barrierefreiheit@demo.unbox.invalid', logo_url: '' };
  // mistakes: every field that is wrong is named, everything typed is kept, nothing is stored
  let res = await admin.client.postForm('/admin/settings', { ...fields, city_name: 'K', contact_email: 'keine Adresse',
    contact_phone: 'ruf an', logo_url: '//evil.example/logo.png' });
  assert.equal(res.status, 422);
  for (const f of ['city_name', 'contact_email', 'contact_phone', 'logo_url']) {
    assert.match(res.bodyText, new RegExp(`<p class="kern-error" id="${f}-error">`), f);
    assert.match(res.bodyText, new RegExp(`<a class="kern-link" href="#${f}">`), `${f} in the summary`);
  }
  assert.equal(inputValue(res.bodyText, 'contact_phone'), 'ruf an');
  assert.equal(inputValue(res.bodyText, 'logo_url'), '//evil.example/logo.png');
  assert.equal(sql("SELECT value FROM site_settings WHERE key = 'city_name'"), 'Stadt Köln');
  // now right
  const before = Number(sql("SELECT COUNT(*) FROM audit WHERE action = 'settings.change'"));
  res = await admin.client.postForm('/admin/settings', { ...fields, city_name: 'Stadt Köln – Amt für Digitales' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/admin/settings?saved=settings');
  assert.equal(Number(sql("SELECT COUNT(*) FROM audit WHERE action = 'settings.change'")), before + 1, 'one row for the one setting that changed');
  assert.equal(sql("SELECT detail FROM audit WHERE action = 'settings.change' AND subject = 'setting:city_name' ORDER BY id DESC LIMIT 1"), 'Stadt Köln – Amt für Digitales');
  assert.match(footerOf((await anon.get('/')).bodyText), /Herausgegeben von: Stadt Köln – Amt für Digitales/, 'the cached page too');
  assert.match((await admin.client.get('/admin/settings?saved=settings')).bodyText, /role="status"/);
  // JSON: one setting alone; unknown fields are named
  res = await admin.client.postJson('/api/v1/admin/settings', { contact_phone: '+49 221 221-0' }, { csrf: admin.csrf });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.changed, 1);
  assert.equal(res.data.contact_phone, '+49 221 221-0');
  assert.equal(res.data.city_name, 'Stadt Köln – Amt für Digitales');
  res = await admin.client.postJson('/api/v1/admin/settings', { city_name: 'X-Stadt', colour: 'red' }, { csrf: admin.csrf });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.colour.code, 'unknown');
  assert.equal(sql("SELECT value FROM site_settings WHERE key = 'city_name'"), 'Stadt Köln – Amt für Digitales');
  assert.match((await new Client(server.url).get('/kontakt')).bodyText, /href="tel:\+492212210"/);
  assert.equal((await admin.client.getJson('/api/v1/admin/settings')).data.contact_phone, '+49 221 221-0');
});

// A PNG of one pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function uploadLogo(bytes, type, name) {
  const fd = new FormData();
  fd.append('_csrf', admin.csrf);
  fd.append('file', new Blob([bytes], { type }), name);
  return admin.client.request('/admin/settings/logo', { method: 'POST', body: fd });
}

test('the logo: uploaded as an image, shown in every footer, served with its hash; a path on this site; removed', async () => {
  let res = await uploadLogo(Buffer.from('not an image at all, just words\n'), 'image/png', 'logo.png');
  assert.equal(res.status, 422, 'the type comes from the content, not the name');
  assert.match(res.bodyText, /<p class="kern-error" id="file-error">/);
  res = await uploadLogo(Buffer.alloc(530 * 1024, 1), 'image/png', 'big.png');
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /This file is too big/);
  res = await uploadLogo(PNG, 'application/octet-stream', 'stadt.png');
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  const sha = sql("SELECT value FROM site_settings WHERE key = 'logo_file'");
  assert.match(sha, /^[0-9a-f]{64}$/);
  const home = await new Client(server.url).get('/');
  assert.match(footerOf(home.bodyText), new RegExp(`<img class="site-footer__logo" src="/logo\\?v=${sha.slice(0, 12)}" alt="Stadt Köln – Amt für Digitales">`));
  const img = await fetch(`${server.url}/logo?v=${sha.slice(0, 12)}`);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal(img.headers.get('etag'), `"${sha}"`);
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG);
  assert.equal((await fetch(`${server.url}/logo`, { headers: { 'If-None-Match': `"${sha}"` } })).status, 304);
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE action = 'settings.logo'"), '1');
  // removed: the path given as logo_url is shown instead; without both, the name in words
  res = await admin.client.postJson('/api/v1/admin/settings/logo/delete', {}, { csrf: admin.csrf });
  assert.equal(res.status, 200);
  assert.equal((await fetch(`${server.url}/logo`)).status, 404);
  res = await admin.client.postJson('/api/v1/admin/settings', { logo_url: '/static/css/unbox.css' }, { csrf: admin.csrf });
  assert.equal(res.status, 200);
  assert.match(footerOf((await new Client(server.url).get('/')).bodyText), /<img class="site-footer__logo" src="\/static\/css\/unbox.css"/);
  await admin.client.postJson('/api/v1/admin/settings', { logo_url: '' }, { csrf: admin.csrf });
  assert.match(footerOf((await new Client(server.url).get('/')).bodyText), /Herausgegeben von: Stadt Köln – Amt für Digitales<\/p>/);
});

test('the last administrator keeps the role, also when two take it from each other at once', async () => {
  const self = await admin.client.postJson(`/api/v1/admin/users/${admin.id}/role`, { role: 'team', reason: 'Ich möchte nur noch im Team arbeiten' }, { csrf: admin.csrf });
  assert.equal(self.status, 409);
  assert.equal(self.data.error.code, 'last_admin');
  const html = await admin.client.postForm(`/admin/users/${admin.id}/role`, { _csrf: admin.csrf, role: 'team', reason: 'Ich möchte nur noch im Team arbeiten' });
  assert.equal(html.status, 409);
  assert.match(html.bodyText, /This is the only administrator who can log in/);
  assert.equal(textareaValue(html.bodyText, 'reason'), 'Ich möchte nur noch im Team arbeiten');
  // a second administrator; then both take the role from each other at the same moment
  const team = userId('team@demo.unbox.invalid');
  let res = await admin.client.postJson(`/api/v1/admin/users/${team}/role`, { role: 'admin', reason: 'Vertretung während des Urlaubs' }, { csrf: admin.csrf });
  assert.equal(res.status, 200);
  const second = await loggedIn('team');
  const results = await Promise.all([
    admin.client.postJson(`/api/v1/admin/users/${team}/role`, { role: 'team', reason: 'Der Urlaub ist vorbei, danke' }, { csrf: admin.csrf }),
    second.client.postJson(`/api/v1/admin/users/${admin.id}/role`, { role: 'team', reason: 'Ich übernehme die Verwaltung' }, { csrf: second.csrf }),
  ]);
  // one wins; the other is refused as the last administrator, or finds its own session ended by the winner
  const won = results.filter((r) => r.status === 200);
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => [r.status, r.data])));
  const lost = results.find((r) => r.status !== 200);
  assert.ok([401, 403, 409].includes(lost.status), `${lost.status}: ${lost.bodyText}`);
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE role = 'admin' AND blocked_at IS NULL"), '1');
});
