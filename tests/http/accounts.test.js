// Accounts: answers that do not reveal which addresses exist, login
// throttling, pages that need a login, session cookies and logging out.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { Client, setCookie, inputValue, demo, stopServer } = require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

test('registering an existing address answers exactly like a new one', async () => {
  const c = new Client(server.url);
  const csrf = await c.csrfFrom('/register', '/register');
  const password = 'ein ganz neues Passwort';
  const logStart = server.log().length;

  const existing = await c.postForm('/register', { _csrf: csrf, email: demo('resident').email, name: 'Noch Einmal', password });
  const fresh = await c.postForm('/register', { _csrf: csrf, email: 'brand.new@example.org', name: 'Ganz Neu', password });
  for (const res of [existing, fresh]) {
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?registered=1');
    assert.equal(res.bodyText, '');
    assert.equal(setCookie(res, 'unbox_session'), undefined);
  }
  assert.deepEqual(
    existing.headers.getSetCookie().map((h) => h.split('=')[0]),
    fresh.headers.getSetCookie().map((h) => h.split('=')[0]));

  // the same through JSON, with an address in another case
  const jcsrf = await c.apiCsrf();
  const a = await c.postJson('/api/v1/register', { email: 'Resident@Demo.Unbox.Invalid', name: 'Noch Einmal', password }, { csrf: jcsrf });
  const b = await c.postJson('/api/v1/register', { email: 'other.new@example.org', name: 'Anders Neu', password }, { csrf: jcsrf });
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  assert.equal(a.bodyText, b.bodyText);
  assert.deepEqual(a.data, { status: 'confirmation_sent' });

  // the owner of the existing account is told by e-mail instead; the old password still works
  await server.waitForLog(/to=resident@demo\.unbox\.invalid/, { from: logStart });
  const login = await new Client(server.url).login(demo('resident').email, demo('resident').password);
  assert.equal(login.status, 303);
});

test('a failed login answers the same for an unknown address and a wrong password', async () => {
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();
  const unknown = await c.postJson('/api/v1/login', { email: 'niemand@example.org', password: 'irgendein Passwort' }, { csrf });
  const wrong = await c.postJson('/api/v1/login', { email: demo('committee').email, password: 'irgendein Passwort' }, { csrf });
  for (const res of [unknown, wrong]) {
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(setCookie(res, 'unbox_session'), undefined);
  }
  assert.equal(unknown.bodyText, wrong.bodyText);
  assert.deepEqual(unknown.data, {
    error: { code: 'invalid_credentials', message: 'E-Mail-Adresse oder Passwort ist nicht richtig.', fields: {} },
  });

  // HTML: the same page, apart from the address typed into the form
  const h1 = await c.login('niemand@example.org', 'irgendein Passwort');
  const h2 = await c.login(demo('committee').email, 'irgendein Passwort');
  assert.equal(h1.status, 401);
  assert.equal(h2.status, 401);
  assert.equal(inputValue(h1.bodyText, 'email'), 'niemand@example.org');
  assert.equal(inputValue(h2.bodyText, 'email'), demo('committee').email);
  assert.ok(h1.bodyText.includes('E-Mail-Adresse oder Passwort ist nicht richtig.'));
  const strip = (res, email) => res.bodyText.split(email).join('EMAIL');
  assert.equal(strip(h1, 'niemand@example.org'), strip(h2, demo('committee').email));
  assert.equal(h1.headers.get('content-type'), h2.headers.get('content-type'));
});

test('after 5 failed logins for an address the next answer is 429 with Retry-After, even with the right password', async () => {
  const { email, password } = demo('spurgruppe');
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();
  for (let i = 1; i <= 5; i++) {
    const res = await c.postJson('/api/v1/login', { email, password: `falsch-${i}` }, { csrf });
    assert.equal(res.status, 401, `attempt ${i}`);
    assert.equal(res.headers.get('retry-after'), null);
  }
  let res = await c.postJson('/api/v1/login', { email, password }, { csrf });
  assert.equal(res.status, 429, res.bodyText);
  const ra = res.headers.get('retry-after');
  assert.match(ra, /^\d+$/);
  assert.ok(Number(ra) > 0 && Number(ra) <= 900, `Retry-After ${ra}`);
  assert.equal(res.data.error.code, 'too_many_attempts');
  assert.equal(setCookie(res, 'unbox_session'), undefined, 'no session while throttled');

  // the HTML form says so too, with the same header; the address differs only in case
  const csrfHtml = await c.csrfFrom('/login', '/login');
  res = await c.postForm('/login', { _csrf: csrfHtml, email: email.toUpperCase(), password });
  assert.equal(res.status, 429);
  assert.match(res.headers.get('retry-after'), /^[1-9]\d*$/);
  assert.ok(res.bodyText.includes('Zu viele Versuche.'));
  assert.equal(setCookie(res, 'unbox_session'), undefined);

  // another address from the same client is not blocked
  res = await c.postJson('/api/v1/login', demo('supporter'), { csrf });
  assert.equal(res.status, 200);
});

test('pages that need a login redirect to /login?next=... (HTML) or answer 401 (JSON)', async () => {
  const c = new Client(server.url);
  for (const [path, next] of [['/ideas/new', '%2Fideas%2Fnew'], ['/profile', '%2Fprofile'], ['/profile?tab=1', '%2Fprofile%3Ftab%3D1']]) {
    const res = await c.get(path);
    assert.ok([302, 303].includes(res.status), `${path}: ${res.status}`);
    assert.equal(res.headers.get('location'), `/login?next=${next}`, path);
  }
  for (const path of ['/api/v1/ideas/new', '/api/v1/profile']) {
    const res = await c.getJson(path);
    assert.equal(res.status, 401, path);
    assert.equal(res.data.error.code, 'login_required');
    assert.equal(res.headers.get('location'), null);
  }
  let res = await c.getJson('/profile');
  assert.equal(res.status, 401, 'Accept: application/json');

  // a POST needs the login before anything else
  const csrf = await c.apiCsrf();
  res = await c.postJson('/api/v1/ideas', { title: 'x' }, { csrf });
  assert.equal(res.status, 401);
  res = await c.postJson('/api/v1/logout', {}, { csrf });
  assert.equal(res.status, 401);

  // the login form carries next and logging in goes there
  res = await c.get('/login?next=%2Fideas%2Fnew');
  assert.equal(inputValue(res.bodyText, 'next'), '/ideas/new');
  res = await c.login(demo('resident').email, demo('resident').password, { next: '/ideas/new' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/ideas/new');
  res = await c.get('/ideas/new');
  assert.equal(res.status, 200);
  res = await c.get('/profile');
  assert.equal(res.status, 200);
  assert.ok(res.bodyText.includes(demo('resident').email));
});

test('next never leads to another site', async () => {
  // browsers drop tabs and newlines from URLs: "/\t/evil.example" would become "//evil.example"
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)',
    '/\t/evil.example/', '/\n/evil.example/', '/\r\n/evil.example/', '/\x0b/evil', '/ /evil.example']) {
    const c = new Client(server.url);
    const page = await c.get(`/login?next=${encodeURIComponent(next)}`);
    assert.equal(inputValue(page.bodyText, 'next'), '/', next);
    const res = await c.login(demo('resident').email, demo('resident').password, { next });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/', next);
  }
  // a local path with a query is kept as it is
  const c = new Client(server.url);
  const res = await c.login(demo('resident').email, demo('resident').password, { next: '/ideas?field=gesundheit' });
  assert.equal(res.headers.get('location'), '/ideas?field=gesundheit');
});

test('session cookies: HttpOnly, SameSite=Lax, 30 days for residents, 12 hours for staff', async () => {
  const expected = { resident: 30 * 24 * 3600, supporter: 30 * 24 * 3600, team: 12 * 3600, admin: 12 * 3600 };
  for (const [role, maxAge] of Object.entries(expected)) {
    const c = new Client(server.url);
    const res = await c.login(demo(role).email, demo(role).password);
    assert.equal(res.status, 303, role);
    const cookie = setCookie(res, 'unbox_session');
    assert.ok(cookie, role);
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(cookie.attrs.httponly, true, role);
    assert.equal(cookie.attrs.samesite, 'Lax', role);
    assert.equal(cookie.attrs.path, '/', role);
    assert.equal(cookie.attrs['max-age'], String(maxAge), role);
    const s = await c.getJson('/api/v1/session');
    assert.equal(s.data.user.role, role);
  }
});

test('logging out ends the session: the old cookie no longer works', async () => {
  const c = new Client(server.url);
  const res = await c.login(demo('team').email, demo('team').password);
  assert.equal(res.status, 303);
  const token = c.cookie('unbox_session');
  assert.ok(token);

  const profile = await c.get('/profile');
  assert.equal(profile.status, 200);
  const logoutCsrf = profile.bodyText.match(/<form method="post" action="\/logout"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">/);
  assert.ok(logoutCsrf, 'the page has a logout form');

  // without the token nothing happens
  let out = await c.postForm('/logout', {});
  assert.equal(out.status, 403);
  assert.equal((await c.get('/profile')).status, 200);

  out = await c.postForm('/logout', { _csrf: logoutCsrf[1] });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/');
  const cleared = setCookie(out, 'unbox_session');
  assert.ok(cleared);
  assert.equal(cleared.value, '');
  assert.equal(cleared.attrs['max-age'], '0');

  // replaying the old cookie: logged out everywhere
  const replay = new Client(server.url);
  replay.setCookieValue('unbox_session', token);
  let r = await replay.get('/profile');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2Fprofile');
  r = await replay.getJson('/api/v1/session');
  assert.equal(r.data.user, null);
  r = await replay.getJson('/api/v1/profile');
  assert.equal(r.status, 401);

  // JSON logout
  const j = new Client(server.url);
  const login = await j.postJson('/api/v1/login', demo('steward'), { csrf: await j.apiCsrf() });
  assert.equal(login.status, 200);
  assert.equal(setCookie(login, 'unbox_session').attrs['max-age'], String(12 * 3600));
  const jtoken = j.cookie('unbox_session');
  const lo = await j.postJson('/api/v1/logout', {}, { csrf: login.data.csrf });
  assert.equal(lo.status, 200);
  assert.deepEqual(lo.data, { logged_out: true });
  const again = new Client(server.url);
  again.setCookieValue('unbox_session', jtoken);
  assert.equal((await again.getJson('/api/v1/session')).data.user, null);
});
