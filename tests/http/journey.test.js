// The main journey of a resident, once through HTML forms and once through
// the JSON API: register, confirm the address, log in, hand in an idea, find it.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const {
  Client, setCookie, csrfFromHtml, inputValue, selectOptions, ideaLinks, unescapeHtml, validIdea, stopServer,
} = require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

const TOKEN_RE = /\/confirm\?token=([A-Za-z0-9_-]{43})/;

const DESCRIPTION = [
  'Die Idee in **drei** Schritten:',
  '',
  '1. Bänke kartieren',
  '2. Schäden melden',
  '',
  '<script>alert("md")</script>',
  '',
  'Mehr dazu: [x](javascript:alert(1)) und <img src=x onerror=alert(2)>',
].join('\n');

test('HTML journey: register, confirm, log in, submit an idea, find it', async () => {
  const c = new Client(server.url);
  const email = 'journey.html@example.org';
  const password = 'ein langes gutes Passwort';

  // register: the form carries a CSRF token that matches the unbox_csrf cookie
  let res = await c.get('/register');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  const csrfCookie = setCookie(res, 'unbox_csrf');
  assert.ok(csrfCookie, 'the register page sets the unbox_csrf cookie');
  assert.equal(csrfCookie.attrs.httponly, true);
  assert.equal(csrfCookie.attrs.samesite, 'Lax');
  const csrf = csrfFromHtml(res.bodyText, '/register');
  assert.equal(csrf, csrfCookie.value);

  const logStart = server.log().length;
  res = await c.postForm('/register', { _csrf: csrf, email, name: 'Journey Html', password });
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  assert.equal(res.headers.get('location'), '/login?registered=1');

  res = await c.get('/login?registered=1');
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /kern-alert--info/);

  // the confirmation e-mail goes to the log in demo mode
  const m = await server.waitForLog(TOKEN_RE, { from: logStart });
  const token = m[1];

  // not confirmed yet: the right password is refused with its own message
  res = await c.login(email, password);
  assert.equal(res.status, 403);
  assert.equal(setCookie(res, 'unbox_session'), undefined);

  res = await c.get(`/confirm?token=${token}`);
  assert.equal(res.status, 200);
  assert.equal(inputValue(res.bodyText, 'token'), token);
  const confirmCsrf = csrfFromHtml(res.bodyText, '/confirm');
  assert.ok(confirmCsrf);
  res = await c.postForm('/confirm', { _csrf: confirmCsrf, token });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/login?confirmed=1');

  // the link works once
  res = await c.postForm('/confirm', { _csrf: confirmCsrf, token });
  assert.equal(res.status, 422);

  // log in
  res = await c.login(email, password);
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  assert.equal(res.headers.get('location'), '/');
  const session = setCookie(res, 'unbox_session');
  assert.ok(session, 'login sets the session cookie');
  assert.match(session.value, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(session.attrs.httponly, true);
  assert.equal(session.attrs.samesite, 'Lax');
  assert.equal(session.attrs.path, '/');
  assert.equal(session.attrs['max-age'], String(30 * 24 * 3600));

  // the form lists the fields and Stadtteile
  res = await c.get('/ideas/new');
  assert.equal(res.status, 200);
  const fields = selectOptions(res.bodyText, 'field').filter((o) => o.value);
  const teile = selectOptions(res.bodyText, 'stadtteil').filter((o) => o.value);
  assert.ok(fields.length > 0, 'field options');
  assert.ok(teile.some((o) => o.value === '101'), 'Stadtteil 101 is offered');
  const ideaCsrf = csrfFromHtml(res.bodyText, '/ideas');
  assert.ok(ideaCsrf);
  assert.notEqual(ideaCsrf, csrf, 'a session has its own CSRF token');

  const idea = validIdea({
    title: 'Bänke & Plätze <für> alle',
    summary: 'Eine Karte der Sitzbänke, <em>damit</em> Pausen planbar werden.',
    description: DESCRIPTION,
    field: fields[0].value,
    stadtteil: '101',
  });
  res = await c.postForm('/ideas', { _csrf: ideaCsrf, ...idea });
  assert.equal(res.status, 303, res.bodyText.slice(0, 800));
  const loc = res.headers.get('location');
  assert.match(loc, /^\/ideas\/\d+\?submitted=1#idea-notice$/);   // the page confirms it
  const id = Number(loc.split('/')[2].split('?')[0]);

  // first in the HTML list and in the JSON list
  res = await c.get('/ideas');
  assert.equal(res.status, 200);
  assert.equal(ideaLinks(res.bodyText)[0], id);
  assert.ok(res.bodyText.includes('Bänke &amp; Plätze &lt;für&gt; alle'), 'title escaped in the list');

  const anon = new Client(server.url);
  res = await anon.getJson('/api/v1/ideas');
  assert.equal(res.status, 200);
  assert.equal(res.data.items[0].id, id);
  assert.equal(res.data.items[0].title, idea.title);
  assert.equal(res.data.items[0].summary, idea.summary);
  assert.equal(res.data.items[0].url, `/ideas/${id}`);
  assert.equal(res.data.items[0].field.slug, idea.field);
  assert.equal(res.data.items[0].stadtteil.nr, 101);

  // the detail page in HTML
  res = await anon.get(`/ideas/${id}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = res.bodyText;
  assert.ok(html.includes('<h1 class="kern-heading-large">Bänke &amp; Plätze &lt;für&gt; alle</h1>'));
  assert.ok(html.includes('&lt;em&gt;damit&lt;/em&gt;'), 'summary escaped');
  assert.ok(!html.includes('<em>damit'), 'no live markup from the summary');
  const md = html.match(/<div class="markdown">([\s\S]*?)<\/div>\n\s*<(?:section|\/article)\b/);
  assert.ok(md, 'rendered description');
  assert.match(md[1], /<strong>drei<\/strong>/);
  assert.match(md[1], /<ol>\s*<li>Bänke kartieren<\/li>/);
  assert.ok(!/<script/i.test(html), 'no script element on the page');
  assert.ok(!/javascript:/i.test(html), 'no javascript: URL on the page');
  assert.ok(!/<img/i.test(md[1]), 'raw HTML dropped');
  assert.ok(!/onerror/i.test(md[1]), 'no event handler attribute');
  assert.match(md[1], /<a href="">x<\/a>/);

  // the detail in JSON: Accept header and the /api/v1 mirror give the same
  const viaAccept = await anon.getJson(`/ideas/${id}`);
  const viaApi = await anon.getJson(`/api/v1/ideas/${id}`);
  for (const r of [viaAccept, viaApi]) {
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.data.id, id);
    assert.equal(r.data.title, idea.title);
    assert.equal(r.data.summary, idea.summary);
    assert.equal(r.data.description, idea.description);
    assert.equal(r.data.status, 'submitted');
    assert.equal(r.data.author, 'Journey Html');
    assert.ok(!/<script/i.test(r.data.description_html));
    assert.ok(!/javascript:/i.test(r.data.description_html));
    assert.ok(!/<img/i.test(r.data.description_html));
    assert.match(r.data.description_html, /<strong>drei<\/strong>/);
  }
  assert.deepEqual(viaAccept.data, viaApi.data);
  assert.equal(unescapeHtml(md[1]).includes('alert("md")'), false);
});

test('JSON journey: register 202, confirm, log in 200, create idea 201', async () => {
  const c = new Client(server.url);
  const email = 'journey.json@example.org';
  const password = 'noch ein langes Passwort';

  let res = await c.getJson('/api/v1/session');
  assert.equal(res.status, 200);
  assert.equal(res.data.user, null);
  const anonCsrf = res.data.csrf;
  assert.match(anonCsrf, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(c.cookie('unbox_csrf'), anonCsrf);

  const logStart = server.log().length;
  res = await c.postJson('/api/v1/register', { email, name: 'Journey Json', password }, { csrf: anonCsrf });
  assert.equal(res.status, 202, res.bodyText);
  assert.deepEqual(res.data, { status: 'confirmation_sent' });
  assert.equal(res.headers.get('location'), null);

  const token = (await server.waitForLog(TOKEN_RE, { from: logStart }))[1];
  res = await c.postJson('/api/v1/confirm', { token }, { csrf: anonCsrf });
  assert.equal(res.status, 200, res.bodyText);
  assert.deepEqual(res.data, { confirmed: true });

  res = await c.postJson('/api/v1/login', { email, password }, { csrf: anonCsrf });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.user.email, email);
  assert.equal(res.data.user.name, 'Journey Json');
  assert.equal(res.data.user.role, 'resident');
  assert.equal(typeof res.data.user.id, 'number');
  assert.match(res.data.csrf, /^[A-Za-z0-9_-]{43}$/);
  const session = setCookie(res, 'unbox_session');
  assert.ok(session);
  assert.equal(session.attrs.httponly, true);
  assert.equal(session.attrs.samesite, 'Lax');
  assert.equal(session.attrs['max-age'], String(30 * 24 * 3600));
  const csrf = res.data.csrf;

  // the session endpoint now names the user and the same token
  res = await c.getJson('/api/v1/session');
  assert.equal(res.data.user.email, email);
  assert.equal(res.data.csrf, csrf);

  // the anonymous token is no longer accepted once logged in
  const idea = validIdea({ title: 'Idee per JSON', stadtteil: 101 });
  res = await c.postJson('/api/v1/ideas', idea, { csrf: anonCsrf });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'csrf');

  res = await c.postJson('/api/v1/ideas', idea, { csrf });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(typeof res.data.id, 'number');
  assert.equal(res.data.url, `/ideas/${res.data.id}`);
  assert.equal(res.data.title, idea.title);
  assert.equal(res.data.summary, idea.summary);
  assert.equal(res.data.description, idea.description);
  assert.equal(res.data.field.slug, idea.field);
  assert.equal(res.data.stadtteil.nr, 101);
  assert.equal(res.data.bezirk.nr, 1);
  assert.equal(res.data.author, 'Journey Json');
  assert.equal(res.data.status, 'submitted');
  assert.match(res.data.description_html, /<ul>/);
  const id = res.data.id;

  res = await c.getJson('/api/v1/ideas?limit=1');
  assert.equal(res.data.items[0].id, id);
  res = await c.getJson(`/api/v1/ideas/${id}`);
  assert.equal(res.status, 200);
  assert.equal(res.data.title, idea.title);
});
