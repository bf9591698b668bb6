// Slow clients from many addresses: the server keeps answering everyone else
// without a proxy in front. Thousands of connections that send a header line
// now and then (each address under the per-address cap) must not crowd out a
// visitor: the request head has a short deadline, the total number of
// connections a cap below what the process can hold, and the longest-idle
// connections go first when the cap is near. Connections come from 127.0.0.x
// (on Linux the whole 127.0.0.0/8 is local), so the per-address cap does not
// hide the problem.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { startServer } = require('../lib/server');
const { stopServer } = require('../lib/http');

const servers = [];
after(async () => { for (const s of servers) await stopServer(s); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The soft limit of open files of this process (node cannot raise it).
function openFilesLimit() {
  try {
    const m = fs.readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+|unlimited)/m);
    return m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
  } catch {
    return 1024;
  }
}

// A connection from `from` that sends a request line and then, each time
// poke() is called, one more header line: its head is never complete.
function slowConnection(port, from, onClose) {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress: from });
  const conn = { sock, open: false, closedAt: 0, openedAt: Date.now(), lines: 0 };
  sock.setNoDelay(true);
  sock.on('connect', () => {
    conn.open = true;
    sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  });
  sock.on('error', () => {});
  sock.on('close', () => {
    const wasOpen = conn.open;
    conn.open = false;
    conn.closedAt = Date.now();
    if (onClose) onClose(conn, wasOpen);
  });
  conn.poke = () => {
    if (conn.open) sock.write(`X-Slow-${conn.lines++}: ${'a'.repeat(8)}\r\n`);
  };
  return conn;
}

// A connection from `from` that sends nothing at all.
function silentConnection(port, from) {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress: from });
  const conn = { sock, open: false, closedAt: 0 };
  sock.on('connect', () => { conn.open = true; });
  sock.on('error', () => {});
  sock.on('close', () => { conn.open = false; conn.closedAt = Date.now(); });
  return new Promise((resolve) => {
    sock.once('connect', () => resolve(conn));
    sock.once('error', () => resolve(conn));
  });
}

// One GET; resolves with the status, or 0 when it failed or took longer than timeout ms.
function get(port, path, { agent = false, timeout = 2000 } = {}) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status) => { if (!done) { done = true; clearTimeout(timer); resolve(status); } };
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers: agent ? {} : { Connection: 'close' } },
      (res) => { res.resume(); res.on('end', () => finish(res.statusCode)); res.on('error', () => finish(0)); });
    const timer = setTimeout(() => { finish(0); req.destroy(); }, timeout);
    req.on('error', () => finish(0));
    req.end();
  });
}

// A raw keep-alive connection: requests one after another on one socket.
function keptAlive(port) {
  const sock = net.connect(port, '127.0.0.1');
  let buf = Buffer.alloc(0);
  let waiting = null;
  const state = { closed: false };
  const tryParse = () => {
    if (!waiting) return;
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buf.subarray(0, end).toString('latin1');
    const m = head.match(/content-length:\s*(\d+)/i);
    const len = m ? Number(m[1]) : 0;
    if (buf.length < end + 4 + len) return;
    buf = buf.subarray(end + 4 + len);
    const w = waiting;
    waiting = null;
    w(Number(head.slice(9, 12)));
  };
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); tryParse(); });
  sock.on('error', () => {});
  sock.on('close', () => { state.closed = true; if (waiting) { const w = waiting; waiting = null; w(0); } });
  return {
    state,
    ready: new Promise((resolve) => sock.once('connect', resolve)),
    request(path) {
      if (state.closed) return Promise.resolve(0);
      return new Promise((resolve) => {
        waiting = resolve;
        sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      });
    },
    close() { sock.destroy(); },
  };
}

test('a request head that takes too long is closed; a kept-alive idle connection keeps the idle timeout', async () => {
  const server = await startServer({ env: { UNBOX_HEADER_TIMEOUT: '2', UNBOX_IDLE_TIMEOUT: '30' } });
  servers.push(server);

  const idle = keptAlive(server.port);
  await idle.ready;
  assert.equal(await idle.request('/healthz'), 200);

  const slow = slowConnection(server.port, '127.0.0.2');
  const poker = setInterval(() => slow.poke(), 400);
  try {
    await sleep(5000);
  } finally {
    clearInterval(poker);
  }
  assert.ok(slow.closedAt > 0, 'a head still incomplete after 5 s is closed (deadline 2 s, a line every 0.4 s)');
  const lived = slow.closedAt - slow.openedAt;
  assert.ok(lived >= 1500 && lived <= 4500, `closed after ${lived} ms (deadline 2 s)`);
  assert.ok(slow.lines >= 3, 'it did send header lines meanwhile');

  // idle for 5 s, longer than the head's deadline: still there, and it answers
  assert.equal(idle.state.closed, false, 'an idle kept-alive connection is not held to the head deadline');
  assert.equal(await idle.request('/healthz'), 200);
  idle.close();
});

test('near the connection cap the longest-idle connections are dropped first', async () => {
  const server = await startServer({ env: { UNBOX_MAX_CONNECTIONS: '100', UNBOX_HEADER_TIMEOUT: '60' } });
  servers.push(server);

  // a kept-alive connection opened first but used all along
  const busy = keptAlive(server.port);
  await busy.ready;
  let busyFailed = 0;
  const user = setInterval(async () => { if ((await busy.request('/healthz')) !== 200) busyFailed++; }, 100);

  // 150 silent connections (50 per address, under the per-address cap), oldest first
  const silent = [];
  try {
    for (let i = 0; i < 150; i++) {
      silent.push(await silentConnection(server.port, `127.0.0.${2 + (i % 3)}`));
      await sleep(10);
    }
    await sleep(500);
    // a new visitor gets in
    for (let i = 0; i < 5; i++) assert.equal(await get(server.port, '/healthz'), 200, 'a new visitor is answered');
  } finally {
    clearInterval(user);
  }
  await sleep(200);
  const open = silent.map((c) => c.open);
  const dropped = open.filter((o) => !o).length;
  assert.ok(dropped >= 50, `at least 50 of 150 idle connections are dropped at a cap of 100 (${dropped})`);
  // the oldest went: the first 30 are closed, the last 30 still open
  assert.deepEqual(open.slice(0, 30), new Array(30).fill(false), 'the longest-idle connections went first');
  assert.deepEqual(open.slice(-30), new Array(30).fill(true), 'the newest connections are kept');
  assert.equal(busy.state.closed, false, 'a connection in use is not dropped, however old');
  assert.equal(busyFailed, 0);
  busy.close();
  for (const c of silent) c.sock.destroy();
});

test('thousands of slow connections from 70 addresses: a visitor is still answered', async () => {
  const PER_ADDRESS = 60;                    // under the default per-address cap of 64
  const limit = openFilesLimit();
  const addresses = Math.max(1, Math.min(70, Math.floor((limit - 300) / PER_ADDRESS)));
  if (addresses < 70) console.log(`# open files limited to ${limit}: ${addresses * PER_ADDRESS} slow connections`);
  const server = await startServer({ env: { UNBOX_ACCESS_LOG: '0' } });
  servers.push(server);
  assert.equal(await get(server.port, '/'), 200);

  let flooding = true;
  const stats = { opened: 0, closedByServer: 0, peakOpen: 0 };
  const conns = [];
  const open = () => conns.reduce((n, c) => n + (c.open ? 1 : 0), 0);
  // a dropped slow connection comes back at once, as an attacker's would
  const reconnect = (conn, wasOpen) => {
    if (!flooding) return;
    if (wasOpen) stats.closedByServer++;
    setTimeout(() => {
      if (!flooding) return;
      const i = conns.indexOf(conn);
      const again = slowConnection(server.port, conn.from, reconnect);
      again.from = conn.from;
      stats.opened++;
      if (i >= 0) conns[i] = again;
    }, 20 + Math.random() * 100);
  };
  for (let a = 0; a < addresses; a++) {
    for (let k = 0; k < PER_ADDRESS; k++) {
      const from = `127.0.0.${2 + a}`;
      const c = slowConnection(server.port, from, reconnect);
      c.from = from;
      conns.push(c);
      stats.opened++;
    }
    if (a % 5 === 4) await sleep(50);
  }
  // each holds its connection open with a header line every 2 s or so
  let tick = 0;
  const poker = setInterval(() => {
    for (let i = tick % 10; i < conns.length; i += 10) conns[i].poke();
    tick++;
    stats.peakOpen = Math.max(stats.peakOpen, open());
  }, 200);
  await sleep(2000);

  // meanwhile two visitors ask a page every 100 ms: one on a new connection each
  // time, one on a kept-alive connection
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const results = { fresh: [], kept: [] };
  const pending = [];
  const started = Date.now();
  while (Date.now() - started < 20000) {
    pending.push(get(server.port, '/').then((s) => results.fresh.push(s)));
    pending.push(get(server.port, '/ideas', { agent }).then((s) => results.kept.push(s)));
    await sleep(100);
  }
  await Promise.all(pending);
  flooding = false;
  clearInterval(poker);
  for (const c of conns) c.sock.destroy();
  agent.destroy();

  const rate = (list) => list.filter((s) => s === 200).length / list.length;
  const summary = `fresh ${results.fresh.filter((s) => s === 200).length}/${results.fresh.length}, ` +
    `kept-alive ${results.kept.filter((s) => s === 200).length}/${results.kept.length}, ` +
    `slow connections opened ${stats.opened}, peak open ${stats.peakOpen}, closed by the server ${stats.closedByServer}`;
  console.log(`# ${summary}`);
  assert.ok(stats.peakOpen >= addresses * PER_ADDRESS * 0.8, `the flood held its connections (${summary})`);
  assert.ok(rate(results.fresh) >= 0.99, `a new visitor is answered within 2 s (${summary})`);
  assert.ok(rate(results.kept) >= 0.99, `a kept-alive visitor is answered within 2 s (${summary})`);

  // and afterwards everything is as before
  await sleep(300);
  assert.equal(await get(server.port, '/'), 200);
});
