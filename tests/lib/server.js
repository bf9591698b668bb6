// Starts the real unbox binary for a test: a fresh SQLite file in a temporary
// directory, migrated and seeded with the demo content, served on a free port.
// The binary comes from $UNBOX_BIN (default build/unbox).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.join(__dirname, '..', '..');
const bin = process.env.UNBOX_BIN ? path.resolve(root, process.env.UNBOX_BIN) : path.join(root, 'build', 'unbox');

// A fresh database: a SQLite file in dir, or, when $UNBOX_TEST_PG names a
// cluster made by scripts/pgtmp, a new PostgreSQL database in it.
function testDsn(dir) {
  const cluster = process.env.UNBOX_TEST_PG;
  if (!cluster) return 'sqlite:' + path.join(dir, 'unbox.db');
  const name = 'unbox_' + crypto.randomBytes(6).toString('hex');
  return execFileSync(path.join(root, 'scripts', 'pgtmp'), ['createdb', cluster, name]).toString().trim();
}

// Options: seed (demo content, default true); env and args for the server;
// dsn: serve this existing database instead of a fresh one (several
// instances on one database); migrate: run migrate (and seed) first, by
// default only for a fresh database.
async function startServer({ seed = true, env = {}, args = [], dsn: givenDsn, migrate } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-test-'));
  const dsn = givenDsn || testDsn(dir);
  const baseEnv = { ...process.env, UNBOX_DB: dsn, UNBOX_DEMO: '1', UNBOX_FILES_DIR: path.join(dir, 'files'), ...env };
  if (migrate === undefined ? !givenDsn : migrate) {
    execFileSync(bin, ['migrate'], { cwd: root, env: baseEnv, stdio: 'pipe' });
    if (seed) execFileSync(bin, ['seed', '--demo'], { cwd: root, env: baseEnv, stdio: 'pipe' });
  }
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', ...args], { cwd: root, env: baseEnv });
  let log = '';
  const waiters = [];
  const onData = (chunk) => {
    log += chunk.toString();
    for (const w of [...waiters]) {
      const m = log.slice(w.from).match(w.re);
      if (m) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Resolves once the process has exited and its output has been read to the end.
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));

  // Resolves with the first match of re in the log written after `from`.
  function waitForLog(re, { from = 0, timeout = 10000 } = {}) {
    const m = log.slice(from).match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const w = { re, from, resolve };
      waiters.push(w);
      setTimeout(() => {
        if (waiters.includes(w)) {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out waiting for ${re} in server log:\n${log.slice(-2000)}`));
        }
      }, timeout).unref();
    });
  }

  const m = await Promise.race([
    waitForLog(/serving on http:\/\/127\.0\.0\.1:(\d+)\//),
    closed.then((e) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`server exited early (${JSON.stringify(e)}):\n${log}`);
    }),
  ]);
  const port = Number(m[1]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    dsn,
    bin,
    root,
    log: () => log,
    waitForLog,
    exited,
    closed,
    pid: child.pid,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const e = await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      return e;
    },
  };
}

module.exports = { startServer, testDsn, bin, root };
