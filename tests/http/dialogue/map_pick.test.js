// Choosing the place of an idea without typing coordinates and without
// JavaScript: the idea form shows the server-drawn map as an image input; a
// click sends its x/y, which the server turns back into latitude and
// longitude by the projection the map is drawn with, and the form comes back
// with the place and its Stadtteil filled in and nothing stored. Choosing the
// Stadtteil from the list stays the other way.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, loginRoles, validIdea, stopServer, unescapeHtml, csrfFromHtml, inputValue, textareaValue, selectOptions } = require('../../lib/http');

let server;
let clients;
let csrf;
let point;   // a demo idea's place: {id, lat, lon, x, y} (x, y in the map's viewBox)
let teil;    // its Stadtteil

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident']));
  assert.equal((await clients.resident.get('/session?lang=en')).status, 200);
  const map = (await new Client(server.url).getJson('/api/v1/ideas/map')).data;
  point = map.points[0];
  teil = (await new Client(server.url).getJson(`/api/v1/ideas/${point.id}`)).data.stadtteil.nr;
});
after(async () => { await stopServer(server); });

function sql(query) {
  const dsn = server.dsn;
  const out = dsn.startsWith('postgres')
    ? execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', query])
    : execFileSync('sqlite3', ['-cmd', '.timeout 5000', dsn.replace(/^sqlite:/, ''), query]);
  return out.toString().trim();
}

// Where the point is drawn on the image of the form (320 wide, the viewBox 800).
const px = (v) => String(Math.round(v * 320 / 800));

test('the form offers the map as an image input of the size it states', async () => {
  const html = (await clients.resident.get('/ideas/new')).bodyText;
  const input = html.match(/<input class="map-pick__image" type="image"[^>]*>/);
  assert.ok(input, 'an image input');
  assert.match(input[0], /name="pick"/);
  assert.match(input[0], /src="\/ideas\/map\.svg"/);
  assert.match(input[0], /width="320" height="360"/);
  assert.match(input[0], /alt="[^"]+"/);
  assert.equal(inputValue(html, 'pick_w'), '320');
  assert.ok(selectOptions(html, 'stadtteil').length > 80, 'the Stadtteil can be chosen from the list');
});

test('a click on the map fills in the place and its Stadtteil; nothing is stored until the idea is handed in', async () => {
  const page = await clients.resident.get('/ideas/new');
  const token = csrfFromHtml(page.bodyText, '/ideas');
  const count = sql('SELECT COUNT(*) FROM ideas');
  const typed = validIdea({ title: 'Ein Ort, auf der Karte gewählt', stadtteil: '', description: 'Eine Beschreibung, die beim Klicken auf die Karte erhalten bleibt.' });
  let res = await clients.resident.postForm('/ideas', { _csrf: token, ...typed, lat: '', lon: '', pick_w: '320', 'pick.x': px(point.x), 'pick.y': px(point.y) });
  assert.equal(res.status, 200, res.bodyText.slice(0, 400));
  assert.equal(sql('SELECT COUNT(*) FROM ideas'), count, 'nothing stored');
  const lat = Number(inputValue(res.bodyText, 'lat')), lon = Number(inputValue(res.bodyText, 'lon'));
  assert.ok(Math.abs(lat - point.lat) < 0.003 && Math.abs(lon - point.lon) < 0.003, `${lat}, ${lon} near ${point.lat}, ${point.lon}`);
  assert.equal(selectOptions(res.bodyText, 'stadtteil').find((o) => o.selected).value, String(teil));
  assert.equal(inputValue(res.bodyText, 'title'), typed.title, 'what was typed is kept');
  assert.equal(textareaValue(res.bodyText, 'description'), typed.description);
  assert.ok(unescapeHtml(res.bodyText).includes('Place chosen on the map:'));

  // handed in with it
  res = await clients.resident.postForm('/ideas', { _csrf: token, ...typed, lat: String(lat), lon: String(lon) });
  assert.equal(res.status, 303);
  const id = Number(res.headers.get('location').match(/\/ideas\/(\d+)/)[1]);
  const idea = (await new Client(server.url).getJson(`/api/v1/ideas/${id}`)).data;
  assert.equal(idea.stadtteil.nr, teil);
  assert.ok(Math.abs(idea.location.lat - point.lat) < 0.003);

  // the edit form takes a click too
  const edit = await clients.resident.get(`/ideas/${id}/edit`);
  res = await clients.resident.postForm(`/ideas/${id}/edit`, { _csrf: csrfFromHtml(edit.bodyText, `/ideas/${id}/edit`), ...typed, pick_w: '320', 'pick.x': px(point.x), 'pick.y': px(point.y) });
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /<h1[^>]*>Change your idea<\/h1>/);
  assert.ok(Math.abs(Number(inputValue(res.bodyText, 'lat')) - point.lat) < 0.003);
});

test('a click outside the city, or the button pressed by keyboard, says what to do instead', async () => {
  const page = await clients.resident.get('/ideas/new');
  const token = csrfFromHtml(page.bodyText, '/ideas');
  const typed = validIdea({ title: 'Ein Klick daneben', stadtteil: '' });
  let res = await clients.resident.postForm('/ideas', { _csrf: token, ...typed, pick_w: '320', 'pick.x': '0', 'pick.y': '0' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="location-error"/);
  assert.ok(unescapeHtml(res.bodyText).includes('choose the Stadtteil from the list'));
  assert.equal(inputValue(res.bodyText, 'title'), typed.title);
  res = await clients.resident.postForm('/ideas', { _csrf: token, ...typed, pick_w: '320', 'pick.x': '5', 'pick.y': '355' });
  assert.equal(res.status, 422, 'the legend under the map is no place');
  assert.ok(unescapeHtml(res.bodyText).includes('outside Cologne'));
  // JSON clients get the place back as data
  res = await clients.resident.postJson('/api/v1/ideas', { ...typed, pick_w: '320', 'pick.x': px(point.x), 'pick.y': px(point.y) }, { csrf: csrf.resident });
  assert.equal(res.status, 200);
  assert.equal(res.data.picked.stadtteil, teil);
});
