// Behind a reverse proxy the visitor's address comes from X-Forwarded-For,
// but only when the peer is a trusted proxy: otherwise the header is ignored,
// so it cannot be used to dodge the per-client login limit.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { Client, stopServer } = require('../lib/http');

const servers = [];
after(async () => { for (const s of servers) await stopServer(s); });

const LIMIT_PER_CLIENT = 30;   /* LOGIN_LIMIT_IP in src/domain/account.h */

// One failed login with the given X-Forwarded-For; a new address each time,
// so only the per-client limit can trigger.
async function failLogin(c, n, xff) {
  const csrf = await c.apiCsrf();
  return c.postJson('/api/v1/login', { email: `nobody${n}@example.org`, password: 'wrong password 12' },
    { csrf, headers: { 'X-Forwarded-For': xff } });
}

async function exhaust(c, xffOf) {
  for (let i = 0; i < LIMIT_PER_CLIENT; i += 5) {
    const batch = [];
    for (let k = i; k < i + 5; k++) batch.push(failLogin(c, k, xffOf(k)));
    for (const res of await Promise.all(batch)) assert.equal(res.status, 401, res.bodyText);
  }
}

test('a trusted proxy: the limit counts the forwarded visitor address', async () => {
  const server = await startServer({ env: { UNBOX_TRUSTED_PROXIES: '127.0.0.1' } });
  servers.push(server);
  const c = new Client(server.url);
  await exhaust(c, () => '198.51.100.1, 203.0.113.7');      // the proxy appended 203.0.113.7
  const blocked = await failLogin(c, 100, '203.0.113.7');
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  // another visitor behind the same proxy is not affected
  const other = await failLogin(c, 101, '203.0.113.8');
  assert.equal(other.status, 401);
});

test('without trusted proxies X-Forwarded-For is ignored and cannot dodge the limit', async () => {
  const server = await startServer();
  servers.push(server);
  const c = new Client(server.url);
  await exhaust(c, (k) => `192.0.2.${k + 1}`);               // a different forged address each time
  const res = await failLogin(c, 200, '192.0.2.250');
  assert.equal(res.status, 429, 'all attempts came from 127.0.0.1');
});
