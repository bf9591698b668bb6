// Every state-changing POST needs the CSRF token: the session's when logged
// in, else the one in the unbox_csrf cookie. Without it: 403 and no change.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { Client, setCookie, demo, validIdea, stopServer } = require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

const CSRF_MESSAGE_DE = 'Dieses Formular ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.';
const FORGED = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function assertCsrfHtml(res, what) {
  assert.equal(res.status, 403, `${what}: ${res.bodyText.slice(0, 300)}`);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.ok(res.bodyText.includes(CSRF_MESSAGE_DE), what);
  assert.equal(res.headers.get('location'), null, what);
  assert.equal(setCookie(res, 'unbox_session'), undefined, `${what}: no session`);
}

function assertCsrfJson(res, what) {
  assert.equal(res.status, 403, `${what}: ${res.bodyText.slice(0, 300)}`);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.data.error.code, 'csrf', what);
  assert.equal(typeof res.data.error.message, 'string');
  assert.equal(setCookie(res, 'unbox_session'), undefined, `${what}: no session`);
}

async function ideaIds() {
  const res = await new Client(server.url).getJson('/api/v1/ideas?limit=100');
  assert.equal(res.status, 200);
  return res.data.items.map((i) => i.id);
}

test('POST /login without or with a wrong CSRF token is refused with 403', async () => {
  const { email, password } = demo('resident');
  const c = new Client(server.url);
  const good = await c.csrfFrom('/login', '/login');

  assertCsrfHtml(await c.postForm('/login', { email, password }), 'no token');
  assertCsrfHtml(await c.postForm('/login', { _csrf: '', email, password }), 'empty token');
  assertCsrfHtml(await c.postForm('/login', { _csrf: FORGED, email, password }), 'forged token');
  assertCsrfHtml(await c.postForm('/login', { _csrf: good.slice(0, 42), email, password }), 'truncated token');

  // the token without its cookie does not count (another browser)
  const other = new Client(server.url);
  assertCsrfHtml(await other.postForm('/login', { _csrf: good, email, password }), 'token without cookie');
  // nor the cookie of a different visitor
  other.setCookieValue('unbox_csrf', FORGED);
  assertCsrfHtml(await other.postForm('/login', { _csrf: good, email, password }), 'cookie of another visitor');

  // JSON: header missing or wrong
  assertCsrfJson(await c.postJson('/api/v1/login', { email, password }), 'JSON without header');
  assertCsrfJson(await c.postJson('/api/v1/login', { email, password }, { csrf: FORGED }), 'JSON forged header');

  // still logged out
  const s = await c.getJson('/api/v1/session');
  assert.equal(s.data.user, null);

  // and with the right token the same request works
  const ok = await c.postForm('/login', { _csrf: good, email, password });
  assert.equal(ok.status, 303);
  assert.ok(setCookie(ok, 'unbox_session'));
});

test('POST /register without or with a wrong CSRF token is refused with 403 and creates nothing', async () => {
  const c = new Client(server.url);
  const good = await c.csrfFrom('/register', '/register');
  const email = 'csrf.register@example.org';
  const form = { email, name: 'Csrf Register', password: 'ein wirklich gutes Passwort' };
  const logStart = server.log().length;

  assertCsrfHtml(await c.postForm('/register', form), 'no token');
  assertCsrfHtml(await c.postForm('/register', { _csrf: FORGED, ...form }), 'forged token');
  assertCsrfHtml(await new Client(server.url).postForm('/register', { _csrf: good, ...form }), 'token without cookie');
  assertCsrfJson(await c.postJson('/api/v1/register', form), 'JSON without header');
  assertCsrfJson(await c.postJson('/api/v1/register', form, { csrf: FORGED }), 'JSON forged header');

  assert.ok(!server.log().slice(logStart).includes(email), 'no e-mail queued for the refused registrations');

  // the address is still free: a valid registration gets the confirmation mail
  const res = await c.postForm('/register', { _csrf: good, ...form });
  assert.equal(res.status, 303);
  const m = await server.waitForLog(/\/confirm\?token=[A-Za-z0-9_-]{43}/, { from: logStart });
  assert.ok(m);
  assert.ok(!/already has one|bereits eines/.test(server.log().slice(logStart)), 'it was a new account');
});

test('POST /ideas without or with a wrong CSRF token is refused with 403 and stores nothing', async () => {
  const c = new Client(server.url);
  const { email, password } = demo('resident');
  const login = await c.login(email, password);
  assert.equal(login.status, 303);
  const before = await ideaIds();

  // the anonymous token from before the login is not the session's token
  const anonToken = new Client(server.url);
  const anonCsrf = await anonToken.apiCsrf();
  const sessionCsrf = await c.apiCsrf();
  assert.notEqual(anonCsrf, sessionCsrf);

  const idea = validIdea({ title: 'Gefälschte Idee' });
  assertCsrfHtml(await c.postForm('/ideas', idea), 'no token');
  assertCsrfHtml(await c.postForm('/ideas', { _csrf: FORGED, ...idea }), 'forged token');
  assertCsrfHtml(await c.postForm('/ideas', { _csrf: anonCsrf, ...idea }), 'anonymous token');
  // an anonymous cookie matching the field does not replace the session token
  c.setCookieValue('unbox_csrf', anonCsrf);
  assertCsrfHtml(await c.postForm('/ideas', { _csrf: anonCsrf, ...idea }), 'anonymous cookie and token');
  c.setCookieValue('unbox_csrf', undefined);
  assertCsrfJson(await c.postJson('/api/v1/ideas', idea), 'JSON without header');
  assertCsrfJson(await c.postJson('/api/v1/ideas', idea, { csrf: FORGED }), 'JSON forged header');

  // a token of another user's session does not work either
  const other = new Client(server.url);
  assert.equal((await other.login(demo('supporter').email, demo('supporter').password)).status, 303);
  const otherCsrf = await other.apiCsrf();
  assertCsrfJson(await c.postJson('/api/v1/ideas', idea, { csrf: otherCsrf }), 'JSON token of another session');

  assert.deepEqual(await ideaIds(), before, 'the list is unchanged');
  const list = await c.get('/ideas');
  assert.ok(!list.bodyText.includes('Gefälschte Idee'));

  // with the session's own token it is stored
  const ok = await c.postJson('/api/v1/ideas', idea, { csrf: sessionCsrf });
  assert.equal(ok.status, 201);
  assert.deepEqual(await ideaIds(), [ok.data.id, ...before]);
});
