// Cycles run by the team: the public list and detail, creating and editing
// per role, validation with field errors, and the submission window that the
// server enforces (a late idea gets 409 with a clear message).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server');
const { Client, csrfFromHtml, inputValue, demo, validIdea, stopServer } = require('../../lib/http');

let server;
const clients = {};
before(async () => {
  server = await startServer();
  for (const role of ['resident', 'team', 'admin']) {
    const c = new Client(server.url);
    const res = await c.login(demo(role).email, demo(role).password);
    assert.equal(res.status, 303, role);
    clients[role] = c;
  }
});
after(async () => { await stopServer(server); });

function cycleFields(overrides = {}) {
  return {
    number: '7',
    theme_de: 'Köln. Offen. Vernetzt.',
    theme_en: 'Cologne. Open. Connected.',
    submission_start: '2030-03-01',
    submission_end: '2030-04-30',
    phase1_start: '2030-03-01',
    phase2_start: '2030-05-01',
    phase3_start: '2030-09-01',
    phase4_start: '2031-01-01',
    phase4_end: '2031-06-30',
    funding_cap_eur: '40000',
    target_projects: '12',
    prototype_months: '9',
    ...overrides,
  };
}

async function cycleIdByNumber(number) {
  const res = await new Client(server.url).getJson('/api/v1/cycles');
  assert.equal(res.status, 200);
  const c = res.data.items.find((x) => x.number === number);
  return c && c.id;
}

test('the list and a cycle are public, in HTML and JSON, with phases, theme and the programme numbers', async () => {
  const anon = new Client(server.url, { lang: 'de' });
  let res = await anon.get('/cycles');
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /Lebenswerte Veedel für alle/);
  assert.match(res.bodyText, /50\.000 €/);
  assert.ok(!/href="\/cycles\/new"/.test(res.bodyText), 'no form link for visitors');
  res = await anon.getJson('/api/v1/cycles');
  assert.equal(res.status, 200);
  assert.equal(res.data.paging.limit, 50);
  const four = res.data.items.find((c) => c.number === 4);
  const one = res.data.items.find((c) => c.number === 1);
  assert.equal(four.funding_cap_eur, 50000);
  assert.equal(four.target_projects, 15);
  assert.equal(four.prototype_months, 6);
  assert.equal(one.prototype_months, 9, 'from demo.json');
  assert.equal(four.submission_open, true);
  res = await anon.getJson(`/api/v1/cycles/${four.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.data.phases.length, 4);
  assert.deepEqual(res.data.phases.map((p) => p.key),
    ['ideensammlung', 'projektkonkretisierung', 'massnahmenqualifizierung', 'umsetzung']);
  assert.match(res.data.theme_en, /Liveable neighbourhoods/);
  assert.equal(res.data.dates.submission_start, '2026-09-01');
  assert.equal(res.data.dates.submission_end, '2027-01-31');
  res = await anon.get(`/cycles/${four.id}`);
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /Maßnahmenqualifizierung/);
  assert.match(res.bodyText, /<h1 class="kern-heading-large">/);
  res = await new Client(server.url, { lang: 'en' }).get(`/cycles/${four.id}`);
  assert.match(res.bodyText, /€50,000/);
  res = await anon.get('/cycles/999999');
  assert.equal(res.status, 404);
});

test('only the team and admins may open the forms or write; visitors are sent to log in', async () => {
  const anon = new Client(server.url);
  let res = await anon.get('/cycles/new');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  res = await anon.get('/cycles/1/edit');
  assert.equal(res.status, 303);
  res = await anon.getJson('/api/v1/cycles/new');
  assert.equal(res.status, 401);

  const resident = clients.resident;
  res = await resident.get('/cycles/new');
  assert.equal(res.status, 403);
  res = await resident.get('/cycles/1/edit');
  assert.equal(res.status, 403);
  const csrf = await resident.apiCsrf();
  res = await resident.postJson('/api/v1/cycles', cycleFields({ number: '8' }), { csrf });
  assert.equal(res.status, 403);
  res = await resident.postJson('/api/v1/cycles/1', cycleFields({ number: '1' }), { csrf });
  assert.equal(res.status, 403);
  assert.equal(await cycleIdByNumber(8), undefined);

  res = await clients.team.get('/cycles');
  assert.match(res.bodyText, /href="\/cycles\/new"/, 'the team sees the link');
});

test('the team creates a cycle through the form; defaults are prefilled', async () => {
  const team = clients.team;
  let res = await team.get('/cycles/new');
  assert.equal(res.status, 200);
  assert.equal(inputValue(res.bodyText, 'funding_cap_eur'), '50.000', 'an amount as people write it');
  assert.equal(inputValue(res.bodyText, 'prototype_months'), '6');
  const csrf = csrfFromHtml(res.bodyText, '/cycles');
  res = await team.postForm('/cycles', { _csrf: csrf, ...cycleFields() });
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  const loc = res.headers.get('location');
  assert.match(loc, /^\/cycles\/\d+$/);
  res = await team.getJson(`/api/v1${loc}`);
  assert.equal(res.data.number, 7);
  assert.equal(res.data.funding_cap_eur, 40000);
  assert.equal(res.data.target_projects, 12);
  assert.equal(res.data.prototype_months, 9);
  assert.equal(res.data.submission_open, false);
  assert.equal(res.data.dates.phase4_end, '2031-06-30');
  // the public list shows it at once (the page cache is not stale)
  res = await new Client(server.url).get('/cycles');
  assert.match(res.bodyText, /Köln\. Offen\. Vernetzt\./);

  // JSON: empty numbers take the defaults
  const api = await team.apiCsrf();
  res = await team.postJson('/api/v1/cycles', cycleFields({ number: '9', funding_cap_eur: '', target_projects: '', prototype_months: '' }), { csrf: api });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  assert.equal(res.data.funding_cap_eur, 50000);
  assert.equal(res.data.target_projects, 15);
  assert.equal(res.data.prototype_months, 6);
});

test('bad input: 422 with a message per field, typed values kept, nothing stored', async () => {
  const team = clients.team;
  let res = await team.get('/cycles/new');
  const csrf = csrfFromHtml(res.bodyText, '/cycles');
  res = await team.postForm('/cycles', {
    _csrf: csrf,
    ...cycleFields({ number: '11', theme_de: 'ab', target_projects: '16', prototype_months: '30', funding_cap_eur: '0', phase3_start: '2030-04-01' }),
  });
  assert.equal(res.status, 422);
  for (const f of ['theme_de', 'target_projects', 'prototype_months', 'funding_cap_eur', 'phases'])
    assert.match(res.bodyText, new RegExp(`id="${f}-error"`), f);
  assert.equal(inputValue(res.bodyText, 'theme_de'), 'ab');
  assert.equal(await cycleIdByNumber(11), undefined);

  const api = await team.apiCsrf();
  const cases = [
    [{ submission_end: '2030-02-01' }, 'submission_end', 'before_start'],
    [{ submission_start: '2030-02-01' }, 'submission_start', 'outside_phase1'],
    [{ submission_end: '2030-06-30' }, 'submission_start', 'outside_phase1'],
    [{ phase4_end: '2030-12-01' }, 'phases', 'out_of_order'],
    [{ target_projects: '0' }, 'target_projects', 'out_of_range'],
    [{ prototype_months: 'six' }, 'prototype_months', 'out_of_range'],
    [{ funding_cap_eur: '-5' }, 'funding_cap_eur', 'out_of_range'],
    [{ phase2_start: '2030-13-45' }, 'phase2_start', 'invalid'],
    [{ number: '' }, 'number', 'required'],
    [{ number: '4' }, 'number', 'taken'],
  ];
  for (const [over, field, code] of cases) {
    res = await team.postJson('/api/v1/cycles', cycleFields({ number: '12', ...over }), { csrf: api });
    assert.equal(res.status, 422, JSON.stringify(over));
    assert.equal(res.data.error.code, 'validation');
    assert.equal(res.data.error.fields[field] && res.data.error.fields[field].code, code, `${JSON.stringify(over)}: ${JSON.stringify(res.data.error.fields)}`);
  }
  assert.equal(await cycleIdByNumber(12), undefined);
});

test('editing: the form is prefilled; admins may edit too; unknown cycles are 404', async () => {
  const id = await cycleIdByNumber(7);
  let res = await clients.team.get(`/cycles/${id}/edit`);
  assert.equal(res.status, 200);
  assert.equal(inputValue(res.bodyText, 'number'), '7');
  assert.equal(inputValue(res.bodyText, 'submission_end'), '2030-04-30');
  assert.equal(inputValue(res.bodyText, 'target_projects'), '12');
  assert.equal(inputValue(res.bodyText, 'funding_cap_eur'), '40.000');
  const csrf = csrfFromHtml(res.bodyText, `/cycles/${id}`);
  res = await clients.team.postForm(`/cycles/${id}`, { _csrf: csrf, ...cycleFields({ theme_en: 'Cologne. Open. Linked.' }) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/cycles/${id}`);

  const api = await clients.admin.apiCsrf();
  res = await clients.admin.postJson(`/api/v1/cycles/${id}`, cycleFields({ target_projects: '5' }), { csrf: api });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  assert.equal(res.data.target_projects, 5);
  res = await clients.admin.postJson('/api/v1/cycles/999999', cycleFields(), { csrf: api });
  assert.equal(res.status, 404);
  res = await clients.admin.postJson(`/api/v1/cycles/${id}`, cycleFields({ number: '4' }), { csrf: api });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.number.code, 'taken');
});

test('late submission: with the window moved into the past, ideas are refused with 409 and a clear message', async () => {
  const resident = clients.resident;
  const csrf = await resident.apiCsrf();
  let res = await resident.postJson('/api/v1/ideas', validIdea({ title: 'Noch rechtzeitig eingereicht' }), { csrf });
  assert.equal(res.status, 201, 'the demo cycle is open');

  // the team closes the window of the open cycle through its form
  const id = await cycleIdByNumber(4);
  res = await clients.team.get(`/cycles/${id}/edit`);
  const form = {};
  for (const name of ['number', 'theme_de', 'theme_en', 'phase1_start', 'phase2_start', 'phase3_start',
    'phase4_start', 'phase4_end', 'funding_cap_eur', 'target_projects', 'prototype_months'])
    form[name] = inputValue(res.bodyText, name);
  res = await clients.team.postForm(`/cycles/${id}`, {
    _csrf: csrfFromHtml(res.bodyText, `/cycles/${id}`), ...form,
    submission_start: '2026-09-01', submission_end: '2026-10-01',
  });
  assert.equal(res.status, 303, res.bodyText.slice(0, 400));

  res = await resident.postJson('/api/v1/ideas', validIdea({ title: 'Leider zu spät eingereicht' }), { csrf });
  assert.equal(res.status, 409);
  assert.equal(res.data.error.code, 'submission_closed');
  assert.match(res.data.error.message, /No cycle is taking ideas right now|Zurzeit nimmt keine Runde/);

  const html = new Client(server.url, { lang: 'de' });
  await html.login(demo('resident').email, demo('resident').password);
  res = await html.get('/ideas/new');
  const formCsrf = csrfFromHtml(res.bodyText, '/ideas');
  res = await html.postForm('/ideas', { _csrf: formCsrf, ...validIdea({ title: 'Auch zu spät eingereicht' }) });
  assert.equal(res.status, 409);
  assert.match(res.bodyText, /role="alert"/);
  res = await html.getJson('/api/v1/ideas?limit=100');
  assert.ok(!res.data.items.some((i) => /zu spät/.test(i.title)), 'nothing stored');
  res = await new Client(server.url).getJson(`/api/v1/cycles/${id}`);
  assert.equal(res.data.submission_open, false);
});
