// Graceful stop: on SIGTERM (or SIGINT) requests in flight finish with their
// normal answer, then the process exits 0. Each test needs its own server.
'use strict';
const { test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { startServer } = require('../lib/server');
const { Client, demo, encodeForm, assertCleanLog } = require('../lib/http');

let server;
afterEach(async () => {
  // only after a failed test: do not leave the process behind
  if (server) await server.stop('SIGKILL');
  server = undefined;
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// CPU time (clock ticks) the process has used so far, or -1 without /proc.
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);     // utime + stime
  } catch {
    return -1;
  }
}

// Waits until the idle server starts burning CPU (the password hash has
// begun), at most `limit` ms; without /proc it simply waits a little.
async function untilBusy(pid, since, limit = 3000) {
  if (since < 0) return sleep(40);
  const t0 = Date.now();
  while (Date.now() - t0 < limit) {
    if (cpuTicks(pid) - since >= 2) return undefined;
    await sleep(2);
  }
  return undefined;
}

// Opens a connection and sends the request head and all but the last `hold`
// bytes of the body. Returns { finish(), response } where finish() sends the
// rest and response resolves with the raw answer once the server closes.
async function partialRequest(port, path, headers, body, hold) {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  const chunks = [];
  const response = new Promise((resolve) => {
    sock.on('data', (d) => chunks.push(d));
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    sock.on('error', () => {});
  });
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(body) }).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  const buf = Buffer.from(body);
  sock.write(head);
  sock.write(buf.subarray(0, buf.length - hold));
  return { finish: () => sock.write(buf.subarray(buf.length - hold)), response };
}

function statusOf(raw) {
  const m = raw.match(/^HTTP\/1\.1 (\d{3})/);
  return m ? Number(m[1]) : 0;
}

test('SIGTERM while a login is half sent: the login completes normally and the process exits 0', async () => {
  server = await startServer();
  const c = new Client(server.url);
  const csrfPage = await c.get('/login');
  const csrf = c.cookie('unbox_csrf');
  assert.ok(csrfPage.status === 200 && csrf);

  const body = encodeForm({ _csrf: csrf, email: demo('resident').email, password: demo('resident').password });
  const req = await partialRequest(server.port, '/login', {
    'Content-Type': 'application/x-www-form-urlencoded', Cookie: `unbox_csrf=${csrf}`,
  }, body, 5);
  await sleep(150);           // the server has the request head: it is in flight

  const logStart = server.log().length;
  const stopping = server.stop('SIGTERM');
  await server.waitForLog(/SIGTERM: finishing requests in flight/, { from: logStart });
  await sleep(100);           // the server is now waiting for this request
  req.finish();

  const raw = await req.response;
  assert.equal(statusOf(raw), 303, raw.slice(0, 300));
  assert.match(raw, /\r\nLocation: \/\r\n/i);
  assert.match(raw, /\r\nSet-Cookie: unbox_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000/i);

  const exit = await stopping;
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(server.log().slice(logStart), /POST \/login 303 /);
  assert.match(server.log().slice(logStart), /info stopped/);
  await server.closed;
  assertCleanLog(server);
  server = undefined;
});

test('SIGTERM during a slow JSON login: it answers 200 and the process exits 0', async () => {
  server = await startServer();
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();
  const t0 = Date.now();
  const idle = cpuTicks(server.pid);
  const login = c.postJson('/api/v1/login', demo('team'), { csrf });
  await untilBusy(server.pid, idle);   // the hash is running: the request is in flight
  const logStart = server.log().length;
  const stopping = server.stop('SIGTERM');
  const res = await login;
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.user.role, 'team');
  assert.ok(c.cookie('unbox_session'));
  const exit = await stopping;
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(server.log().slice(logStart), /SIGTERM: finishing requests in flight[\s\S]*POST \/api\/v1\/login 200 [\s\S]*stopped/);
  assert.ok(Date.now() - t0 < 15000);
  await server.closed;
  assertCleanLog(server);
  server = undefined;
});

test('SIGINT with idle keep-alive connections stops promptly with exit 0', async () => {
  server = await startServer();
  const c = new Client(server.url);
  for (let i = 0; i < 3; i++) assert.equal((await c.get('/ideas')).status, 200);
  const t0 = Date.now();
  const exit = await server.stop('SIGINT');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(Date.now() - t0 < 5000, `stopped after ${Date.now() - t0} ms`);
  assert.match(server.log(), /SIGINT: finishing requests in flight[\s\S]*stopped/);
  await server.closed;
  assertCleanLog(server);
  server = undefined;
});
