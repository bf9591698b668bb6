// With PostgreSQL the socket threads never wait for the database: requests
// that need it queue for the handler threads. A page stuck behind a lock in
// the database holds up no other connection: /healthz (no database) and,
// while a handler thread is free, other pages still answer at once; the stuck
// page answers once the lock is gone. Runs with PostgreSQL only (SQLite
// answers within the process and runs handlers on the socket threads).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { startServer } = require('../lib/server');
const { rawRequest, stopServer } = require('../lib/http');

const skip = process.env.UNBOX_TEST_PG ? false : 'needs PostgreSQL (UNBOX_TEST_PG)';
let server;

before(async () => {
  if (skip) return;
  // two handler threads; no page cache, so the idea page reads the database
  server = await startServer({ args: ['--threads', '2'], env: { UNBOX_PAGE_CACHE: '0' } });
});
after(async () => { if (server) await stopServer(server); });

const net = require('node:net');

const port = () => Number(new URL(server.url).port);

// One kept-alive connection: requests one after another on the same socket,
// so it stays with the socket thread that accepted it.
function connection() {
  const sock = net.connect(port(), '127.0.0.1');
  let buf = Buffer.alloc(0);
  let waiting = null;
  const tryParse = () => {
    if (!waiting) return;
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buf.subarray(0, end).toString('latin1');
    const m = head.match(/content-length:\s*(\d+)/i);
    const len = m ? Number(m[1]) : 0;
    if (buf.length < end + 4 + len) return;
    const body = buf.subarray(end + 4, end + 4 + len).toString();
    buf = buf.subarray(end + 4 + len);
    const w = waiting;
    waiting = null;
    w({ status: Number(head.slice(9, 12)), body });
  };
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); tryParse(); });
  return {
    request(path) {
      return new Promise((resolve) => {
        waiting = resolve;
        sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      });
    },
    close() { sock.destroy(); },
  };
}

// Settles with the value, or with 'late' after ms.
const within = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r('late'), ms))]);
const get = (path, timeout = 5000) =>
  rawRequest(port(), `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, { timeout });

// A psql session that holds an exclusive lock on the ideas table until release().
async function lockIdeas(dsn) {
  const psql = spawn('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn]);
  let out = '';
  const locked = new Promise((resolve, reject) => {
    psql.stdout.on('data', (d) => { out += d; if (out.includes('locked')) resolve(); });
    psql.on('exit', (code) => reject(new Error(`psql exited (${code}) before the lock`)));
  });
  psql.stdin.write("BEGIN; LOCK TABLE ideas IN ACCESS EXCLUSIVE MODE; SELECT 'locked';\n");
  await locked;
  return {
    release: () => new Promise((resolve) => {
      psql.on('close', resolve);
      psql.stdin.end('COMMIT;\n');
    }),
  };
}

test('the server states its threads: two handlers, socket threads of their own', { skip }, async () => {
  await server.waitForLog(/serving on http:\/\/127\.0\.0\.1:\d+\/ with 2 threads \(and [12] for the sockets\)/);
});

test('a page waiting for a lock holds up no other connection; it answers once the lock is gone', { skip }, async () => {
  const ideaId = JSON.parse((await get('/api/v1/ideas?limit=1')).body).items[0].id;
  // kept-alive connections, spread over the socket threads as they were accepted
  const conns = [];
  for (let i = 0; i < 12; i++) {
    const c = connection();
    assert.equal((await c.request('/healthz')).status, 200);
    conns.push(c);
  }
  const lock = await lockIdeas(server.dsn);
  let stuckDone = false;
  const stuck = conns[0].request(`/ideas/${ideaId}`).then((r) => { stuckDone = true; return r; });
  try {
    await new Promise((r) => setTimeout(r, 300));   // the page is now waiting in the database
    assert.equal(stuckDone, false, 'the idea page waits for the lock');
    // every other connection is answered, whichever socket thread it is on:
    // /healthz (no database) and /login (the other handler thread is free)
    for (const c of conns.slice(1)) {
      const h = await within(c.request('/healthz'), 1000);
      assert.notEqual(h, 'late', '/healthz waited behind the stuck page');
      assert.equal(h.status, 200);
      const l = await within(c.request('/login'), 1000);
      assert.notEqual(l, 'late', '/login waited behind the stuck page');
      assert.equal(l.status, 200);
    }
    assert.equal(stuckDone, false, 'the idea page still waits');
  } finally {
    await lock.release();
  }
  const r = await within(stuck, 10000);
  assert.notEqual(r, 'late');
  assert.equal(r.status, 200);
  assert.match(r.body, /<h1/);
  for (const c of conns) c.close();
});
