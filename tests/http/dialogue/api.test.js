// The JSON API of the dialogue: an idea created by JSON keeps its lists
// (zielbilder, needs) and numbers (lat, lon); fields the route does not know
// answer 422 naming them; values no form field can hold are refused; dates
// come as ISO 8601 beside the formatted ones; /api/v1 answers an index of
// the API from the route table; an author cannot support their own idea;
// campaign codes must be known ones.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../../lib/server');
const { Client, loginRoles, validIdea, stopServer, unescapeHtml, csrfFromHtml } = require('../../lib/http');

let server;
let clients;
let csrf;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'supporter']));
  for (const role of Object.keys(clients)) assert.equal((await clients[role].get('/session?lang=en')).status, 200);
});
after(async () => { await stopServer(server); });

const post = (role, p, body = {}) => clients[role].postJson(`/api/v1${p}`, body, { csrf: csrf[role] });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

test('an idea created by JSON keeps zielbilder and needs given as lists, and lat/lon given as numbers', async () => {
  const res = await post('resident', '/ideas', validIdea({
    title: 'Listen im JSON bleiben erhalten',
    zielbilder: ['digitale-teilhabe', 'lebenswerte-veedel'],
    needs: ['funding', 'data'],
    lat: 50.9413, lon: 6.9583,
    stadtteil: undefined,
  }));
  assert.equal(res.status, 201, res.bodyText);
  assert.deepEqual(res.data.zielbilder.map((z) => z.slug), ['digitale-teilhabe', 'lebenswerte-veedel']);
  assert.deepEqual(res.data.needs.map((n) => n.key), ['funding', 'data']);
  assert.equal(res.data.location.lat_text, '50.941300');
  assert.equal(res.data.stadtteil.name, 'Altstadt/Nord');
  // a list with an unknown entry is refused, naming the field
  const bad = await post('resident', '/ideas', validIdea({ title: 'Liste mit Unsinn', needs: ['funding', 'unicorns'] }));
  assert.equal(bad.status, 422);
  assert.equal(bad.data.error.fields.needs.code, 'invalid');
  // an object where a value belongs is refused, naming the field
  const obj = await post('resident', '/ideas', validIdea({ title: 'Objekt statt Text', summary: { de: 'x' } }));
  assert.equal(obj.status, 422, obj.bodyText);
  assert.equal(obj.data.error.fields.summary.code, 'not_a_value');
});

test('unknown fields answer 422 naming each of them; nothing is stored', async () => {
  const before = (await new Client(server.url).getJson('/api/v1/ideas?limit=1')).data.items[0].id;
  let res = await post('resident', '/ideas', validIdea({ title: 'Mit unbekannten Feldern', colour: 'blau', zielbild: 'x' }));
  assert.equal(res.status, 422, res.bodyText);
  assert.equal(res.data.error.code, 'unknown_fields');
  assert.equal(res.data.error.fields.colour.code, 'unknown');
  assert.equal(res.data.error.fields.zielbild.code, 'unknown', 'a typo of zielbilder is not silently dropped');
  assert.match(res.data.error.message, /colour, zielbild/);
  assert.equal((await new Client(server.url).getJson('/api/v1/ideas?limit=1')).data.items[0].id, before);
  // the other writes of the area too
  const id = before;
  for (const [p, body] of [[`/ideas/${id}/comments`, { body: 'Hallo', mood: 'froh' }],
    [`/ideas/${id}/status`, { status: 'in_dialogue', note: 'x' }], ['/ideas/assisted', { colour: 'x' }],
    [`/ideas/${id}/caretaker`, { caretaker: '', who: 'x' }], ['/cycles', { numbr: 5 }], ['/campaigns', { code: 'X' }]]) {
    res = await post('team', p, body);
    assert.equal(res.status, 422, `${p}: ${res.bodyText}`);
    assert.equal(res.data.error.code, 'unknown_fields', p);
  }
  // an HTML form is not an API client: browsers send their buttons' names
  const page = await clients.resident.get('/ideas/new');
  res = await clients.resident.postForm('/ideas', { _csrf: csrfFromHtml(page.bodyText, '/ideas'), ...validIdea({ title: 'Formular mit Knopfnamen' }), extra: '1' });
  assert.equal(res.status, 303);
});

test('dates come as ISO 8601 beside the formatted ones', async () => {
  const list = (await new Client(server.url).getJson('/api/v1/ideas?limit=1')).data.items[0];
  assert.match(list.created_at, ISO);
  assert.ok(list.created_date);
  const cycle = (await new Client(server.url).getJson('/api/v1/cycles')).data.items[0];
  assert.match(cycle.submission_starts_on, DAY);
  assert.match(cycle.submission_ends_on, DAY);
  assert.ok(cycle.submission_from);
  for (const p of cycle.phases) {
    assert.match(p.starts_on, DAY);
    assert.match(p.ends_on, DAY);
    assert.ok(p.start && p.end);
  }
});

test('/api/v1 answers an index of the API made from the route table', async () => {
  const res = await new Client(server.url).get('/api/v1');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  const index = JSON.parse(res.bodyText);
  assert.equal(index.version, 'v1');
  const routes = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'routes.c'), 'utf8');
  const table = [...routes.matchAll(/\{ "(GET|POST)",\s*"([^"]+)",\s*(\w+)/g)]
    .filter((m) => m[3] !== 'page_health_show' && m[3] !== 'page_api_index');
  assert.equal(index.count, table.length);
  assert.equal(index.routes.length, table.length);
  for (const [, method, pattern] of table)
    assert.ok(index.routes.some((r) => r.method === method && r.path === `/api/v1${pattern}`), `${method} ${pattern}`);
  const create = index.routes.find((r) => r.method === 'POST' && r.path === '/api/v1/ideas');
  assert.equal(create.who, 'logged_in');
  assert.equal(create.csrf, true);
  assert.ok(create.body_max > 0);
  assert.deepEqual(index.routes.find((r) => r.path === '/api/v1/moderation').who, ['team', 'admin']);
  assert.equal(index.routes.find((r) => r.path === '/api/v1/ideas' && r.method === 'GET').who, 'everyone');
});

test('an author cannot support their own idea', async () => {
  const res = await post('resident', '/ideas', validIdea({ title: 'Die eigene Idee unterstützen?' }));
  const id = res.data.id;
  let s = await post('resident', `/ideas/${id}/support`);
  assert.equal(s.status, 409);
  assert.equal(s.data.error.code, 'own_idea');
  assert.match(s.data.error.message, /your own idea/);
  assert.equal((await new Client(server.url).getJson(`/api/v1/ideas/${id}`)).data.supports, 0);
  s = await post('supporter', `/ideas/${id}/support`);
  assert.equal(s.status, 200);
  assert.equal(s.data.supports, 1);
  // the page shows no support button to the author
  const html = (await clients.resident.get(`/ideas/${id}`)).bodyText;
  assert.ok(!html.includes(`action="/ideas/${id}/support"`));
  assert.match(html, /id="support-own"/);
});

test('an unknown campaign code is refused with a clear message; the team adds campaigns', async () => {
  let res = await post('resident', '/ideas', validIdea({ title: 'Über einen falschen QR-Code', campaign: 'PLAKAT-Nirgendwo' }));
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.campaign.code, 'unknown');
  assert.match(res.data.error.fields.campaign.message, /campaign code is not known/);
  // the form of such a link says so at once and hands in without it
  let html = unescapeHtml((await clients.resident.get('/ideas/new?campaign=PLAKAT-Nirgendwo')).bodyText);
  assert.ok(html.includes('The campaign code of this link is not known'));
  assert.ok(!html.includes('name="campaign" value="PLAKAT-Nirgendwo"'));
  // assisted submissions too
  res = await post('team', '/ideas/assisted', { ...validIdea({ title: 'Per falschem Code erfasst' }), channel: 'campaign', campaign: 'PLAKAT-Nirgendwo', resident_name: 'Rita Muster', consent: true, applicant_type: undefined });
  assert.equal(res.status, 422, res.bodyText);
  assert.equal(res.data.error.fields.campaign.code, 'unknown');

  // the team adds the campaign; then the code works
  for (const role of ['resident', 'supporter']) assert.equal((await post(role, '/campaigns', { campaign: 'PLAKAT-Nirgendwo', name: 'Plakate' })).status, 403);
  res = await post('team', '/campaigns', { campaign: 'PLAKAT-Nirgendwo', name: 'x' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.name.code, 'too_short');
  res = await post('team', '/campaigns', { campaign: 'PLAKAT-Nirgendwo', name: 'Plakate in der ganzen Stadt' });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.link, '/ideas/new?campaign=PLAKAT-Nirgendwo');
  res = await post('team', '/campaigns', { campaign: 'PLAKAT-Nirgendwo', name: 'Noch einmal' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.campaign.code, 'taken');
  html = unescapeHtml((await clients.team.get('/campaigns')).bodyText);
  assert.ok(html.includes('Plakate in der ganzen Stadt'));
  res = await post('resident', '/ideas', validIdea({ title: 'Über den richtigen QR-Code', campaign: 'PLAKAT-Nirgendwo' }));
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.channel.campaign, 'PLAKAT-Nirgendwo');
});
