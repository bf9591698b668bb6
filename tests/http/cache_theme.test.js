// The page cache never serves a page older than the data, and a theme
// directory overrides templates without touching the code.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../lib/server');
const { Client, validIdea, stopServer } = require('../lib/http');

const servers = [];
after(async () => { for (const s of servers) await stopServer(s); });

const demo = (role) => ({ email: `${role}@demo.unbox.invalid`, password: `unbox-demo-${role}` });

test('a new idea shows up at once on cached anonymous pages (HTML and JSON)', async () => {
  const server = await startServer();
  servers.push(server);
  const anon = new Client(server.url);
  // twice each: the second answer comes from the cache
  for (let i = 0; i < 2; i++) {
    assert.equal((await anon.get('/ideas')).status, 200);
    assert.equal((await anon.getJson('/api/v1/ideas')).status, 200);
  }
  const before = await anon.get('/ideas');
  const beforeJson = await anon.getJson('/api/v1/ideas');
  assert.equal(before.bodyText, (await anon.get('/ideas')).bodyText, 'cached page is stable');

  const author = new Client(server.url);
  const { email, password } = demo('resident');
  assert.equal((await author.login(email, password)).status, 303);
  const csrf = await author.apiCsrf();
  const title = 'Cache-Probe: Trinkbrunnen am Rheinufer';
  const created = await author.postJson('/api/v1/ideas', validIdea({ title }), { csrf });
  assert.equal(created.status, 201, created.bodyText);

  const after = await anon.get('/ideas');
  assert.notEqual(after.bodyText, before.bodyText);
  assert.ok(after.bodyText.includes(title), 'the list shows the new idea');
  const afterJson = await anon.getJson('/api/v1/ideas');
  assert.equal(afterJson.data.items[0].title, title);
  assert.notEqual(beforeJson.data.items[0].title, title);
  // the idea's own page
  const page = await anon.get(`/ideas/${created.data.id}`);
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes(title));
});

test('logged-in visitors never get a cached anonymous page', async () => {
  const server = await startServer();
  servers.push(server);
  const anon = new Client(server.url);
  const anonPage = await anon.get('/');
  assert.ok(!anonPage.bodyText.includes('Lena Hoffmann'));
  await anon.get('/');                       // now cached
  const user = new Client(server.url);
  const { email, password } = demo('resident');
  assert.equal((await user.login(email, password)).status, 303);
  const page = await user.get('/');
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('action="/logout"'), 'the logged-in layout with the logout form');
  assert.match(page.bodyText, /name="_csrf" value="[A-Za-z0-9_-]{43}"/);
});

test('pages are cached per language', async () => {
  const server = await startServer();
  servers.push(server);
  const de = new Client(server.url, { lang: 'de' });
  const en = new Client(server.url, { lang: 'en' });
  for (let i = 0; i < 2; i++) {
    assert.match((await de.get('/ideas')).bodyText, /<html lang="de">/);
    assert.match((await en.get('/ideas')).bodyText, /<html lang="en">/);
  }
});

test('a theme directory overrides a template', async () => {
  const theme = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-theme-'));
  try {
    // an area's template, in the area's folder of the theme
    const home = fs.readFileSync(path.join(__dirname, '..', '..', 'templates', 'portal', 'home.html'), 'utf8');
    fs.mkdirSync(path.join(theme, 'portal'));
    fs.writeFileSync(path.join(theme, 'portal', 'home.html'),
      '<p class="kern-body" id="city-banner">Stadt Musterhausen</p>\n' + home);
    const server = await startServer({ env: { UNBOX_THEME: theme } });
    servers.push(server);
    const res = await new Client(server.url).get('/');
    assert.equal(res.status, 200);
    assert.ok(res.bodyText.includes('id="city-banner">Stadt Musterhausen</p>'));
    // other templates stay the default ones
    const list = await new Client(server.url).get('/ideas');
    assert.ok(!list.bodyText.includes('city-banner'));
  } finally {
    fs.rmSync(theme, { recursive: true, force: true });
  }
});

test('a theme with a broken template stops the server from starting, with the file named', async () => {
  const theme = fs.mkdtempSync(path.join(os.tmpdir(), 'unbox-theme-'));
  try {
    fs.writeFileSync(path.join(theme, 'home.html'), '<p>{{#open}}never closed</p>\n');
    await assert.rejects(startServer({ env: { UNBOX_THEME: theme } }), /home\.html.*section is not closed/s);
  } finally {
    fs.rmSync(theme, { recursive: true, force: true });
  }
});
