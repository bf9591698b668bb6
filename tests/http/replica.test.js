// Read replicas: with a streaming replica next to the primary, reads go to the
// replica unless the visitor wrote in the last few seconds (read-your-writes);
// writes always go to the primary; a replica that is down is skipped.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, testDsn, root } = require('../lib/server');
const { Client, validIdea, stopServer } = require('../lib/http');

const cluster = process.env.UNBOX_TEST_PG;
const skip = cluster ? false : 'needs PostgreSQL (UNBOX_TEST_PG)';
const pgtmp = path.join(root, 'scripts', 'pgtmp');

let server, replicaDir, primaryDsn, replicaDsn;

function psql(dsn, sql) {
  return execFileSync('psql', [dsn, '-Atc', sql]).toString().trim();
}

async function waitFor(what, fn, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  if (skip) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-primary-'));
  primaryDsn = testDsn(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, UNBOX_DB: primaryDsn };
  execFileSync(path.join(root, process.env.UNBOX_BIN || 'build/unbox'), ['migrate'], { cwd: root, env, stdio: 'pipe' });
  execFileSync(path.join(root, process.env.UNBOX_BIN || 'build/unbox'), ['seed', '--demo'], { cwd: root, env, stdio: 'pipe' });
  replicaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-replica-'));
  const port = execFileSync(pgtmp, ['replica', cluster, replicaDir]).toString().trim();
  replicaDsn = primaryDsn.replace(/:\d+\//, `:${port}/`);
  // the replica has replayed everything the primary wrote so far
  const lsn = psql(primaryDsn, 'SELECT pg_current_wal_lsn()');
  await waitFor('the replica to catch up', () =>
    psql(replicaDsn, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`) === 't');
  assert.equal(psql(replicaDsn, 'SELECT pg_is_in_recovery()'), 't');
  server = await startServer({ dsn: primaryDsn, env: { UNBOX_DB_REPLICAS: replicaDsn, UNBOX_PAGE_CACHE: '0' } });
});

after(async () => {
  if (server) await stopServer(server);
  if (replicaDir) execFileSync(pgtmp, ['stop', replicaDir]);
});

test('reads come from the replica, except for a visitor who just wrote', { skip }, async () => {
  // hold the replica still: what is written now reaches only the primary
  psql(replicaDsn, 'SELECT pg_wal_replay_pause()');
  try {
    const writer = new Client(server.url);
    assert.equal((await writer.login('resident@demo.unbox.invalid', 'unbox-demo-resident')).status, 303);
    assert.ok(writer.cookie('unbox_rw'), 'a write sets the read-your-writes cookie');
    const csrf = await writer.apiCsrf();          // read from the primary: the session is only there
    const title = 'Replik-Probe: Sitzbänke am Aachener Weiher';
    const created = await writer.postJson('/api/v1/ideas', validIdea({ title }), { csrf });
    assert.equal(created.status, 201, created.bodyText);
    assert.equal(psql(primaryDsn, `SELECT count(*) FROM ideas WHERE title = '${title}'`), '1');
    assert.equal(psql(replicaDsn, `SELECT count(*) FROM ideas WHERE title = '${title}'`), '0');

    // the writer reads its own write (primary) ...
    const own = await writer.getJson('/api/v1/ideas');
    assert.equal(own.data.items[0].title, title);
    assert.equal((await writer.getJson(`/api/v1/ideas/${created.data.id}`)).status, 200);
    // ... everybody else reads from the replica, which has not seen it yet
    const anon = new Client(server.url);
    const stale = await anon.getJson('/api/v1/ideas');
    assert.equal(stale.status, 200);
    assert.notEqual(stale.data.items[0].title, title);
    assert.equal((await anon.getJson(`/api/v1/ideas/${created.data.id}`)).status, 404);
  } finally {
    psql(replicaDsn, 'SELECT pg_wal_replay_resume()');
  }
  // once the replica has replayed, everybody sees it
  const anon = new Client(server.url);
  await waitFor('the replica to show the idea', async () =>
    (await anon.getJson('/api/v1/ideas')).data.items[0].title.startsWith('Replik-Probe'));
});

test('writes go to the primary even without the cookie; a write through the replica would fail', { skip }, async () => {
  const c = new Client(server.url);
  const csrf = await c.apiCsrf();
  // registering is a write: it must land on the primary
  const res = await c.postJson('/api/v1/register',
    { email: 'replica.writer@example.org', name: 'Rhea Replik', password: 'ein langes gutes Passwort' }, { csrf });
  assert.equal(res.status, 202, res.bodyText);
  assert.equal(psql(primaryDsn, "SELECT count(*) FROM users WHERE email = 'replica.writer@example.org'"), '1');
  assert.throws(() => psql(replicaDsn, "INSERT INTO fields (slug, name_de, name_en) VALUES ('x', 'x', 'x')"),
    /read-only transaction/);
});

test('a replica that is down is skipped: the primary answers', { skip }, async () => {
  execFileSync(pgtmp, ['stop', replicaDir]);
  replicaDir = null;
  const anon = new Client(server.url);
  for (let i = 0; i < 5; i++) {
    const res = await anon.getJson('/api/v1/ideas');
    assert.equal(res.status, 200);
    assert.ok(res.data.items[0].title.startsWith('Replik-Probe'));
  }
});
