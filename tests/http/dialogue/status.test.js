// The status workflow of ideas with its public timeline, caretakers and their
// dashboard, and assisted submission: every route with every role, in HTML
// and JSON, on SQLite or (with UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const {
  Client, loginRoles, validIdea, stopServer, csrfFromHtml, selectOptions, textareaValue, inputValue, unescapeHtml,
} = require('../../lib/http');

let server;
let clients;
let csrf;
const ROLES = ['resident', 'team', 'spurgruppe', 'committee', 'supporter', 'steward', 'admin'];

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ROLES));
});
after(async () => { await stopServer(server); });

// One value from the server's database.
function sql(query) {
  const dsn = server.dsn;
  const out = dsn.startsWith('postgres')
    ? execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', query])
    : execFileSync('sqlite3', [dsn.replace(/^sqlite:/, ''), query]);
  return out.toString().trim();
}

const userId = (role) => Number(sql(`SELECT id FROM users WHERE email = '${role}@demo.unbox.invalid'`));

// A new idea by the demo resident; returns its id.
async function newIdea(title = 'Sitzbänke für alle Veedel') {
  const res = await clients.resident.postJson('/api/v1/ideas', validIdea({ applicant_type: 'private', consent: '1', title }), { csrf: csrf.resident });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return res.data.id;
}

const setStatus = (role, id, status, reason) =>
  clients[role].postJson(`/api/v1/ideas/${id}/status`, { status, reason }, { csrf: csrf[role] });

test('anonymous visitors see the timeline but no forms, and may change nothing', async () => {
  const id = await newIdea('Anonyme Sicht auf den Status');
  const anon = new Client(server.url);
  let res = await anon.get(`/ideas/${id}`);
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /id="idea-status"/);
  assert.doesNotMatch(res.bodyText, new RegExp(`action="/ideas/${id}/status"`));
  assert.doesNotMatch(res.bodyText, new RegExp(`action="/ideas/${id}/caretaker"`));
  res = await anon.getJson(`/api/v1/ideas/${id}`);
  assert.deepEqual(res.data.timeline, []);
  assert.equal(res.data.caretaker, null);
  assert.equal(res.data.status_form, undefined);

  const token = await anon.apiCsrf();
  for (const path of [`/ideas/${id}/status`, `/ideas/${id}/caretaker`, '/ideas/assisted']) {
    res = await anon.postJson(`/api/v1${path}`, { status: 'archived' }, { csrf: token });
    assert.equal(res.status, 401, path);
    res = await anon.postForm(path, { _csrf: token, status: 'archived' });
    assert.equal(res.status, 303, path);
    assert.match(res.headers.get('location'), /^\/login/);
  }
  for (const path of ['/caretaker', '/ideas/assisted']) {
    res = await anon.getJson(`/api/v1${path}`);
    assert.equal(res.status, 401, path);
    res = await anon.get(path);
    assert.equal(res.status, 303, path);
  }
});

test('every role on every route: who may and who gets 403', async () => {
  const id = await newIdea('Rollenprüfung für Statuswechsel');
  const teamId = userId('team');
  for (const role of ROLES) {
    const c = clients[role];
    const staff = role === 'team' || role === 'admin';
    let res = await c.getJson('/api/v1/caretaker');
    assert.equal(res.status, staff ? 200 : 403, `GET /caretaker as ${role}`);
    res = await c.get('/caretaker');
    assert.equal(res.status, staff ? 200 : 403, `GET /caretaker (HTML) as ${role}`);
    res = await c.get('/ideas/assisted');
    assert.equal(res.status, staff ? 200 : 403, `GET /ideas/assisted as ${role}`);
    res = await c.postJson('/api/v1/ideas/assisted', {}, { csrf: csrf[role] });
    assert.equal(res.status, staff ? 422 : 403, `POST /ideas/assisted as ${role}`);
    res = await c.postJson(`/api/v1/ideas/${id}/caretaker`, { caretaker: 'x' }, { csrf: csrf[role] });
    assert.equal(res.status, staff ? 422 : 403, `POST caretaker as ${role}`);
    // a change to in_dialogue: only team and admin; the committee and the rest 403
    // (the resident is the author, who may only withdraw)
    res = await c.postJson(`/api/v1/ideas/${id}/status`, { status: 'eligible' }, { csrf: csrf[role] });
    assert.equal(res.status, role === 'committee' ? 422 : 403, `eligible as ${role}: ${JSON.stringify(res.data)}`);
    if (role === 'committee') assert.equal(res.data.error.code, 'transition_not_allowed');
    res = await c.postJson(`/api/v1/ideas/${id}/status`, { status: 'archived', reason: 'Nur ein Test der Rollen.' }, { csrf: csrf[role] });
    if (!staff) assert.equal(res.status, 403, `archived as ${role}`);
    else if (role === 'team') assert.equal(res.status, 200);
    else assert.equal(res.status, 422, 'already archived');
  }
  // someone who is not the author cannot withdraw
  const id2 = await newIdea('Zweite Idee der Rollenprüfung');
  const res = await clients.supporter.postJson(`/api/v1/ideas/${id2}/status`, { status: 'withdrawn', reason: 'Das ist nicht meine Idee.' }, { csrf: csrf.supporter });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'forbidden');
  // a team member's POST to an idea that does not exist
  const missing = await clients.team.postJson('/api/v1/ideas/999999/status', { status: 'in_dialogue' }, { csrf: csrf.team });
  assert.equal(missing.status, 404);
  const missing2 = await clients.team.postJson('/api/v1/ideas/999999/caretaker', { caretaker: teamId }, { csrf: csrf.team });
  assert.equal(missing2.status, 404);
});

test('the whole workflow through JSON, with reasons, history, audit and the timeline', async () => {
  const id = await newIdea('Der ganze Weg einer Idee');
  let res = await setStatus('team', id, 'in_dialogue');
  assert.equal(res.status, 200, JSON.stringify(res.data));
  assert.equal(res.data.status, 'in_dialogue');
  assert.equal(res.data.timeline.length, 1);

  res = await setStatus('committee', id, 'not_eligible');
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'validation');
  assert.equal(res.data.error.fields.reason.code, 'required');
  res = await setStatus('committee', id, 'not_eligible', 'zu kurz');
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'too_short');
  res = await setStatus('committee', id, 'bogus');
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.status.code, 'invalid');

  res = await setStatus('committee', id, 'eligible', 'Passt gut zum Jahresthema.');
  assert.equal(res.status, 200);
  res = await setStatus('team', id, 'qualified');
  assert.equal(res.status, 422, 'qualified only after prioritised');
  assert.equal(res.data.error.code, 'transition_not_allowed');
  assert.match(res.data.error.message, /current status|aktuellen Status/);
  res = await setStatus('committee', id, 'prioritised');
  assert.equal(res.status, 200);
  res = await setStatus('admin', id, 'qualified');
  assert.equal(res.status, 200);
  res = await setStatus('team', id, 'archived');
  assert.equal(res.status, 422);
  res = await setStatus('team', id, 'archived', 'Der Zyklus ist abgeschlossen.');
  assert.equal(res.status, 200);
  assert.equal(res.data.status_label, 'Archiviert');

  assert.equal(sql(`SELECT COUNT(*) FROM idea_status_history WHERE idea_id = ${id}`), '5');
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'idea.status' AND subject = 'idea:${id}'`), '5');
  assert.equal(sql(`SELECT to_status FROM idea_status_history WHERE idea_id = ${id} ORDER BY id LIMIT 1`), 'in_dialogue');

  // the public timeline, in both languages, as anonymous visitors see it
  const anon = new Client(server.url, { lang: 'en' });
  res = await anon.getJson(`/api/v1/ideas/${id}`);
  assert.deepEqual(res.data.timeline.map((e) => e.to), ['in_dialogue', 'eligible', 'prioritised', 'qualified', 'archived']);
  assert.equal(res.data.timeline[1].reason, 'Passt gut zum Jahresthema.');
  assert.match(res.data.timeline[1].who, /\(steering committee\)$/);
  assert.match(res.data.timeline[0].who, /\(un:box team\)$/);
  const page = await new Client(server.url).get(`/ideas/${id}`);
  assert.equal(page.status, 200);
  const html = unescapeHtml(page.bodyText);
  for (const label of ['Im Dialog', 'Förderfähig', 'Priorisiert', 'Qualifiziert', 'Archiviert', 'Der Zyklus ist abgeschlossen.', '(Lenkungsausschuss)', '(un:box-Team)'])
    assert.ok(html.includes(label), `timeline shows ${label}`);
});

test('the status form on the idea page: allowed options, 303, errors with typed values', async () => {
  const id = await newIdea('Statusformular auf der Ideenseite');
  let res = await clients.team.get(`/ideas/${id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(selectOptions(res.bodyText, 'status').map((o) => o.value), ['in_dialogue', 'archived']);
  const token = csrfFromHtml(res.bodyText, `/ideas/${id}/status`);
  assert.ok(token);
  // the committee sees no form before the dialogue; spurgruppe never
  res = await clients.committee.get(`/ideas/${id}`);
  assert.deepEqual(selectOptions(res.bodyText, 'status'), []);
  res = await clients.spurgruppe.get(`/ideas/${id}`);
  assert.doesNotMatch(res.bodyText, new RegExp(`action="/ideas/${id}/status"`));

  // archiving without a reason: 422, the page again with the message and the choice kept
  res = await clients.team.postForm(`/ideas/${id}/status`, { _csrf: token, status: 'archived', reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="reason-error"/);
  assert.match(res.bodyText, /aria-invalid="true"/);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'kurz');
  assert.ok(selectOptions(res.bodyText, 'status').find((o) => o.value === 'archived').selected);

  res = await clients.team.postForm(`/ideas/${id}/status`, { _csrf: token, status: 'in_dialogue', reason: '' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${id}#idea-status`);
  res = await clients.committee.get(`/ideas/${id}`);
  assert.deepEqual(selectOptions(res.bodyText, 'status').map((o) => o.value), ['eligible', 'not_eligible']);
  // wrong CSRF token
  res = await clients.committee.postForm(`/ideas/${id}/status`, { _csrf: 'x'.repeat(43), status: 'eligible' });
  assert.equal(res.status, 403);
});

test('the author withdraws their own idea while it is submitted or in dialogue', async () => {
  const id = await newIdea('Eine Idee zum Zurückziehen');
  let res = await clients.resident.get(`/ideas/${id}`);
  assert.deepEqual(selectOptions(res.bodyText, 'status').map((o) => o.value), ['withdrawn']);
  res = await setStatus('resident', id, 'withdrawn');
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'required');
  res = await setStatus('resident', id, 'withdrawn', 'Wir setzen das selbst um.');
  assert.equal(res.status, 200);
  assert.equal(res.data.timeline[0].who, 'Ideengeber:in');
  res = await setStatus('resident', id, 'in_dialogue');
  assert.equal(res.status, 403);
  // after the committee's decision it is too late
  const id2 = await newIdea('Eine Idee, die zu weit ist');
  assert.equal((await setStatus('team', id2, 'in_dialogue')).status, 200);
  assert.equal((await setStatus('committee', id2, 'eligible')).status, 200);
  res = await setStatus('resident', id2, 'withdrawn', 'Doch lieber nicht mehr.');
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'transition_not_allowed');
});

test('caretakers: assign, show on the idea page, the dashboard and what waits', async () => {
  const a = await newIdea('Kümmerer Idee Eins');
  const b = await newIdea('Kümmerer Idee Zwei');
  const adminId = userId('admin');
  const residentId = userId('resident');
  let res = await clients.team.postJson(`/api/v1/ideas/${a}/caretaker`, { caretaker: residentId }, { csrf: csrf.team });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.caretaker.code, 'invalid');
  res = await clients.team.postJson(`/api/v1/ideas/${a}/caretaker`, { caretaker: adminId }, { csrf: csrf.team });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  assert.equal(res.data.caretaker.id, adminId);
  // the HTML form: the select lists team members, the post redirects
  let page = await clients.team.get(`/ideas/${b}`);
  const people = selectOptions(page.bodyText, 'caretaker');
  assert.ok(people.some((o) => o.value === String(adminId)));
  assert.ok(!people.some((o) => o.value === String(residentId)));
  const token = csrfFromHtml(page.bodyText, `/ideas/${b}/caretaker`);
  res = await clients.team.postForm(`/ideas/${b}/caretaker`, { _csrf: token, caretaker: String(adminId) });
  assert.equal(res.status, 303);
  res = await clients.team.postForm(`/ideas/${b}/caretaker`, { _csrf: token, caretaker: 'niemand' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="caretaker-error"/);
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'idea.caretaker' AND subject IN ('idea:${a}', 'idea:${b}')`), '2');

  // everyone sees the caretaker's name
  const adminName = sql(`SELECT name FROM users WHERE id = ${adminId}`);
  page = await new Client(server.url).get(`/ideas/${a}`);
  assert.ok(unescapeHtml(page.bodyText).includes(adminName));

  // the dashboard: both wait for a first status change, oldest first
  res = await clients.admin.getJson('/api/v1/caretaker');
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.waiting.items.map((i) => i.id), [a, b]);
  assert.equal(res.data.waiting.total, 2);
  assert.equal(res.data.paging.max_limit, 100);
  assert.ok(res.data.items.every((i) => i.phase && i.phase.key && i.last_activity_at && i.status_label));
  assert.equal(res.data.items.length, 2);
  // a moves on: it stops waiting and becomes the most recently active
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await setStatus('admin', a, 'in_dialogue')).status, 200);
  res = await clients.admin.getJson('/api/v1/caretaker');
  assert.deepEqual(res.data.waiting.items.map((i) => i.id), [b]);
  assert.equal(res.data.items[0].id, a);
  assert.equal(res.data.items[0].status, 'in_dialogue');
  // paging
  res = await clients.admin.getJson('/api/v1/caretaker?limit=1');
  assert.equal(res.data.items.length, 1);
  assert.ok(res.data.paging.next);
  const next = await clients.admin.getJson(res.data.paging.next);
  assert.equal(next.status, 200);
  assert.deepEqual(next.data.items.map((i) => i.id), [b]);
  assert.equal(next.data.paging.next, null);
  assert.equal((await clients.admin.getJson('/api/v1/caretaker?limit=0')).status, 400);
  assert.equal((await clients.admin.getJson('/api/v1/caretaker?before=x')).status, 400);
  // the HTML dashboard
  page = await clients.admin.get('/caretaker');
  assert.equal(page.status, 200);
  assert.ok(unescapeHtml(page.bodyText).includes('Kümmerer Idee Eins'));
  assert.match(page.bodyText, /<table/);
  // the team member has none
  res = await clients.team.getJson('/api/v1/caretaker');
  assert.ok(!res.data.items.some((i) => i.id === a || i.id === b));
  // clearing the caretaker
  res = await clients.team.postJson(`/api/v1/ideas/${b}/caretaker`, { caretaker: '' }, { csrf: csrf.team });
  assert.equal(res.status, 200);
  assert.equal(res.data.caretaker, null);
});

test('assisted submission: channel, consent, resident and audit; missing consent is 422', async () => {
  const before = Number(sql('SELECT COUNT(*) FROM ideas'));
  let page = await clients.team.get('/ideas/assisted');
  assert.equal(page.status, 200);
  assert.deepEqual(selectOptions(page.bodyText, 'channel').map((o) => o.value), ['', 'paper', 'event', 'meinungsmobil', 'campaign']);
  const token = csrfFromHtml(page.bodyText, '/ideas/assisted');
  const fields = { ...validIdea({ title: 'Vom Papierbogen erfasst' }), channel: 'paper', resident_name: 'Rita Rentnerin', resident_email: '' };
  delete fields.consent;
  delete fields.applicant_type;

  // no consent: 422, nothing stored, the typed values kept
  let res = await clients.team.postForm('/ideas/assisted', { _csrf: token, ...fields });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="consent-error"/);
  assert.equal(inputValue(res.bodyText, 'resident_name'), 'Rita Rentnerin');
  assert.equal(inputValue(res.bodyText, 'title'), 'Vom Papierbogen erfasst');
  res = await clients.team.postJson('/api/v1/ideas/assisted', fields, { csrf: csrf.team });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.consent.code, 'required');
  res = await clients.team.postJson('/api/v1/ideas/assisted', { ...fields, channel: 'campaign', consent: true }, { csrf: csrf.team });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.campaign.code, 'required');
  res = await clients.team.postJson('/api/v1/ideas/assisted', { ...fields, channel: 'fax', consent: true, resident_email: 'kaputt' }, { csrf: csrf.team });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.channel.code, 'invalid');
  assert.equal(res.data.error.fields.resident_email.code, 'invalid');
  assert.equal(Number(sql('SELECT COUNT(*) FROM ideas')), before);

  // through the form
  res = await clients.team.postForm('/ideas/assisted', { _csrf: token, ...fields, consent: '1' });
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  const id = Number(res.headers.get('location').split('/').pop());
  const teamId = userId('team');
  assert.equal(sql(`SELECT intake_channel || '|' || intake_consent || '|' || recorded_by || '|' || resident_name || '|' || COALESCE(author_id, 0) FROM ideas WHERE id = ${id}`),
    `paper|1|${teamId}|Rita Rentnerin|0`);
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'idea.assisted' AND subject = 'idea:${id}' AND actor_id = ${teamId}`), '1');
  // the public page tells how it came in, not who the resident is
  page = await new Client(server.url).get(`/ideas/${id}`);
  assert.equal(page.status, 200);
  assert.ok(unescapeHtml(page.bodyText).includes('Papierformular'));
  assert.ok(!page.bodyText.includes('Rita Rentnerin'));

  // through JSON, a campaign with its code
  res = await clients.admin.postJson('/api/v1/ideas/assisted',
    { ...fields, title: 'Per QR-Code eingereicht', channel: 'campaign', campaign: 'VEEDEL-24', consent: true, resident_email: 'Rita@Example.org' },
    { csrf: csrf.admin });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  assert.equal(res.data.channel, 'campaign');
  assert.equal(res.data.consent, true);
  assert.equal(sql(`SELECT intake_campaign || '|' || resident_email FROM ideas WHERE id = ${res.data.id}`), 'VEEDEL-24|rita@example.org');
});
