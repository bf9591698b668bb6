// A read that fails answers 500 (the page in the layout, or the JSON error
// envelope), never 404 as if there were nothing: a table is renamed behind
// the running server's back (with the sqlite3 tool, or psql on PostgreSQL
// with UNBOX_TEST_PG), and once it has its name back the same addresses
// answer as before. Sessions and login throttling that cannot be read fail
// the same way instead of passing for "logged out" or "not throttled".
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../lib/server');
const { Client, assertSecurityHeaders, demo, stopServer } = require('../lib/http');

let server;
// no page cache: every request below must really read the database
before(async () => { server = await startServer({ env: { UNBOX_PAGE_CACHE: '0' } }); });
after(async () => { await stopServer(server); });

const INTERNAL_EN = 'Something went wrong on our side. Please try again.';

// ALTER TABLE on the server's database, from outside the server.
function sql(statement) {
  if (server.dsn.startsWith('sqlite:')) {
    // the legacy rename leaves the full-text triggers as they are: the tool
    // does not know the server's tokenizer (unbox_german) they name
    execFileSync('sqlite3', ['-cmd', 'PRAGMA legacy_alter_table = ON', server.dsn.slice('sqlite:'.length), statement],
      { stdio: 'pipe' });
  } else {
    execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-c', statement, server.dsn], { stdio: 'pipe' });
  }
}
const away = (table) => sql(`ALTER TABLE ${table} RENAME TO ${table}_away`);
const back = (table) => sql(`ALTER TABLE ${table}_away RENAME TO ${table}`);

// Renames table for the time fn runs, and back whatever fn does.
async function without(table, fn) {
  away(table);
  try {
    await fn();
  } finally {
    back(table);
  }
}

async function assert500(c, path) {
  const html = await c.get(path);
  assert.equal(html.status, 500, `${path} (HTML): ${html.bodyText.slice(0, 300)}`);
  assert.match(html.headers.get('content-type'), /^text\/html; charset=utf-8$/, path);
  assert.match(html.bodyText, /^<!doctype html>/, `${path}: the error page in the layout`);
  assert.ok(html.bodyText.includes('<main'), `${path}: the layout's main landmark`);
  assert.ok(html.bodyText.includes(INTERNAL_EN), `${path}: ${html.bodyText.slice(0, 300)}`);
  assertSecurityHeaders(html, path);
  for (const res of [await c.getJson(path), await c.getJson(`/api/v1${path}`)]) {
    assert.equal(res.status, 500, `${path} (JSON)`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(res.data, { error: { code: 'internal', message: INTERNAL_EN, fields: {} } }, path);
  }
}

test('ideas table renamed: idea pages and lists answer 500, not 404; renamed back: 200 again', async () => {
  const c = new Client(server.url, { lang: 'en' });
  assert.equal((await c.get('/ideas/1')).status, 200);
  assert.equal((await c.getJson('/api/v1/ideas/1')).status, 200);
  assert.equal((await c.get('/ideas/999999')).status, 404);

  await without('ideas', async () => {
    // an idea that exists and one that does not: the database cannot tell, so neither is "not found"
    for (const path of ['/ideas/1', '/ideas/999999', '/ideas', '/', '/ideas/1/feed.atom', '/ideas.atom',
      '/ideas/map', '/search?q=Rad']) {
      await assert500(c, path);
    }
  });

  const page = await c.get('/ideas/1');
  assert.equal(page.status, 200);
  assert.match(page.bodyText, /^<!doctype html>/);
  const api = await c.getJson('/api/v1/ideas/1');
  assert.equal(api.status, 200);
  assert.equal(api.data.id, 1);
  assert.equal((await c.getJson('/api/v1/ideas/999999')).status, 404);
  assert.equal((await c.getJson('/api/v1/ideas')).status, 200);
});

test('cycles and the lists a filter needs: 500 while their table is away', async () => {
  const c = new Client(server.url, { lang: 'en' });
  assert.equal((await c.get('/cycles/1')).status, 200);
  await without('cycles', async () => {
    for (const path of ['/cycles/1', '/cycles/999999', '/cycles', '/ideas?cycle=1']) await assert500(c, path);
  });
  await without('fields', async () => {
    // a filter that cannot be checked is no "bad filter" (400)
    await assert500(c, '/ideas?field=mobilitaet');
  });
  assert.equal((await c.get('/cycles/1')).status, 200);
  assert.equal((await c.get('/cycles/999999')).status, 404);
});

test('sessions table renamed: a logged-in visitor gets 500, not the logged-out page or the login form', async () => {
  const c = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('resident');
  const login = await c.login(email, password);
  assert.equal(login.status, 303, login.bodyText.slice(0, 300));
  assert.ok(c.cookie('unbox_session'));
  assert.equal((await c.get('/profile')).status, 200);

  await without('sessions', async () => {
    const profile = await c.get('/profile');
    assert.equal(profile.status, 500, 'not 303 to the login form');
    assert.ok(profile.bodyText.includes(INTERNAL_EN));
    const session = await c.getJson('/api/v1/session');
    assert.equal(session.status, 500, 'not {"user": null}');
    assert.equal(session.data.error.code, 'internal');
    // a visitor without a session cookie is not asked about sessions
    assert.equal((await new Client(server.url).get('/login')).status, 200);
  });

  // the session lives on
  const profile = await c.get('/profile');
  assert.equal(profile.status, 200);
  assert.ok(profile.bodyText.includes(email));
});

test('throttle table renamed: a login is an error (500), neither let through nor refused as wrong', async () => {
  const c = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('team');
  await without('throttle', async () => {
    const res = await c.login(email, password);
    assert.equal(res.status, 500, res.bodyText.slice(0, 300));
    assert.ok(res.bodyText.includes(INTERNAL_EN));
    assert.equal(c.cookie('unbox_session'), undefined, 'no session cookie');
    const api = new Client(server.url, { lang: 'en' });
    const csrf = await api.apiCsrf();
    const json = await api.postJson('/api/v1/login', { email, password }, { csrf });
    assert.equal(json.status, 500);
    assert.equal(json.data.error.code, 'internal');
  });
  const res = await c.login(email, password);
  assert.equal(res.status, 303);
  assert.ok(c.cookie('unbox_session'));
});

test('audit table renamed: the login writes no session without its audit row', async () => {
  const c = new Client(server.url, { lang: 'en' });
  const { email, password } = demo('committee');
  await without('audit', async () => {
    const res = await c.login(email, password);
    assert.equal(res.status, 500, res.bodyText.slice(0, 300));
    assert.equal(c.cookie('unbox_session'), undefined);
  });
  assert.equal((await c.login(email, password)).status, 303);
});
