// Moving a city's data and backups: `unbox copy` from SQLite to PostgreSQL
// and back (every row, nothing twice, sequences moved past the copied ids),
// and `unbox backup` of a SQLite database while the server keeps writing.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, bin, root } = require('../lib/server');
const { Client, validIdea, stopServer, demo } = require('../lib/http');

// The servers here run on SQLite unless a test says otherwise; PostgreSQL
// databases are made explicitly, in $UNBOX_TEST_PG's cluster or our own.
const sharedCluster = process.env.UNBOX_TEST_PG || '';
delete process.env.UNBOX_TEST_PG;

const pgtmp = path.join(root, 'scripts', 'pgtmp');
const TOKEN_RE = /\/confirm\?token=([A-Za-z0-9_-]{43})/;
const SANITIZER_RE = /(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: \w+Sanitizer)/;

// The tables in the order `unbox copy` knows them, with their keys.
const TABLES = [
  ['users', 'id'], ['sessions', 'id'], ['email_tokens', 'token_hash'], ['email_changes', 'id'], ['throttle', 'key'],
  ['outbox', 'id'], ['audit', 'id'], ['stadtbezirke', 'nr'], ['stadtteile', 'nr'], ['fields', 'id'],
  ['cycles', 'id'], ['ideas', 'id'], ['comments', 'id'], ['zielbilder', 'id'], ['idea_zielbilder', 'id'], ['co_authors', 'id'],
  ['idea_status_history', 'id'], ['idea_versions', 'id'], ['campaigns', 'id'],
  ['idea_supports', 'id'], ['follows', 'id'], ['notifications', 'id'],
  ['reports', 'id'],
  ['attachments', 'id'], ['attachment_counts', 'id'],
  ['info_texts', 'id'], ['site_settings', 'key'],
  ['content_version', 'id'],
];

let cluster = sharedCluster;
let ownCluster = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-copy-'));
const servers = [];

before(() => {
  if (!cluster) {
    ownCluster = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-copy-pg-'));
    execFileSync(pgtmp, ['start', ownCluster], { stdio: 'pipe' });
    cluster = ownCluster;
  }
});

after(async () => {
  for (const s of servers.splice(0)) await stopServer(s);
  if (ownCluster) execFileSync(pgtmp, ['stop', ownCluster], { stdio: 'pipe' });
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Runs the program; resolves with { code, signal, stdout, stderr }.
function unbox(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const out = stdout + stderr;
      const i = out.search(SANITIZER_RE);
      assert.equal(i, -1, `sanitizer report from unbox ${args[0]}:\n${out.slice(Math.max(0, i - 200), i + 4000)}`);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function unboxOk(args) {
  const r = await unbox(args);
  assert.equal(r.code, 0, `unbox ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

function createPgDb() {
  const name = 'unbox_copy_' + crypto.randomBytes(6).toString('hex');
  return execFileSync(pgtmp, ['createdb', cluster, name]).toString().trim();
}

const sqliteFile = (dsn) => dsn.slice('sqlite:'.length);
const isPg = (dsn) => dsn.startsWith('postgres');

function psql(dsn, sql) {
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', sql],
    { maxBuffer: 256 << 20 }).toString().trim();
}

function sqlite(file, sql, mode = []) {
  return execFileSync('sqlite3', [...mode, file, sql], { maxBuffer: 256 << 20 }).toString().trim();
}

function countRows(dsn, table) {
  const sql = `SELECT COUNT(*) FROM "${table}"`;
  return Number(isPg(dsn) ? psql(dsn, sql) : sqlite(sqliteFile(dsn), sql));
}

// Every row of a table as plain JSON values, sorted by key. The generated
// search columns of PostgreSQL are left out: they are computed from the others.
function tableRows(dsn, table, key) {
  let rows;
  if (isPg(dsn)) {
    rows = JSON.parse(psql(dsn, `SELECT COALESCE(json_agg(to_jsonb(t) - ARRAY['search', 'search_title', 'search_lead']), '[]') FROM "${table}" t`));
  } else {
    const out = sqlite(sqliteFile(dsn), `SELECT * FROM "${table}"`, ['-json']);
    rows = out ? JSON.parse(out) : [];
  }
  const k = (r) => String(r[key]);
  return rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

// Every table holds the same rows in both databases. content_version is a
// counter for the page caches of each database: only its row is compared.
function assertSameRows(a, b) {
  for (const [table, key] of TABLES) {
    const ra = tableRows(a, table, key);
    const rb = tableRows(b, table, key);
    assert.equal(ra.length, rb.length, `${table}: row count`);
    assert.equal(countRows(a, table), countRows(b, table), `${table}: COUNT(*)`);
    if (table === 'content_version') continue;
    assert.deepEqual(rb, ra, `${table}: rows`);
  }
}

// Lines "table  N in the source: C copied, P already there; ..." as
// { table: { source, copied, present } }.
function copyReport(stdout) {
  const out = {};
  const re = /^(\w+)\s+(\d+) in the source: (\d+) copied, (\d+) already there; (\d+) of (\d+) keys in the target$/gm;
  let m;
  while ((m = re.exec(stdout))) {
    assert.equal(m[5], m[6], `${m[1]}: every key checked is in the target`);
    out[m[1]] = { source: Number(m[2]), copied: Number(m[3]), present: Number(m[4]) };
  }
  return out;
}

// The whole idea list through the API, page by page.
async function allIdeas(url) {
  const c = new Client(url);
  const items = [];
  let next = '/api/v1/ideas?limit=100';
  for (let pages = 0; next; pages++) {
    assert.ok(pages < 200, 'too many pages');
    const res = await c.getJson(next);
    assert.equal(res.status, 200, next);
    items.push(...res.data.items);
    next = res.data.paging.next;
  }
  return items;
}

// A server on an existing database (migrated, not seeded again).
async function serveOn(dsn) {
  const s = await startServer({ seed: false, env: { UNBOX_DB: dsn } });
  servers.push(s);
  return s;
}

async function stop(s) {
  servers.splice(servers.indexOf(s), 1);
  await stopServer(s);
}

// Registers, confirms and logs in a new resident through the JSON API.
async function newResident(server, email) {
  const c = new Client(server.url);
  const anon = await c.apiCsrf();
  const from = server.log().length;
  const password = 'ein Passwort zum Umziehen';
  let res = await c.postJson('/api/v1/register', { email, name: 'Umzug Test', password }, { csrf: anon });
  assert.equal(res.status, 202, res.bodyText);
  const token = (await server.waitForLog(TOKEN_RE, { from }))[1];
  res = await c.postJson('/api/v1/confirm', { token }, { csrf: anon });
  assert.equal(res.status, 200, res.bodyText);
  res = await c.postJson('/api/v1/login', { email, password }, { csrf: anon });
  assert.equal(res.status, 200, res.bodyText);
  return { client: c, csrf: res.data.csrf };
}

async function submitIdea(client, csrf, title) {
  const res = await client.postJson('/api/v1/ideas', validIdea({ title, stadtteil: 101 }), { csrf });
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

// Shared by the copy tests: the demo database on SQLite and its copy on PostgreSQL.
const state = {};

test('copy: the demo SQLite database to PostgreSQL, row by row, twice without duplicates; new ids are fresh', async () => {
  const source = await startServer();
  servers.push(source);
  const { client, csrf } = await newResident(source, 'umzug@example.org');
  const ideaId = await submitIdea(client, csrf, 'Eine Idee vor dem Umzug');
  const fd = new FormData();
  fd.append('_csrf', csrf);
  fd.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'plan.pdf');
  const att = await client.request(`/ideas/${ideaId}/attachments`, { method: 'POST', body: fd, accept: 'application/json' });
  assert.equal(att.status, 201, att.bodyText);

  const pg = createPgDb();
  let r = await unboxOk(['copy', '--from', source.dsn, '--to', pg]);
  assert.match(r.stdout, /copying from sqlite to postgres/);
  assert.match(r.stdout, /target: applied \d+ migrations/);
  let report = copyReport(r.stdout);
  assert.deepEqual(Object.keys(report), TABLES.map(([t]) => t), r.stdout);
  for (const [table] of TABLES) {
    const { source: n, copied, present } = report[table];
    assert.equal(n, countRows(source.dsn, table), table);
    // the migrations put the one content_version row in place already
    assert.equal(copied, table === 'content_version' ? 0 : n, table);
    assert.equal(present, table === 'content_version' ? 1 : 0, table);
  }
  for (const table of ['users', 'sessions', 'email_tokens', 'outbox', 'stadtteile', 'ideas', 'attachments',
    'attachment_counts', 'info_texts', 'site_settings'])
    assert.ok(report[table].source > 0, `${table} has rows to copy`);
  assert.match(r.stdout, /^done: \d+ rows copied, 1 already there$/m);
  assertSameRows(source.dsn, pg);
  // NULLs stay NULL (not empty strings)
  const nulls = "SELECT COUNT(*) FROM users WHERE blocked_at IS NULL";
  assert.equal(psql(pg, nulls), sqlite(sqliteFile(source.dsn), nulls));
  assert.ok(Number(psql(pg, nulls)) > 0);

  // a server on the copy serves the same ideas
  const target = await serveOn(pg);
  const ideasBefore = await allIdeas(source.url);
  assert.deepEqual(await allIdeas(target.url), ideasBefore);
  const anon = new Client(target.url);
  const orig = await new Client(source.url).getJson(`/api/v1/ideas/${ideaId}`);
  const copy = await anon.getJson(`/api/v1/ideas/${ideaId}`);
  assert.equal(copy.status, 200);
  assert.deepEqual(copy.data, orig.data);

  // again: everything is there already, nothing is duplicated
  r = await unboxOk(['copy', '--from', source.dsn, '--to', pg]);
  report = copyReport(r.stdout);
  for (const [table] of TABLES) {
    assert.equal(report[table].copied, 0, table);
    assert.equal(report[table].present, report[table].source, table);
  }
  assertSameRows(source.dsn, pg);

  // the session came along: the same cookies work on the copy, and a new idea
  // gets an id past the copied ones (the identity sequence was moved)
  const moved = new Client(target.url);
  moved.jar = new Map(client.jar);
  const maxId = Math.max(...ideasBefore.map((i) => i.id));
  const csrfThere = await moved.apiCsrf();
  assert.equal(csrfThere, csrf);
  const newId = await submitIdea(moved, csrfThere, 'Die erste Idee nach dem Umzug');
  assert.ok(newId > maxId, `new id ${newId} after ${maxId}`);
  const ideasAfter = await allIdeas(target.url);
  assert.equal(ideasAfter.length, ideasBefore.length + 1);
  assert.equal(ideasAfter[0].id, newId);
  // and every other sequence is past its table's ids as well
  for (const [table, key] of TABLES) {
    const seq = psql(pg, `SELECT pg_get_serial_sequence('${table}', '${key}')`);
    if (!seq) continue;
    const ok = psql(pg, `SELECT COALESCE(pg_sequence_last_value('${seq}'), 0) >= COALESCE(MAX("${key}"), 0) FROM "${table}"`);
    assert.equal(ok, 't', `${table}: sequence ${seq} is behind`);
  }
  state.source = source;
  state.pg = pg;
  state.target = target;
  state.newId = newId;
});

test('copy: PostgreSQL back to a new SQLite file', async () => {
  assert.ok(state.pg, 'needs the PostgreSQL copy of the test before');
  const file = path.join(tmp, 'back.db');
  const dsn = 'sqlite:' + file;
  let r = await unboxOk(['copy', '--from', state.pg, '--to', dsn]);
  assert.match(r.stdout, /copying from postgres to sqlite/);
  let report = copyReport(r.stdout);
  assert.equal(report.ideas.copied, countRows(state.pg, 'ideas'));
  assertSameRows(state.pg, dsn);
  assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');

  r = await unboxOk(['copy', '--from', state.pg, '--to', dsn]);
  report = copyReport(r.stdout);
  for (const [table] of TABLES) assert.equal(report[table].copied, 0, table);
  assertSameRows(state.pg, dsn);

  const back = await serveOn(dsn);
  assert.deepEqual(await allIdeas(back.url), await allIdeas(state.target.url));
  const idea = await new Client(back.url).getJson(`/api/v1/ideas/${state.newId}`);
  assert.equal(idea.status, 200);
  assert.equal(idea.data.title, 'Die erste Idee nach dem Umzug');
  await stop(back);
  await stop(state.target);
  await stop(state.source);
});

test('copy: refuses tables it does not know, nothing copied; --help; usage errors', async () => {
  const dsn = 'sqlite:' + path.join(tmp, 'odd.db');
  await unboxOk(['migrate', '--db', dsn]);
  sqlite(sqliteFile(dsn), 'CREATE TABLE petitions (id INTEGER PRIMARY KEY, title TEXT)');
  const target = 'sqlite:' + path.join(tmp, 'odd-target.db');
  const r = await unbox(['copy', '--from', dsn, '--to', target]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /the source has tables 'unbox copy' does not know: petitions/);
  assert.equal(sqlite(sqliteFile(target), "SELECT COUNT(*) FROM sqlite_master"), '0', 'the target was not touched');

  const help = await unbox(['copy', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: unbox copy \[--from DSN\] --to DSN/);
  assert.equal((await unbox(['copy', '--from', dsn])).code, 2);
  assert.equal((await unbox(['copy', '--from', dsn, '--to', dsn])).code, 2);
  assert.equal((await unbox(['copy', '--to', target, '--bogus'])).code, 2);
});

test('backup: while the server keeps writing, the copy is consistent and serves', async () => {
  // a database of a few thousand pages, so the backup takes several steps
  const dir = fs.mkdtempSync(path.join(tmp, 'live-'));
  const dsn = 'sqlite:' + path.join(dir, 'live.db');
  await unboxOk(['migrate', '--db', dsn]);
  await unboxOk(['seed', '--demo', '--ideas', '3000', '--db', dsn]);
  const server = await serveOn(dsn);
  const c = new Client(server.url);
  const login = await c.postJson('/api/v1/login', demo('resident'), { csrf: await c.apiCsrf() });
  assert.equal(login.status, 200, login.bodyText);
  const csrf = login.data.csrf;

  let writing = true;
  let written = 0;
  const failures = [];
  const writer = (async () => {
    while (writing) {
      const res = await c.postJson('/api/v1/ideas', validIdea({ title: `Während der Sicherung ${written + 1}`, stadtteil: 101 }), { csrf });
      if (res.status === 201) written++;
      else failures.push(`${res.status} ${res.bodyText.slice(0, 200)}`);
    }
  })();
  while (written < 3 && !failures.length) await new Promise((res) => setTimeout(res, 5));
  const countBefore = Number(sqlite(sqliteFile(dsn), 'SELECT COUNT(*) FROM ideas'));
  const writtenBefore = written;
  const file = path.join(dir, 'backup.db');
  const r = await unboxOk(['backup', '--db', dsn, '--to', file]);
  writing = false;
  await writer;
  assert.deepEqual(failures, [], 'every write during the backup went through');
  assert.ok(written >= writtenBefore && written >= 3);
  assert.match(r.stderr, /^backup: 100% \((\d+) of \1 pages\)$/m);
  assert.match(r.stdout, /^backup written to .*backup\.db \(\d+ pages, \d+ bytes\)$/m);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('backup.db')), ['backup.db'], 'no leftovers');

  assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');
  const held = Number(sqlite(file, 'SELECT COUNT(*) FROM ideas'));
  assert.ok(held >= countBefore, `the backup holds ${held} ideas, ${countBefore} were there before`);
  const live = Number(sqlite(sqliteFile(dsn), 'SELECT COUNT(*) FROM ideas'));
  assert.ok(held <= live);

  // a second server on the backup serves exactly the ideas it holds, the
  // same as the live server does
  const copy = await serveOn('sqlite:' + file);
  const items = await allIdeas(copy.url);
  assert.equal(items.length, held);
  assert.equal(new Set(items.map((i) => i.id)).size, held);
  const ids = sqlite(file, 'SELECT id FROM ideas ORDER BY id DESC LIMIT 5').split('\n').map(Number);
  for (const id of ids) {
    const a = await new Client(copy.url).getJson(`/api/v1/ideas/${id}`);
    const b = await new Client(server.url).getJson(`/api/v1/ideas/${id}`);
    assert.equal(a.status, 200);
    assert.deepEqual(a.data, b.data);
  }
  await stop(copy);
  await stop(server);
});

test('backup: refuses an existing file without --force; --help; PostgreSQL points to pg_dump', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'bk-'));
  const dsn = 'sqlite:' + path.join(dir, 'db.db');
  await unboxOk(['migrate', '--db', dsn]);
  const file = path.join(dir, 'exists.db');
  fs.writeFileSync(file, 'keep me');
  let r = await unbox(['backup', '--db', dsn, '--to', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /exists; say --force to replace it/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');

  r = await unboxOk(['backup', '--db', dsn, '--to', file, '--force']);
  assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sqlite(file, 'SELECT COUNT(*) FROM content_version'), '1');

  r = await unbox(['backup', '--db', dsn, '--to', sqliteFile(dsn), '--force']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is the database itself/);

  r = await unbox(['backup', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: unbox backup --to FILE \[--force\] \[--db DSN\]/);
  assert.match(r.stdout, /pg_dump/);
  assert.equal((await unbox(['backup', '--db', dsn])).code, 2);

  const pgFile = path.join(dir, 'pg.db');
  r = await unbox(['backup', '--db', createPgDb(), '--to', pgFile]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /pg_dump/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('pg.db')), [], 'nothing written');
});
