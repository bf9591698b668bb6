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

const TOO_LARGE_DE = 'Was Sie gesendet haben, ist länger, als dieses Formular annimmt. Deshalb wurde nichts davon gespeichert.';
const TOO_LARGE_EN = 'What you sent is longer than this form accepts, so nothing of it was saved.';
const TOO_LARGE_JSON_DE = 'Die Anfrage ist größer, als diese Adresse annimmt.';

// rawRequest reads bytes as latin1: the body as the UTF-8 it is
async function rawUtf8(...args) {
  const res = await rawRequest(...args);
  res.body = Buffer.from(res.body, 'latin1').toString('utf8');
  return res;
}

// An answer the server wrote itself must still be a page in the layout.
function assertLayoutPage(res, what) {
  assert.match(res.headers['content-type'] || '', /^text\/html; charset=utf-8$/, what);
  assert.match(res.body, /^<!doctype html>/, what);
  assert.ok(res.body.includes('class="site-header"'), `${what}: the site header of the layout`);
  assert.ok(res.body.includes('class="site-footer"'), `${what}: the footer of the layout`);
  assert.ok(res.headers['content-security-policy'], what);
}

function backLink(html) {
  const m = html.match(/<a class="kern-link" href="([^"]*)">(?:Zurück|Back)[^<]*<\/a>/);
  return m ? m[1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&') : undefined;
}

test('a body above the route limit answers 413 before it is sent: a page in the layout, in the visitor\'s language', async () => {
  // only the headers are sent: the answer must come without waiting for the body
  for (const [path, length] of [['/ideas', 300 * 1024], ['/login', 20 * 1024], ['/register', 16 * 1024],
    ['/confirm', 2049], ['/confirm', 1 << 30]]) {
    const res = await rawUtf8(server.port, rawPost(path, length), { timeout: 3000 });
    assert.equal(res.status, 413, `${path} with ${length} bytes announced: ${res.raw.slice(0, 200)}`);
    assert.equal(res.headers.connection, 'close');
    assert.ok(res.closed, 'the server closes the connection');
    assertLayoutPage(res, `413 ${path}`);
    assert.ok(res.body.includes('<html lang="de">'), 'German by default');
    assert.ok(res.body.includes(TOO_LARGE_DE), `${path}: says plainly that nothing was saved`);
    assert.ok(res.body.includes('An jedem Feld steht, wie lang der Text sein darf'), 'points to the limits next to the fields');
    assert.equal(backLink(res.body), '/', 'without a Referer: back to the start page');
  }

  // the way back leads to the form it came from (same site only)
  const from = "http://127.0.0.1/ideas/new?cycle=2";   // the Host rawPost sends
  let res = await rawUtf8(server.port, rawPost('/ideas', 300 * 1024, `Referer: ${from}\r\n`), { timeout: 3000 });
  assert.equal(res.status, 413);
  assert.equal(backLink(res.body), '/ideas/new?cycle=2');
  assert.ok(res.body.includes('Zurück zum Formular'));
  res = await rawUtf8(server.port, rawPost('/ideas', 300 * 1024, 'Referer: http://evil.example/ideas/new\r\n'),
    { timeout: 3000 });
  assert.equal(backLink(res.body), '/', 'a foreign Referer is not followed');

  // English from Accept-Language, and from the language cookie over it
  res = await rawUtf8(server.port, rawPost('/ideas', 300 * 1024, 'Accept-Language: en-GB,en;q=0.8\r\n'), { timeout: 3000 });
  assert.equal(res.status, 413);
  assert.ok(res.body.includes('<html lang="en">'));
  assert.ok(res.body.includes(TOO_LARGE_EN), res.body.slice(0, 3000));
  res = await rawUtf8(server.port, rawPost('/ideas', 300 * 1024, 'Accept-Language: de\r\nCookie: unbox_lang=en\r\n'),
    { timeout: 3000 });
  assert.ok(res.body.includes(TOO_LARGE_EN), 'the language cookie wins');

  // JSON clients get the error envelope: /api/v1/… or Accept: application/json
  for (const [path, extra] of [['/api/v1/ideas', ''], ['/api/v1/login', ''], ['/login', 'Accept: application/json\r\n']]) {
    res = await rawUtf8(server.port, rawPost(path, 300 * 1024, extra), { timeout: 3000 });
    assert.equal(res.status, 413, path);
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.headers['content-type'], 'application/json', path);
    assert.deepEqual(JSON.parse(res.body), { error: { code: 'too_large', message: TOO_LARGE_JSON_DE, fields: {} } }, path);
  }
  res = await rawUtf8(server.port, rawPost('/api/v1/ideas', 300 * 1024, 'Accept-Language: en\r\n'), { timeout: 3000 });
  assert.equal(JSON.parse(res.body).error.message, 'The request is larger than this address accepts.');

  // fetch with a real 300 KB body: 413 (or the server hung up while it was still being sent)
  const c = new Client(server.url);
  try {
    const big = await c.request('/ideas', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=' + 'x'.repeat(300 * 1024),
    });
    assert.equal(big.status, 413);
    assert.ok(big.bodyText.includes(TOO_LARGE_DE));
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
  const raw = await rawUtf8(server.port, chunked);
  assert.equal(raw.status, 413, raw.raw.slice(0, 200));
  assertLayoutPage(raw, 'chunked 413');
  assert.ok(raw.body.includes(TOO_LARGE_DE));
  const json = await rawUtf8(server.port, chunked.replace('POST /confirm', 'POST /api/v1/confirm'));
  assert.equal(json.status, 413);
  assert.equal(JSON.parse(json.body).error.code, 'too_large');
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
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  assert.ok(res.bodyText.includes('class="site-header"'), 'a page in the layout');
  assert.ok(res.bodyText.includes('Diese Adresse ist zu lang.'), res.bodyText.slice(0, 2000));
  assert.equal(res.headers.get('connection'), 'close');
  res = await c.get('/api/v1/ideas?x=' + 'a'.repeat(5000), { headers: { 'Accept-Language': 'en' } });
  assert.equal(res.status, 414);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(res.bodyText), { error: { code: 'uri_too_long',
    message: 'This address is too long. Please follow a link or use the search instead.', fields: {} } });
  // a query that cannot be decoded: the page in the layout, or the envelope
  res = await c.get('/api/v1/ideas?q=%zz');
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.bodyText).error.code, 'bad_request');
  res = await c.get('/ideas?q=%zz', { headers: { 'Accept-Language': 'en' } });
  assert.equal(res.status, 400);
  assert.ok(res.bodyText.includes('class="site-header"'));
  assert.ok(res.bodyText.includes('The address contains invalid characters.'));
});

test('a page that cannot be rendered answers the error page, or at least a page, never a bare text', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const theme = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-theme-'));
  let broken;
  try {
    // the start page names a partial that does not exist: it fails at render time
    fs.mkdirSync(path.join(theme, 'portal'));
    fs.writeFileSync(path.join(theme, 'portal', 'home.html'), '<h1>Start</h1>{{>gibt_es_nicht}}\n');
    broken = await startServer({ env: { UNBOX_THEME: theme, UNBOX_PAGE_CACHE: '0' } });
    const c = new Client(broken.url);
    let res = await c.get('/');
    assert.equal(res.status, 500);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/);
    assert.ok(res.bodyText.includes('class="site-header"'), 'the error page in the layout');
    assert.ok(res.bodyText.includes('Bei uns ist etwas schiefgegangen.'), res.bodyText.slice(0, 500));
    res = await c.getJson('/');
    assert.equal(res.status, 200, 'JSON needs no template');
    await stopServer(broken);
    broken = undefined;

    // the layout itself is broken: a plain page still says what happened
    fs.writeFileSync(path.join(theme, 'layout.html'), '<!doctype html>{{>gibt_es_nicht}}{{{page.content}}}\n');
    broken = await startServer({ env: { UNBOX_THEME: theme, UNBOX_PAGE_CACHE: '0' } });
    res = await new Client(broken.url).get('/ideas');
    assert.equal(res.status, 500);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/);
    assert.match(res.bodyText, /^<!doctype html>/);
    assert.ok(res.bodyText.includes('Something went wrong on our side. Please try again.'));
    assertSecurityHeaders(res, 'fallback page');
    res = await new Client(broken.url).get('/api/v1/ideas');
    assert.equal(res.status, 200, 'JSON answers need no template');
  } finally {
    if (broken) await stopServer(broken);
    fs.rmSync(theme, { recursive: true, force: true });
  }
});
