// When the database goes away the server answers 503 (after one reconnect
// attempt) instead of hanging or crashing, and recovers by itself when the
// database is back. Runs with PostgreSQL, on a cluster of its own.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, root } = require('../lib/server');
const { Client, stopServer } = require('../lib/http');

const skip = process.env.UNBOX_TEST_PG ? false : 'needs PostgreSQL (UNBOX_TEST_PG)';
const pgtmp = path.join(root, 'scripts', 'pgtmp');
let cluster, server;

before(async () => {
  if (skip) return;
  cluster = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-outage-'));
  const dsn = execFileSync(pgtmp, ['start', cluster]).toString().trim();
  const env = { ...process.env, UNBOX_DB: dsn };
  const bin = path.resolve(root, process.env.UNBOX_BIN || 'build/unbox');
  execFileSync(bin, ['migrate'], { cwd: root, env, stdio: 'pipe' });
  execFileSync(bin, ['seed', '--demo'], { cwd: root, env, stdio: 'pipe' });
  // no page cache: every request below must really reach the database
  server = await startServer({ dsn, env: { UNBOX_PAGE_CACHE: '0' } });
});

after(async () => {
  if (server) await stopServer(server);
  if (cluster) execFileSync(pgtmp, ['stop', cluster]);
});

test('database down: 503 with the error envelope; back up: answers again', { skip }, async () => {
  const c = new Client(server.url);
  assert.equal((await c.getJson('/api/v1/ideas')).status, 200);

  execFileSync(pgtmp, ['pause', cluster]);
  const down = await c.getJson('/api/v1/ideas');
  assert.equal(down.status, 503);
  assert.equal(down.data.error.code, 'database_unavailable');
  assert.equal(down.data.error.message, 'Der Dienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.');
  const page = await c.get('/ideas', { headers: { 'Accept-Language': 'en' } });
  assert.equal(page.status, 503);
  // a page in the layout, in the visitor's language, never a bare text
  assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  assert.ok(page.bodyText.includes('class="site-header"'), page.bodyText.slice(0, 300));
  assert.ok(page.bodyText.includes('The service is briefly unavailable. Please try again in a moment.'));
  // the health check does not need the database
  assert.equal((await c.get('/healthz')).status, 200);

  execFileSync(pgtmp, ['resume', cluster]);
  let back;
  for (let i = 0; i < 50; i++) {
    back = await c.getJson('/api/v1/ideas');
    if (back.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(back.status, 200);
  assert.ok(back.data.items.length > 0);
});
