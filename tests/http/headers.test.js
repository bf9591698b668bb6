// Headers on every answer, static files with caching, and the language choice.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, root } = require('../lib/server');
const {
  Client, rawRequest, setCookie, assertSecurityHeaders, demo, stopServer, unescapeHtml,
} = require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

test('every answer carries CSP, nosniff and Referrer-Policy', async () => {
  const anon = new Client(server.url);
  const user = new Client(server.url);
  assert.equal((await user.login(demo('resident').email, demo('resident').password)).status, 303);
  const csrf = await user.apiCsrf();

  const answers = [
    ['GET /', await anon.get('/'), 200],
    ['GET /ideas', await anon.get('/ideas'), 200],
    ['GET /ideas/1', await anon.get('/ideas/1'), 200],
    ['GET /api/v1/ideas', await anon.getJson('/api/v1/ideas'), 200],
    ['GET /api/v1/session', await anon.getJson('/api/v1/session'), 200],
    ['GET /healthz', await anon.get('/healthz'), 200],
    ['GET /login', await anon.get('/login'), 200],
    ['GET /register', await anon.get('/register'), 200],
    ['GET /profile (logged out)', await anon.get('/profile'), 303],
    ['GET /api/v1/profile (logged out)', await anon.getJson('/api/v1/profile'), 401],
    ['GET /nope', await anon.get('/nope'), 404],
    ['GET /api/v1/nope', await anon.getJson('/api/v1/nope'), 404],
    ['DELETE /ideas', await anon.request('/ideas', { method: 'DELETE' }), 405],
    ['POST /login without CSRF', await anon.postForm('/login', {}), 403],
    ['POST /api/v1/ideas invalid', await user.postJson('/api/v1/ideas', { title: '' }, { csrf }), 422],
    ['GET /ideas/new', await user.get('/ideas/new'), 200],
    ['GET /ideas?limit=0', await anon.get('/ideas?limit=0'), 400],
    ['GET /static/kern/kern.min.css', await anon.get('/static/kern/kern.min.css'), 200],
    ['GET /ideas?x=long', await anon.get('/ideas?x=' + 'y'.repeat(5000)), 414],
  ];
  for (const [what, res, status] of answers) {
    assert.equal(res.status, status, what);
    assertSecurityHeaders(res, what);
  }
  const csp = answers[0][1].headers.get('content-security-policy');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

  // the answers sent before the body is read carry them as well
  const big = await rawRequest(server.port,
    'POST /ideas HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 999999\r\n\r\n');
  assert.equal(big.status, 413);
  assert.match(big.headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(big.headers['x-content-type-options'], 'nosniff');
  assert.ok(big.headers['referrer-policy']);

  // pages that depend on the session are not stored by caches
  assert.equal(answers[15][1].headers.get('cache-control'), 'no-store');
  assert.equal(answers[4][1].headers.get('cache-control'), 'no-store');
});

test('static files: long caching with an ETag, 304 for If-None-Match', async () => {
  const c = new Client(server.url);
  const file = path.join(root, 'node_modules/@kern-ux/native/dist/kern.min.css');
  const onDisk = fs.readFileSync(file);

  let res = await c.get('/static/kern/kern.min.css');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal(Number(res.headers.get('content-length')), onDisk.length);
  assert.equal(res.bodyText, onDisk.toString('utf8'));
  const etag = res.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{8,}"$/);
  const cc = res.headers.get('cache-control');
  assert.match(cc, /\bpublic\b/);
  const maxAge = Number((cc.match(/max-age=(\d+)/) || [])[1]);
  assert.ok(maxAge >= 30 * 24 * 3600, `max-age ${maxAge}`);
  assert.equal(res.headers.get('set-cookie'), null, 'no cookies on static files');

  res = await c.get('/static/kern/kern.min.css', { headers: { 'If-None-Match': etag } });
  assert.equal(res.status, 304);
  assert.equal(res.bodyText, '');
  assert.equal(res.headers.get('etag'), etag);
  assertSecurityHeaders(res, '304');

  res = await c.get('/static/kern/kern.min.css', { headers: { 'If-None-Match': '"0000000000000000"' } });
  assert.equal(res.status, 200);
  assert.equal(res.bodyText.length, onDisk.toString('utf8').length);

  // our own style sheet has its own ETag
  res = await c.get('/static/css/unbox.css');
  assert.equal(res.status, 200);
  assert.notEqual(res.headers.get('etag'), etag);

  // HEAD gives the headers only
  res = await c.request('/static/kern/kern.min.css', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.bodyText, '');
  assert.equal(res.headers.get('etag'), etag);

  // nothing outside the static directories
  for (const p of ['/static/kern/../../../etc/passwd', '/static/../src/routes.c', '/static/css/../../meson.build']) {
    const r = await rawRequest(server.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, p);
  }
});

test('language: German by default, ?lang=en switches and is remembered, Accept-Language is honoured', async () => {
  const c = new Client(server.url);
  let res = await c.get('/ideas');
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /<html lang="de">/);
  assert.match(res.bodyText, /<title>Ideen – un:box<\/title>/);
  assert.ok(res.bodyText.includes('href="/ideas?lang&#61;en" hreflang="en" lang="en">English</a>'));
  assert.equal(setCookie(res, 'unbox_lang'), undefined);

  res = await c.get('/ideas?lang=en');
  assert.match(res.bodyText, /<html lang="en">/);
  assert.match(res.bodyText, /<title>Ideas – un:box<\/title>/);
  assert.ok(res.bodyText.includes('>Submit an idea<'));
  assert.ok(res.bodyText.includes('hreflang="de" lang="de">Deutsch</a>'));
  const cookie = setCookie(res, 'unbox_lang');
  assert.ok(cookie);
  assert.equal(cookie.value, 'en');
  assert.equal(cookie.attrs.path, '/');
  assert.equal(cookie.attrs.samesite, 'Lax');
  assert.ok(Number(cookie.attrs['max-age']) > 0);

  // remembered by the cookie
  res = await c.get('/');
  assert.match(res.bodyText, /<html lang="en">/);
  assert.equal(setCookie(res, 'unbox_lang'), undefined);
  res = await c.getJson('/api/v1/nope');
  assert.equal(res.data.error.message, 'This page does not exist.');
  // the cookie wins over Accept-Language
  res = await c.get('/', { headers: { 'Accept-Language': 'de-DE,de;q=0.9' } });
  assert.match(res.bodyText, /<html lang="en">/);

  // and back; other query parameters stay in the switch link
  res = await c.get('/ideas?lang=de&field=gesundheit');
  assert.match(res.bodyText, /<html lang="de">/);
  assert.equal(setCookie(res, 'unbox_lang').value, 'de');
  assert.ok(res.bodyText.includes('href="/ideas?field&#61;gesundheit&amp;lang&#61;en"'), 'switch link keeps the filter');

  // an unknown choice changes nothing
  res = await c.get('/ideas?lang=fr');
  assert.match(res.bodyText, /<html lang="de">/);
  assert.equal(setCookie(res, 'unbox_lang'), undefined);

  // Accept-Language without a cookie
  for (const [header, lang] of [['en', 'en'], ['en-GB,en;q=0.9', 'en'], ['fr-FR, en-US;q=0.8', 'en'], ['fr', 'de'],
    ['de', 'de'], ['DE-at', 'de'], ['english', 'de']]) {
    const fresh = new Client(server.url);
    res = await fresh.get('/', { headers: { 'Accept-Language': header } });
    assert.equal((res.bodyText.match(/<html lang="(\w+)">/) || [])[1], lang, header);
  }
  // the switch link stays on this site whatever the address looked like
  for (const p of ['//evil.example/x', '/%09/evil.example', '/%5Cevil.example', '/%2F%2Fevil.example', '/%0a/evil.example']) {
    const r = await rawRequest(server.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, p);
    const href = unescapeHtml((r.body.match(/<a class="kern-link" href="([^"]*)" hreflang="en"/) || [])[1] || '');
    assert.match(href, /^\/[^/\\]/, `${p}: ${href}`);
    assert.doesNotMatch(href, /[\x00-\x20\\]/, `${p}: ${href}`);
    const resolved = new URL(href, 'http://unbox.test/');
    assert.equal(resolved.host, 'unbox.test', `${p}: ${href}`);
  }

  const en = new Client(server.url, { lang: 'en' });
  res = await en.get('/login');
  assert.match(res.bodyText, /<title>Log in – un:box<\/title>/);
  res = await en.get('/nope');
  assert.ok(res.bodyText.includes('This page does not exist.'));
  assert.match(res.bodyText, /<html lang="en">/);
});
