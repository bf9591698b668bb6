// unbox seed --demo reads the demo content from data/demo/demo.json: each
// idea names its cycle by number. A number the file has no cycle for is
// refused with a message (no crash), and cycle numbers of any size keep
// their ideas apart.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, testDsn, bin, root } = require('../lib/server');
const { Client, stopServer } = require('../lib/http');

const demo = JSON.parse(fs.readFileSync(path.join(root, 'data', 'demo', 'demo.json'), 'utf8'));
const dirs = [];
const servers = [];
after(async () => {
  for (const s of servers) await stopServer(s);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

// A data directory with Cologne's boundaries, the given demo content and the portal's, and a migrated database.
function setup(content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-seed-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'data', 'demo'), { recursive: true });
  fs.symlinkSync(path.join(root, 'data', 'koeln'), path.join(dir, 'data', 'koeln'));
  fs.writeFileSync(path.join(dir, 'data', 'demo', 'demo.json'), JSON.stringify(content));
  for (const f of fs.readdirSync(path.join(root, 'data', 'demo')).filter((f) => f !== 'demo.json')) {
    fs.symlinkSync(path.join(root, 'data', 'demo', f), path.join(dir, 'data', 'demo', f));   // the portal's texts
  }
  const env = { ...process.env, UNBOX_DB: testDsn(dir), UNBOX_DATA: path.join(dir, 'data') };
  const m = spawnSync(bin, ['migrate'], { cwd: root, env, encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  return env;
}

const seed = (env) => spawnSync(bin, ['seed', '--demo'], { cwd: root, env, encoding: 'utf8' });

test('an idea that names a cycle the demo content does not have is refused, without a crash', () => {
  const content = structuredClone(demo);
  const numbers = content.cycles.map((c) => c.number);
  const missing = [5, 6, 7, 2, 3].find((n) => !numbers.includes(n));
  content.ideas[0].cycle = missing;
  const env = setup(content);
  const r = seed(env);
  assert.equal(r.signal, null, `no crash: ${r.stderr}`);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`cycle ${missing}`), r.stderr);
  assert.match(r.stderr, /nothing was changed/);

  content.ideas[0].cycle = -1;
  const again = seed(setup(content));
  assert.equal(again.signal, null, `no crash: ${again.stderr}`);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /cycle -1/);
});

test('cycle numbers of any size keep their ideas apart (9 is not 1)', async () => {
  const content = structuredClone(demo);
  const last = content.cycles[content.cycles.length - 1];
  content.cycles.push({ ...structuredClone(last), number: 9 });
  content.ideas.push({ ...structuredClone(content.ideas[0]), title: 'Eine Idee der Runde neun', cycle: 9 });
  const env = setup(content);
  const r = seed(env);
  assert.equal(r.status, 0, r.stderr);

  const server = await startServer({ dsn: env.UNBOX_DB, migrate: false });
  servers.push(server);
  const c = new Client(server.url);
  const inCycle = async (n) => (await c.getJson(`/api/v1/ideas?cycle=${n}&limit=100`)).data.items.map((i) => i.title);
  for (const n of content.cycles.map((cy) => cy.number)) {
    const expected = content.ideas.filter((i) => i.cycle === n).map((i) => i.title).sort();
    assert.deepEqual((await inCycle(n)).sort(), expected, `the ideas of cycle ${n}`);
  }
});
