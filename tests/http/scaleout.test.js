// Horizontal scale-out: two `unbox serve` instances on one PostgreSQL
// database behind nginx, configured from deploy/nginx/unbox.conf. Requests
// reach both instances; sessions, writes and login throttling are shared.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { startServer, bin, root } = require('../lib/server');
const { Client, demo, setCookie, validIdea, stopServer } = require('../lib/http');

const PG = process.env.UNBOX_TEST_PG;
const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const skip = !PG ? 'needs PostgreSQL: set UNBOX_TEST_PG to a cluster made by scripts/pgtmp start DIR'
  : !fs.existsSync(NGINX) ? `needs nginx (${NGINX} not found)` : false;

// One access-log line of an instance: "TIME info METHOD PATH STATUS BYTES DURus".
const ACCESS_RE = /^\S+ info (GET|HEAD|POST) (\S+) (\d{3}) \d+ \d+us$/gm;
const TOKEN_RE = /http:\/\/[^\s/]+(\/confirm\?token=[A-Za-z0-9_-]{43})/;

function accessLines(server, from = 0) {
  return [...server.log().slice(from).matchAll(ACCESS_RE)].map((m) => ({ method: m[1], path: m[2], status: Number(m[3]) }));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dsn;
let inst1;
let inst2;
let nginx;           // { child, prefix, url, exited, log() }
let filesDir;        // the file store both instances share (a shared volume in production)
const children = new Set();
// last resort when the test process ends without the after hook
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch { /* gone */ } });

// Writes the config from the template and runs nginx in the foreground.
async function startNginx(port, upstreams) {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-nginx-'));
  fs.chmodSync(prefix, 0o755);   // the workers run as an unprivileged user and use the temp dirs
  const template = fs.readFileSync(path.join(root, 'deploy', 'nginx', 'unbox.conf'), 'utf8');
  const conf = template
    .replaceAll('@PREFIX@', prefix)
    .replaceAll('@LISTEN_PORT@', String(port))
    .replaceAll('@UPSTREAM_1@', upstreams[0])
    .replaceAll('@UPSTREAM_2@', upstreams[1]);
  assert.doesNotMatch(conf, /@[A-Z_0-9]+@/, 'every placeholder is replaced');
  const file = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(file, conf);
  const argv = ['-p', prefix + '/', '-e', path.join(prefix, 'error.log'), '-c', file, '-g', 'daemon off;'];
  nginx = { prefix };   // removed by stopNginx even when the start fails
  execFileSync(NGINX, [...argv.slice(0, -2), '-t', '-q'], { stdio: 'pipe' });
  const child = spawn(NGINX, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  const log = () => {
    const read = (f) => { try { return fs.readFileSync(path.join(prefix, f), 'utf8'); } catch { return ''; } };
    return `${out}\n--- error.log\n${read('error.log')}`;
  };
  nginx = { child, prefix, url: `http://127.0.0.1:${port}`, exited, log, argv };
  // ready when the health check answers through the proxy
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    if (child.exitCode !== null) break;
    try { ok = (await fetch(`${nginx.url}/healthz`)).status === 200; } catch { await sleep(100); }
  }
  assert.ok(ok, `nginx did not come up:\n${log()}`);
  return nginx;
}

async function stopNginx() {
  if (!nginx) return;
  const n = nginx;
  nginx = undefined;
  if (n.child) {
    if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGQUIT');
    const timer = setTimeout(() => n.child.kill('SIGKILL'), 5000);
    await n.exited;
    clearTimeout(timer);
  }
  fs.rmSync(n.prefix, { recursive: true, force: true });
}

before(async () => {
  if (skip) return;
  // one fresh database, migrated and seeded once, served by two instances
  const name = 'unbox_scale_' + crypto.randomBytes(6).toString('hex');
  dsn = execFileSync(path.join(root, 'scripts', 'pgtmp'), ['createdb', PG, name]).toString().trim();
  const env = { ...process.env, UNBOX_DB: dsn, UNBOX_DEMO: '1' };
  execFileSync(bin, ['migrate'], { cwd: root, env, stdio: 'pipe' });
  execFileSync(bin, ['seed', '--demo'], { cwd: root, env, stdio: 'pipe' });

  const port = await freePort();
  // the public address goes into the e-mail links; every connection to an
  // instance comes from the proxy, so its per-client limit must allow that
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-files-'));
  const instEnv = { UNBOX_BASE_URL: `http://127.0.0.1:${port}`, UNBOX_MAX_CONN_PER_IP: '1024', UNBOX_FILES_DIR: filesDir };
  inst1 = await startServer({ dsn, env: instEnv });
  inst2 = await startServer({ dsn, env: instEnv });
  await startNginx(port, [`127.0.0.1:${inst1.port}`, `127.0.0.1:${inst2.port}`]);
});

after(async () => {
  const errors = [];
  for (const step of [
    () => stopNginx(),
    () => stopServer(inst1),
    () => stopServer(inst2),
  ]) {
    try { await step(); } catch (e) { errors.push(e); }
  }
  inst1 = inst2 = undefined;
  if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
  if (errors.length) throw errors[0];
});

test('requests through nginx reach both instances', { skip }, async () => {
  const from1 = inst1.log().length;
  const from2 = inst2.log().length;
  const c = new Client(nginx.url);
  for (let i = 0; i < 10; i++) {
    const res = await c.getJson('/api/v1/ideas?limit=3');
    assert.equal(res.status, 200);
    assert.equal(res.data.items.length, 3);
  }
  const a = accessLines(inst1, from1).filter((l) => l.path === '/api/v1/ideas');
  const b = accessLines(inst2, from2).filter((l) => l.path === '/api/v1/ideas');
  assert.ok(a.length > 0, `instance 1 served none of the 10 requests:\n${inst1.log().slice(from1)}`);
  assert.ok(b.length > 0, `instance 2 served none of the 10 requests:\n${inst2.log().slice(from2)}`);
  assert.equal(a.length + b.length, 10);

  // the proxy's own access log names both upstreams
  const proxyLog = fs.readFileSync(path.join(nginx.prefix, 'access.log'), 'utf8');
  assert.ok(proxyLog.includes(`upstream=127.0.0.1:${inst1.port} `), proxyLog.slice(-1000));
  assert.ok(proxyLog.includes(`upstream=127.0.0.1:${inst2.port} `), proxyLog.slice(-1000));
});

let resident;       // { client, email, name, csrf } registered in the journey below

test('register, confirm, log in through nginx; the session holds on both instances', { skip }, async () => {
  const c = new Client(nginx.url);
  const email = `scale.${crypto.randomBytes(4).toString('hex')}@example.org`;
  const name = 'Skalierte Bürgerin';
  const password = 'ein langes Passwort für zwei Server';
  const from1 = inst1.log().length;
  const from2 = inst2.log().length;

  const anonCsrf = await c.apiCsrf();
  let res = await c.postJson('/api/v1/register', { email, name, password }, { csrf: anonCsrf });
  assert.equal(res.status, 202, res.bodyText);

  // the e-mail is printed by whichever instance took the registration
  const m = await Promise.any([
    inst1.waitForLog(TOKEN_RE, { from: from1 }),
    inst2.waitForLog(TOKEN_RE, { from: from2 }),
  ]);
  assert.ok(m[0].startsWith(nginx.url), `the link points at the proxy: ${m[0]}`);
  const link = m[1];

  // the link as a browser opens it, then the form it shows
  res = await c.get(link);
  assert.equal(res.status, 200);
  const confirmCsrf = res.bodyText.match(/name="_csrf" value="([^"]+)"/);
  assert.ok(confirmCsrf, 'the confirmation page has a form');
  res = await c.postForm('/confirm', { _csrf: confirmCsrf[1], token: link.split('=')[1] });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.equal(res.headers.get('location'), '/login?confirmed=1');

  res = await c.login(email, password);
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.ok(c.cookie('unbox_session'));

  const p1 = inst1.log().length;
  const p2 = inst2.log().length;
  for (let i = 0; i < 20; i++) {
    res = await c.getJson('/profile');
    assert.equal(res.status, 200, `request ${i + 1}: ${res.bodyText.slice(0, 300)}`);
    assert.equal(res.data.user.email, email, `request ${i + 1}`);
    assert.equal(res.data.user.name, name);
  }
  const n1 = accessLines(inst1, p1).filter((l) => l.path === '/profile' && l.status === 200).length;
  const n2 = accessLines(inst2, p2).filter((l) => l.path === '/profile' && l.status === 200).length;
  assert.equal(n1 + n2, 20);
  assert.ok(n1 > 0 && n2 > 0, `both instances answered /profile (${n1} + ${n2})`);

  resident = { client: c, email, name, csrf: await c.apiCsrf() };
});

// A client on one instance with the session of another client.
function sameSession(base, from) {
  const c = new Client(base);
  c.setCookieValue('unbox_session', from.cookie('unbox_session'));
  return c;
}

test('written through one instance, read through the other', { skip }, async () => {
  assert.ok(resident, 'needs the registered resident');
  const on1 = sameSession(inst1.url, resident.client);
  const on2 = sameSession(inst2.url, resident.client);
  const anon1 = new Client(inst1.url);
  const anon2 = new Client(inst2.url);

  for (const [writer, reader, anonReader, label] of [[on1, on2, anon2, '1 to 2'], [on2, on1, anon1, '2 to 1']]) {
    // the reader has the anonymous list in its page cache before the write
    let res = await anonReader.getJson('/api/v1/ideas?limit=5');
    assert.equal(res.status, 200);
    const title = `Quer über Instanzen ${label} ${crypto.randomBytes(3).toString('hex')}`;
    res = await writer.postJson('/api/v1/ideas', validIdea({ title }), { csrf: resident.csrf });
    assert.equal(res.status, 201, `${label}: ${res.bodyText}`);
    const id = res.data.id;

    res = await reader.getJson(`/api/v1/ideas/${id}`);
    assert.equal(res.status, 200, label);
    assert.equal(res.data.title, title);
    assert.equal(res.data.author, resident.name);
    res = await anonReader.getJson(`/ideas/${id}`);
    assert.equal(res.status, 200, label);
    assert.equal(res.data.title, title);
    res = await anonReader.getJson('/api/v1/ideas?limit=5');
    assert.equal(res.data.items[0].id, id, `${label}: the other instance's list shows the new idea first`);
    res = await anonReader.get('/ideas');
    assert.ok(res.bodyText.includes(`href="/ideas/${id}"`), `${label}: the HTML list shows it too`);
  }
});

test('a file uploaded through nginx to one instance is served by both; nginx passes 10 MB, not more', { skip }, async () => {
  const team = new Client(nginx.url);
  assert.equal((await team.login(demo('team').email, demo('team').password)).status, 303);
  const csrf = await team.apiCsrf();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(2 * 1024 * 1024)]);
  const form = (bytes) => {
    const fd = new FormData();
    fd.append('_csrf', csrf);
    fd.append('file', new Blob([bytes]), 'gross.pdf');
    return fd;
  };
  let res = await team.request('/ideas/1/attachments', { method: 'POST', body: form(pdf), accept: 'application/json' });
  assert.equal(res.status, 201, res.bodyText.slice(0, 300));
  const url = JSON.parse(res.bodyText).url;
  for (const inst of [inst1, inst2]) {
    const got = await fetch(inst.url + url);
    assert.equal(got.status, 200);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(pdf), `the same bytes from ${inst.url}`);
  }
  // nginx refuses a body over its limit for the location
  res = await team.request('/ideas/1/attachments', { method: 'POST', body: form(Buffer.alloc(12 * 1024 * 1024, 0x41)) })
    .catch((e) => ({ status: 'closed', bodyText: String(e) }));
  assert.ok(res.status === 413 || res.status === 'closed', `over the limit: ${res.status}`);
});

test('200 concurrent idea submissions through nginx: all 201, each stored once', { skip }, async () => {
  assert.ok(resident, 'needs the registered resident');
  // several residents: the one registered above and demo residents
  const users = [{ client: resident.client, csrf: resident.csrf }];
  for (const role of ['resident', 'team']) {
    const c = new Client(nginx.url);
    const { email, password } = demo(role);
    const res = await c.login(email, password);
    assert.equal(res.status, 303, `${role} logs in`);
    users.push({ client: c, csrf: await c.apiCsrf() });
  }

  const run = crypto.randomBytes(4).toString('hex');
  const titles = Array.from({ length: 200 }, (_, i) => `Lastprobe ${run} Nummer ${String(i).padStart(3, '0')}`);
  const from1 = inst1.log().length;
  const from2 = inst2.log().length;

  const results = await Promise.all(titles.map((title, i) => {
    const u = users[i % users.length];
    return u.client.postJson('/api/v1/ideas', validIdea({ title }), { csrf: u.csrf });
  }));
  const bad = results.map((r, i) => ({ i, status: r.status, body: r.bodyText.slice(0, 200) })).filter((r) => r.status !== 201);
  assert.deepEqual(bad, [], `every submission answers 201\n${inst1.log().slice(from1).split('\n').filter((l) => !/ info /.test(l)).slice(0, 20).join('\n')}`);
  const ids = results.map((r) => r.data.id);
  assert.equal(new Set(ids).size, 200, 'distinct ids');
  results.forEach((r, i) => assert.equal(r.data.title, titles[i]));

  // the list through the proxy holds exactly these 200, each once
  const anon = new Client(nginx.url);
  const seen = [];
  let url = '/api/v1/ideas?limit=100';
  for (let pages = 0; url; pages++) {
    assert.ok(pages < 50, 'too many pages');
    const res = await anon.getJson(url);
    assert.equal(res.status, 200, url);
    seen.push(...res.data.items);
    url = res.data.paging.next;
  }
  const mine = seen.filter((it) => it.title.startsWith(`Lastprobe ${run} `));
  assert.equal(mine.length, 200);
  assert.deepEqual(mine.map((it) => it.title).sort(), [...titles].sort());
  assert.deepEqual(mine.map((it) => it.id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  assert.equal(new Set(seen.map((it) => it.id)).size, seen.length, 'no idea twice in the list');

  const posts1 = accessLines(inst1, from1).filter((l) => l.method === 'POST' && l.path === '/api/v1/ideas');
  const posts2 = accessLines(inst2, from2).filter((l) => l.method === 'POST' && l.path === '/api/v1/ideas');
  assert.ok(posts1.length > 0 && posts2.length > 0, `both instances took submissions (${posts1.length} + ${posts2.length})`);
  assert.equal(posts1.length + posts2.length, 200);
  assert.ok([...posts1, ...posts2].every((l) => l.status === 201));
  for (const s of [inst1, inst2]) {
    assert.doesNotMatch(s.log(), / (warn|error) /, `no warnings or errors in the instance log:\n${s.log().split('\n').filter((l) => / (warn|error) /.test(l)).slice(0, 10).join('\n')}`);
  }
});

test('login throttling is shared: 5 failures on instance 1, instance 2 answers 429', { skip }, async () => {
  const { email, password } = demo('committee');
  const c1 = new Client(inst1.url);
  const csrf1 = await c1.apiCsrf();
  for (let i = 1; i <= 5; i++) {
    const res = await c1.postJson('/api/v1/login', { email, password: `falsch-${i}` }, { csrf: csrf1 });
    assert.equal(res.status, 401, `attempt ${i}`);
  }
  const c2 = new Client(inst2.url);
  const res = await c2.postJson('/api/v1/login', { email, password }, { csrf: await c2.apiCsrf() });
  assert.equal(res.status, 429, res.bodyText);
  assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
  assert.equal(setCookie(res, 'unbox_session'), undefined, 'no session');

  // and through the proxy, whichever instance answers
  const c3 = new Client(nginx.url);
  for (let i = 0; i < 2; i++) {
    const r = await c3.postJson('/api/v1/login', { email, password }, { csrf: await c3.apiCsrf() });
    assert.equal(r.status, 429);
  }
});

test('parallel wrong logins on both instances: the password is checked 5 times, then 429', { skip }, async () => {
  const { email } = demo('steward');
  const clients = [];
  for (let i = 0; i < 40; i++) {
    const c = new Client((i % 2 ? inst1 : inst2).url);
    clients.push([c, await c.apiCsrf()]);
  }
  const results = await Promise.all(clients.map(([c, csrf], i) =>
    c.postJson('/api/v1/login', { email, password: `daneben-${i}` }, { csrf })));
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] || 0) + 1;
  assert.deepEqual(counts, { 401: 5, 429: 35 });
});
