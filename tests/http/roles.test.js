// Who may do what, for every route of src/routes.c and every role: the table
// is read from the source, so a new route is checked the day it is added.
// Each route is asked by a visitor and by one demo account of each role, in
// JSON and in HTML, with ids that do not exist: a role the route does not
// admit is turned away before the handler runs (visitors: 401 in JSON, 303
// to /login in HTML; accounts: 403), while an admitted role reaches the
// handler, which answers 404 or a validation error, never 401 or 403, and
// nothing is changed. On SQLite or (with UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server');
const { Client, demo, loginRoles, stopServer } = require('../lib/http');

const ROLES = ['resident', 'team', 'spurgruppe', 'committee', 'supporter', 'steward', 'admin'];
// ROLE_BIT(i) in src/http/router.h, in this order
const MACROS = {
  0: ROLES,
  ROLES_LOGGED_IN: ROLES,
  ROLES_STAFF: ['team', 'admin'],
  ...Object.fromEntries(ROLES.map((r) => [`ROLE_${r.toUpperCase()}`, [r]])),
};
const MISSING = '987654321';   // an id no table holds
// Routes that would change the session itself when admitted: asked last, each by a fresh login.
const SESSION_ROUTES = new Set(['POST /logout']);

function routeTable() {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'routes.c'), 'utf8');
  const routes = [];
  for (const m of src.matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*\w+,\s*([^,]+),/g)) {
    const who = m[3].trim();
    const allowed = new Set();
    for (const part of who.split('|').map((s) => s.trim())) {
      assert.ok(part in MACROS, `unknown role expression ${part} in src/routes.c`);
      for (const r of MACROS[part]) allowed.add(r);
    }
    routes.push({ method: m[1], pattern: m[2], path: m[2].replace(/\{id\}/g, MISSING), public: who === '0', allowed });
  }
  return routes;
}

const routes = routeTable();
let server;
let clients;
let csrf;

before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ROLES));
  clients.visitor = new Client(server.url);
  csrf.visitor = await clients.visitor.apiCsrf();
});
after(async () => { await stopServer(server); });

// One request as JSON (GET with Accept, POST to /api/v1 with the CSRF header)
// and one as HTML (GET, or a form post with _csrf).
async function ask(who, route) {
  const c = clients[who];
  if (route.method === 'GET') {
    return [await c.getJson(route.path), await c.get(route.path)];
  }
  const json = await c.postJson(`/api/v1${route.path}`, {}, { csrf: csrf[who] });
  const html = await c.postForm(route.path, { _csrf: csrf[who] });
  return [json, html];
}

function admitted(route, who) {
  return route.public || (who !== 'visitor' && route.allowed.has(who));
}

test('the route table is read completely', () => {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'routes.c'), 'utf8');
  const lines = src.split('\n').filter((l) => /^\s*\{\s*"(GET|POST|PUT|PATCH|DELETE)"/.test(l));
  assert.equal(routes.length, lines.length);
  assert.ok(routes.length >= 50, `${routes.length} routes`);
  assert.ok(routes.some((r) => r.allowed.size === 2 && r.allowed.has('team') && r.allowed.has('admin')));
});

test('every route, every role: turned away before the handler or admitted to it', async () => {
  const before = await clients.team.getJson('/api/v1/ideas?limit=100');
  let checked = 0;
  for (const route of routes) {
    if (SESSION_ROUTES.has(`${route.method} ${route.pattern}`)) continue;
    for (const who of ['visitor', ...ROLES]) {
      const what = `${who}: ${route.method} ${route.pattern}`;
      const [json, html] = await ask(who, route);
      assert.ok(json.status < 500 && html.status < 500, `${what}: ${json.status} / ${html.status}`);
      if (admitted(route, who)) {
        // the pipeline's refusals: 401 login_required, 403 (role or CSRF), 303 to the login form
        const code = json.data && json.data.error && json.data.error.code;
        assert.ok(!(json.status === 401 && code === 'login_required') && json.status !== 403,
                  `${what} is admitted but answered ${json.status}: ${json.bodyText.slice(0, 200)}`);
        assert.ok(html.status !== 403 && !(html.status === 303 && /^\/login\?/.test(html.headers.get('location'))),
                  `${what} is admitted but answered ${html.status} (HTML)`);
        if (route.path.includes(MISSING) && route.method === 'GET')
          assert.equal(json.status, 404, `${what}: nothing with this id`);
      } else if (who === 'visitor') {
        assert.equal(json.status, 401, `${what} (JSON)`);
        assert.equal(json.data.error.code, 'login_required', what);
        assert.equal(html.status, 303, `${what} (HTML)`);
        assert.match(html.headers.get('location'), /^\/login/, what);
      } else {
        assert.equal(json.status, 403, `${what} (JSON)`);
        assert.equal(json.data.error.code, 'forbidden', what);
        assert.equal(html.status, 403, `${what} (HTML)`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 8 * (routes.length - SESSION_ROUTES.size));
  // every account is still logged in, and no idea was touched
  for (const role of ROLES) {
    const s = await clients[role].getJson('/api/v1/session');
    assert.equal(s.data.user && s.data.user.role, role, `${role} still logged in`);
  }
  const afterwards = await clients.team.getJson('/api/v1/ideas?limit=100');
  assert.deepEqual(afterwards.data.items, before.data.items);
});

test('routes that end the session: visitors are sent to log in, every role may', async () => {
  for (const route of routes.filter((r) => SESSION_ROUTES.has(`${r.method} ${r.pattern}`))) {
    const [json, html] = await ask('visitor', route);
    assert.equal(json.status, 401);
    assert.equal(html.status, 303);
    for (const role of ROLES) {
      const c = new Client(server.url);
      const { email, password } = demo(role);
      assert.equal((await c.login(email, password)).status, 303);
      const res = await c.postJson(`/api/v1${route.path}`, {}, { csrf: await c.apiCsrf() });
      assert.ok(res.status < 300, `${role}: ${route.pattern} answered ${res.status}`);
      const s = await c.getJson('/api/v1/session');
      assert.equal(s.data.user, null, `${role} logged out`);
    }
  }
});
