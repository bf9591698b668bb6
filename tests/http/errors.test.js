// Error answers: unknown addresses, wrong methods, bodies that are too large
// or unreadable, overlong addresses.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { Client, rawRequest, assertSecurityHeaders, demo, stopServer } = require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

const NOT_FOUND_DE = 'Diese Seite gibt es nicht.';

async function assert404(c, path) {
  const html = await c.get(path);
  assert.equal(html.status, 404, `${path} (HTML)`);
  assert.match(html.headers.get('content-type'), /^text\/html; charset=utf-8$/, path);
  assert.match(html.bodyText, /^<!doctype html>/);
  assert.ok(html.bodyText.includes(NOT_FOUND_DE), path);
  assertSecurityHeaders(html, path);

  for (const res of [await c.getJson(path), await c.getJson(`/api/v1${path}`)]) {
    assert.equal(res.status, 404, `${path} (JSON)`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(res.data, { error: { code: 'not_found', message: NOT_FOUND_DE, fields: {} } }, path);
  }
}

test('unknown addresses answer 404 in HTML and as a JSON envelope', async () => {
  const c = new Client(server.url);
  for (const path of ['/gibt-es-nicht', '/ideas/', '/ideas/new/x', '/static/nope.css', '/Ideas', '/ideas/1/x']) {
    await assert404(c, path);
  }
  // in English too
  const res = await c.getJson('/api/v1/nope', { headers: { 'Accept-Language': 'en' } });
  assert.equal(res.status, 404);
  assert.equal(res.data.error.message, 'This page does not exist.');
});

test('ideas that do not exist, and ids that are not numbers, answer 404', async () => {
  const c = new Client(server.url);
  for (const path of ['/ideas/999999', '/ideas/0', '/ideas/abc', '/ideas/12abc', '/ideas/-1', '/ideas/1.5',
    '/ideas/99999999999999999999999', '/ideas/000000000000000001']) {
    await assert404(c, path);
  }
  // an existing one for comparison
  const list = await c.getJson('/api/v1/ideas?limit=1');
  const id = list.data.items[0].id;
  assert.equal((await c.get(`/ideas/${id}`)).status, 200);
  assert.equal((await c.getJson(`/api/v1/ideas/${id}`)).data.id, id);
});

test('a known address with the wrong method answers 405', async () => {
  const c = new Client(server.url);
  for (const [method, path, allow] of [['DELETE', '/ideas', 'GET, HEAD, POST'], ['PUT', '/login', 'GET, HEAD, POST'],
    ['GET', '/logout', 'POST'], ['POST', '/ideas/1', 'GET, HEAD'], ['PATCH', '/profile', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'], ['DELETE', '/ideas/new', 'GET, HEAD']]) {
    const res = await c.request(path, { method });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.ok(res.bodyText.includes('Diese Adresse nimmt diese Methode nicht an.'));
    assertSecurityHeaders(res, `${method} ${path}`);
    const j = await c.request(`/api/v1${path}`, { method });
    assert.equal(j.status, 405, `${method} /api/v1${path}`);
    assert.equal(j.headers.get('allow'), allow, `${method} /api/v1${path}`);
    assert.deepEqual(JSON.parse(j.bodyText), {
      error: { code: 'method_not_allowed', message: 'Diese Adresse nimmt diese Methode nicht an.', fields: {} },
    });
  }
  // HEAD is GET without a body
  const head = await c.request('/ideas', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.bodyText, '');
  assert.match(head.headers.get('content-type'), /^text\/html/);
});

function rawPost(path, length, extra = '') {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${length}\r\n${extra}\r\n`;
}

test('a body above the route limit answers 413 before it is sent', async () => {
  // only the headers are sent: the answer must come without waiting for the body
  for (const [path, length] of [['/ideas', 300 * 1024], ['/login', 20 * 1024], ['/register', 16 * 1024],
    ['/api/v1/ideas', 300 * 1024], ['/confirm', 2049], ['/confirm', 1 << 30]]) {
    const res = await rawRequest(server.port, rawPost(path, length), { timeout: 3000 });
    assert.equal(res.status, 413, `${path} with ${length} bytes announced: ${res.raw.slice(0, 200)}`);
    assert.equal(res.headers.connection, 'close');
    assert.ok(res.closed, 'the server closes the connection');
    assert.equal(res.body, 'Request body too large\n');
    assert.ok(res.headers['content-security-policy']);
  }

  // fetch with a real 300 KB body: 413 (or the server hung up while it was still being sent)
  const c = new Client(server.url);
  try {
    const res = await c.request('/ideas', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=' + 'x'.repeat(300 * 1024),
    });
    assert.equal(res.status, 413);
  } catch (e) {
    assert.match(String(e.cause && e.cause.code), /ECONNRESET|EPIPE|UND_ERR_SOCKET/);
  }
  // the server is still fine
  assert.equal((await c.get('/healthz')).status, 200);
});

test('a body exactly at the limit is read; a chunked body above it answers 413', async () => {
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();
  const base = `_csrf=${csrf}&token=nicht-gueltig&pad=`;
  const body = base + 'x'.repeat(2048 - base.length);
  assert.equal(body.length, 2048);
  const res = await c.request('/confirm', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body,
  });
  assert.equal(res.status, 422, res.bodyText.slice(0, 200));

  // without Content-Length the limit still holds
  const chunk = 'a='.padEnd(1000, 'x');
  const chunked = `POST /confirm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
    `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(3) + '0\r\n\r\n';
  const raw = await rawRequest(server.port, chunked);
  assert.equal(raw.status, 413, raw.raw.slice(0, 200));
});

test('unreadable bodies, unsupported types and overlong addresses answer 400, 415 and 414', async () => {
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();

  let res = await c.request('/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '{"email": ',
  });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.bodyText).error.code, 'bad_request');

  res = await c.request('/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '["a"]',
  });
  assert.equal(res.status, 400);

  res = await c.request('/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-CSRF-Token': csrf }, body: 'hello',
  });
  assert.equal(res.status, 415);
  assert.equal(JSON.parse(res.bodyText).error.code, 'unsupported_media_type');

  res = await c.request('/login', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `_csrf=${csrf}&email=%zz`,
  });
  assert.equal(res.status, 400);

  res = await c.get('/ideas?field=%ff%fe');
  assert.equal(res.status, 400);

  res = await c.get('/ideas?x=' + 'a'.repeat(5000));
  assert.equal(res.status, 414);
  assertSecurityHeaders(res, '414');
});
