// Account self-service through the real server (DSGVO Art. 15, 17, 20): the
// profile changes the display name, the e-mail address (a link to the new
// address, the old one told, the change only when the link is opened) and
// the password (the current one needed, every other session ends); it lists
// and ends sessions; it lists the person's ideas, comments, supports and
// follows; the export of all their data (a JSON file and readable pages);
// deleting the account (confirmation and password; personal data erased,
// supports withdrawn with the counts kept, ideas and comments kept as a
// deleted account's or their texts removed, one audit row without personal
// data). Blocking: a reason is needed, the blocked person is told at login
// (only after the right password), the team's page of a person.
// On SQLite or (with UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../lib/server');
const { Client, demo, validIdea, stopServer, csrfFromHtml, inputValue, textareaValue, setCookie, unescapeHtml } =
  require('../lib/http');

let server;
before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

// Runs SQL against the server's database (SQLite file or PostgreSQL).
function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}
const sqlInt = (s) => Number(sql(s));
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

const PASSWORD = 'Rheinufer Dom Brücke 2026';
let counter = 0;

// A new resident through the real registration: register, open the
// confirmation link from the log, log in. Returns the client with csrf,
// email, name, id and password.
async function newResident({ name, lang = 'de' } = {}) {
  const n = ++counter;
  const email = `self.service.${n}.${Date.now().toString(36)}@example.org`;
  name = name || `Selbst Bedienung ${n}`;
  const c = new Client(server.url, { lang });
  const from = server.log().length;
  let res = await c.postJson('/api/v1/register', { email, name, password: PASSWORD }, { csrf: await c.apiCsrf() });
  assert.equal(res.status, 202, res.bodyText);
  const m = await server.waitForLog(new RegExp(`to=${email.replace(/\./g, '\\.')}[\\s\\S]*?/confirm\\?token=([A-Za-z0-9_-]+)`), { from });
  res = await c.postJson('/api/v1/confirm', { token: m[1] }, { csrf: await c.apiCsrf() });
  assert.equal(res.status, 200, res.bodyText);
  res = await c.login(email, PASSWORD);
  assert.equal(res.status, 303, res.bodyText);
  return await session(c, { email, name, password: PASSWORD });
}

async function session(c, extra = {}) {
  const s = await c.getJson('/api/v1/session');
  assert.ok(s.data.user, 'logged in');
  return Object.assign(c, extra, { csrf: s.data.csrf, id: s.data.user.id });
}

async function loginAs(email, password, headers = {}) {
  const c = new Client(server.url);
  const csrf = await c.csrfFrom('/login', '/login');
  const res = await c.request('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  return { c, res };
}

async function demoClient(role) {
  const c = new Client(server.url);
  assert.equal((await c.login(demo(role).email, demo(role).password)).status, 303);
  return session(c, demo(role));
}

// The body of the newest mail to `to` in the log after `from`.
async function mailTo(to, from, re = /[\s\S]*/) {
  const esc = to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = await server.waitForLog(new RegExp(`outbox \\(demo\\): to=${esc} subject="([^"]*)"\\n([\\s\\S]*?)(?=\\n\\S+ (info|warn|error) |$)`), { from });
  assert.match(m[2], re);
  return { subject: m[1], body: m[2] };
}

const post = (c, path, body) => c.postJson('/api/v1' + path, body, { csrf: c.csrf });

test('the profile shows the account, the role in words and the sessions with their browser', async () => {
  const { c: team } = await loginAs(demo('committee').email, demo('committee').password,
    { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
  const res = await team.get('/profile');
  assert.equal(res.status, 200);
  assert.ok(res.bodyText.includes('Lenkungsausschuss'), 'the role in words');
  assert.ok(!/>\s*committee\s*</.test(res.bodyText), 'no raw role key');
  assert.ok(res.bodyText.includes('Firefox · Linux'), 'the browser of the session');
  assert.ok(res.bodyText.includes('diese Sitzung'));
  const j = await team.getJson('/api/v1/profile');
  assert.equal(j.data.user.role_label, 'Lenkungsausschuss');
  assert.equal(j.data.sessions.length, 1);
  const s = j.data.sessions[0];
  assert.equal(s.current, true);
  assert.equal(s.browser, 'Firefox');
  assert.equal(s.system, 'Linux');
  for (const k of ['created_at', 'last_used_at', 'expires_at']) assert.match(s[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, k);
  assert.equal(sql(`SELECT user_agent FROM sessions WHERE id = ${s.id}`).startsWith('Mozilla/5.0'), true);
});

test('changing the display name: checked, kept when wrong, shown on public pages at once, audit-logged', async () => {
  const me = await newResident();
  const idea = await post(me, '/ideas', validIdea({ title: 'Namensprobe für das Profil' }));
  assert.equal(idea.status, 201, idea.bodyText);
  const anon = new Client(server.url);
  assert.ok((await anon.get(`/ideas/${idea.data.id}`)).bodyText.includes(me.name));

  const csrf = await me.csrfFrom('/profile', '/profile/name');
  let res = await me.postForm('/profile/name', { _csrf: csrf, name: 'X' });
  assert.equal(res.status, 422);
  assert.equal(inputValue(res.bodyText, 'name'), 'X', 'what was typed stays');
  assert.ok(res.bodyText.includes('href="#name"'), 'the summary links to the field');
  assert.match(res.bodyText, /id="name-error"/);

  res = await me.postForm('/profile/name', { _csrf: csrf, name: '  Neuer Anzeigename  ' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/profile?done=name');
  res = await me.get('/profile?done=name');
  assert.ok(res.bodyText.includes('Ihr Anzeigename wurde geändert.'));
  assert.match(res.bodyText, /<header[\s\S]*Neuer Anzeigename[\s\S]*<\/header>/);
  // the anonymous page (from the page cache before) names the new name
  const page = (await anon.get(`/ideas/${idea.data.id}`)).bodyText;
  assert.ok(page.includes('Neuer Anzeigename') && !page.includes(me.name));
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'account.name' AND subject = 'user:${me.id}'`), 1);
  // JSON
  res = await post(me, '/profile/name', { name: '' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.name.code, 'required');
});

test('changing the e-mail address: password needed, link to the new address, old address told, changes only when confirmed', async () => {
  const me = await newResident({ lang: 'en' });
  const newEmail = `moved.${Date.now().toString(36)}@example.org`;
  let res = await post(me, '/profile/email', { email: newEmail, password: 'not my password at all' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.password.code, 'wrong');
  res = await post(me, '/profile/email', { email: me.email.toUpperCase(), password: PASSWORD });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.email.code, 'same');
  res = await post(me, '/profile/email', { email: 'kein-at-zeichen', password: '' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.email.code, 'invalid');
  assert.equal(res.data.error.fields.password.code, 'required');

  // HTML: errors in English next to the fields, what was typed kept
  const csrf = await me.csrfFrom('/profile', '/profile/email');
  res = await me.postForm('/profile/email', { _csrf: csrf, email: newEmail, password: 'wrong wrong wrong' });
  assert.equal(res.status, 422);
  assert.equal(inputValue(res.bodyText, 'email'), newEmail);
  assert.ok(res.bodyText.includes('This is not your current password.'));
  assert.ok(res.bodyText.includes('href="#password"'));

  const from = server.log().length;
  res = await me.postForm('/profile/email', { _csrf: csrf, email: newEmail, password: PASSWORD });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/profile?done=email_sent');
  const link = await mailTo(newEmail, from, /\/email\/confirm\?token=[A-Za-z0-9_-]{43}/);
  const token = link.body.match(/token=([A-Za-z0-9_-]+)/)[1];
  const notice = await mailTo(me.email, from, /change its e-mail address to m…@example\.org/);
  assert.ok(!notice.body.includes(token), 'the old address never gets the link');
  // until confirmed: the old address logs in, the new one does not; the profile says it is pending
  assert.equal((await loginAs(me.email, PASSWORD)).res.status, 303);
  assert.equal((await loginAs(newEmail, PASSWORD)).res.status, 401);
  res = await me.get('/profile');
  assert.ok(res.bodyText.includes(newEmail) && res.bodyText.includes('Waiting for confirmation'));

  // the link: a page with a form (no change on GET), then the change
  res = await me.get(`/email/confirm?token=${token}`);
  assert.equal(res.status, 200);
  assert.equal(inputValue(res.bodyText, 'token'), token);
  assert.equal(sql(`SELECT email FROM users WHERE id = ${me.id}`), me.email);
  res = await me.postForm('/email/confirm', { _csrf: csrfFromHtml(res.bodyText, '/email/confirm'), token });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/profile?done=email');
  assert.equal(sql(`SELECT email FROM users WHERE id = ${me.id}`), newEmail);
  assert.equal((await loginAs(newEmail, PASSWORD)).res.status, 303);
  assert.equal((await loginAs(me.email, PASSWORD)).res.status, 401);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'account.email_change' AND subject = 'user:${me.id}'`), 1);
  // used once
  res = await me.postJson('/api/v1/email/confirm', { token }, { csrf: me.csrf });
  assert.equal(res.status, 410);
  assert.equal(res.data.error.code, 'invalid_token');
});

test('an address that has an account already gets the same answer and a notice, never a link', async () => {
  const me = await newResident();
  const taken = demo('supporter').email;
  const from = server.log().length;
  const res = await post(me, '/profile/email', { email: taken, password: PASSWORD });
  assert.equal(res.status, 202, res.bodyText);
  assert.deepEqual(res.data, { status: 'confirmation_sent' });
  const mail = await mailTo(taken, from, /Für diese Adresse gibt es bereits ein Konto/);
  assert.ok(!/token=/.test(mail.body));
  assert.equal(sql(`SELECT email FROM users WHERE id = ${me.id}`), me.email);
});

test('changing the password: the current one is needed, every other session ends, this one stays, the address is told', async () => {
  const me = await newResident();
  const other = (await loginAs(me.email, PASSWORD)).c;
  assert.ok((await other.getJson('/api/v1/session')).data.user);
  let res = await post(me, '/profile/password', { current_password: 'falsch falsch falsch', new_password: 'Ein ganz neues Passwort 77' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.current_password.code, 'wrong');
  res = await post(me, '/profile/password', { current_password: PASSWORD, new_password: 'kurz' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.new_password.code, 'too_short');
  assert.ok((await other.getJson('/api/v1/session')).data.user, 'nothing changed yet');

  const from = server.log().length;
  res = await post(me, '/profile/password', { current_password: PASSWORD, new_password: 'Ein ganz neues Passwort 77' });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal((await other.getJson('/api/v1/session')).data.user, null, 'the other session ended');
  assert.ok((await me.getJson('/api/v1/session')).data.user, 'this session stays');
  await mailTo(me.email, from, /Passwort Ihres un:box-Kontos wurde soeben geändert/);
  assert.equal((await loginAs(me.email, PASSWORD)).res.status, 401);
  assert.equal((await loginAs(me.email, 'Ein ganz neues Passwort 77')).res.status, 303);
  const hash = sql(`SELECT pw_hash FROM users WHERE id = ${me.id}`);
  assert.match(hash, /^\$argon2id\$/);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'account.password' AND subject = 'user:${me.id}'`), 1);
});

test('wrong current passwords are limited like logins', async () => {
  const me = await newResident();
  for (let i = 0; i < 5; i++) {
    const res = await post(me, '/profile/password', { current_password: `falsch ${i} falsch`, new_password: 'Ein ganz neues Passwort 77' });
    assert.equal(res.status, 422, `attempt ${i}`);
  }
  const res = await post(me, '/profile/password', { current_password: PASSWORD, new_password: 'Ein ganz neues Passwort 77' });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.equal((await loginAs(me.email, PASSWORD)).res.status, 303, 'the password did not change');
});

test('sessions: each listed; one ended by its number, or every other one; never another person\'s', async () => {
  const me = await newResident();
  const phone = (await loginAs(me.email, PASSWORD, { 'User-Agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36' })).c;
  const laptop = (await loginAs(me.email, PASSWORD)).c;
  let list = (await me.getJson('/api/v1/profile')).data.sessions;
  assert.equal(list.length, 3);
  const phoneSession = list.find((s) => s.browser === 'Chrome' && s.system === 'Android');
  assert.ok(phoneSession, JSON.stringify(list));
  assert.equal(list.filter((s) => s.current).length, 1);

  // someone else cannot end it
  const stranger = await newResident();
  let res = await post(stranger, `/profile/sessions/${phoneSession.id}/end`, {});
  assert.equal(res.status, 404);
  assert.ok((await phone.getJson('/api/v1/session')).data.user);

  // the HTML form ends it
  const page = await me.get('/profile');
  assert.ok(page.bodyText.includes(`action="/profile/sessions/${phoneSession.id}/end"`));
  assert.ok(page.bodyText.includes('Chrome · Android'));
  res = await me.postForm(`/profile/sessions/${phoneSession.id}/end`, { _csrf: csrfFromHtml(page.bodyText) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/profile?done=session');
  assert.equal((await phone.getJson('/api/v1/session')).data.user, null);
  assert.ok((await laptop.getJson('/api/v1/session')).data.user);

  res = await post(me, '/profile/sessions/end-others', {});
  assert.equal(res.status, 200);
  assert.equal((await laptop.getJson('/api/v1/session')).data.user, null);
  list = (await me.getJson('/api/v1/profile')).data.sessions;
  assert.equal(list.length, 1);
  assert.equal(list[0].current, true);

  // ending this session is logging out
  res = await post(me, `/profile/sessions/${list[0].id}/end`, {});
  assert.equal(res.status, 200);
  assert.equal(setCookie(res, 'unbox_session').attrs['max-age'], '0');
  assert.equal((await me.getJson('/api/v1/session')).data.user, null);
  assert.ok(sqlInt(`SELECT COUNT(*) FROM audit WHERE action = 'account.session_end' AND subject = 'user:${me.id}'`) >= 2);
});

// A person with something in every list.
async function activePerson() {
  const me = await newResident();
  const ideas = [];
  for (const t of ['Erste Idee zum Mitnehmen', 'Zweite Idee zum Mitnehmen']) {
    const res = await post(me, '/ideas', validIdea({ title: t }));
    assert.equal(res.status, 201, res.bodyText);
    ideas.push(res.data.id);
  }
  const other = await demoClient('supporter');
  const theirs = (await post(other, '/ideas', validIdea({ title: 'Eine fremde Idee zum Unterstützen' }))).data.id;
  let res = await post(me, `/ideas/${theirs}/support`, {});
  assert.equal(res.status, 200, res.bodyText);
  res = await post(me, `/ideas/${theirs}/follow`, {});
  assert.equal(res.status, 200, res.bodyText);
  res = await post(me, `/ideas/${theirs}/comments`, { body: 'Ein Kommentar von mir zu einer fremden Idee.' });
  assert.equal(res.status, 201, res.bodyText);
  const comment = res.data.id;
  // someone comments on my idea: a notification for me
  res = await post(other, `/ideas/${ideas[0]}/comments`, { body: 'Eine Antwort der anderen Person auf meine Idee.' });
  assert.equal(res.status, 201, res.bodyText);
  return { me, other, ideas, theirs, comment };
}

test('the person\'s lists: their ideas, comments, supports and follows, in pages', async () => {
  const { me, ideas, theirs, comment } = await activePerson();
  let res = await me.getJson('/api/v1/profile/ideas');
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items.map((i) => i.id), ideas);
  res = await me.get('/profile/ideas?limit=1');
  assert.equal(res.status, 200);
  assert.ok(res.bodyText.includes('Erste Idee zum Mitnehmen') && !res.bodyText.includes('Zweite Idee zum Mitnehmen'));
  const next = unescapeHtml(res.bodyText).match(/href="([^"]*after=\d+[^"]*)" rel="next"/)[1];
  res = await me.get(next);
  assert.ok(res.bodyText.includes('Zweite Idee zum Mitnehmen') && !res.bodyText.includes('Erste Idee zum Mitnehmen'));
  assert.ok(!/rel="next"/.test(res.bodyText));

  res = await me.getJson('/api/v1/profile/comments');
  assert.deepEqual(res.data.items.map((i) => i.id), [comment]);
  assert.equal(res.data.items[0].target.url, `/ideas/${theirs}`);
  res = await me.get('/profile/comments');
  assert.ok(res.bodyText.includes('Ein Kommentar von mir zu einer fremden Idee.'));
  assert.ok(res.bodyText.includes('Eine fremde Idee zum Unterstützen'));
  res = await me.getJson('/api/v1/profile/supports');
  assert.deepEqual(res.data.items.map((i) => i.idea_id), [theirs]);
  res = await me.getJson('/api/v1/profile/follows');
  // the own ideas are followed on submission, and the other one by hand
  assert.deepEqual(res.data.items.map((i) => i.target_id).sort(), [...ideas, theirs].sort());
  res = await me.get('/profile/follows');
  assert.ok(res.bodyText.includes(`href="/ideas/${theirs}"`));
  res = await me.getJson('/api/v1/profile/ideas?limit=500');
  assert.equal(res.status, 400);
});

test('the export: a JSON file of everything about the person and nobody else, and readable pages', async () => {
  const { me, other, ideas, theirs, comment } = await activePerson();
  const res = await me.get('/profile/export.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="unbox-data-\d+-\d{4}-\d\d-\d\d\.json"$/);
  assert.equal(res.headers.get('cache-control'), 'private, no-cache');
  const data = JSON.parse(res.bodyText);
  assert.equal(data.format, 'un:box export');
  assert.equal(data.user_id, me.id);
  assert.equal(data.account.email, me.email);
  assert.equal(data.account.name, me.name);
  assert.match(data.account.created_at, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(data.ideas.map((i) => i.id), ideas);
  assert.ok(data.ideas[0].description.length > 20);
  assert.deepEqual(data.comments.map((c) => c.id), [comment]);
  assert.deepEqual(data.supports.map((s) => s.idea_id), [theirs]);
  assert.ok(data.follows.some((f) => f.target_kind === 'idea' && f.target_id === theirs));
  assert.ok(data.notifications.length >= 1);
  assert.equal(typeof data.notifications[0].data, 'object');
  assert.ok(data.sessions.length >= 1);
  assert.ok(data.emails.some((m) => /bestätigen/.test(m.subject)), 'the confirmation mail');
  const actions = data.audit.map((a) => a.action);
  for (const a of ['account.register', 'account.confirm', 'account.login', 'idea.submit', 'idea.support'])
    assert.ok(actions.includes(a), `audit ${a}: ${actions}`);
  for (const key of ['email_changes', 'co_authorships', 'attachments', 'reports']) assert.ok(Array.isArray(data[key]), key);
  // nothing of the other person
  assert.ok(!res.bodyText.includes(other.email));
  assert.ok(!data.comments.some((c) => c.body.includes('Eine Antwort der anderen Person')));

  // the readable pages
  let page = await me.get('/profile/export');
  assert.equal(page.status, 200);
  for (const h of ['Konto', 'Ideen', 'Kommentare', 'Ideen, die Sie unterstützen', 'Was Sie verfolgen', 'Benachrichtigungen', 'Protokolleinträge über Sie'])
    assert.ok(page.bodyText.includes(`>${h}</h2>`), h);
  assert.ok(page.bodyText.includes(me.email));
  assert.ok(page.bodyText.includes('Erste Idee zum Mitnehmen'));
  assert.ok(page.bodyText.includes('href="/profile/export.json"'));
  page = await me.get('/profile/export?part=ideas&limit=1');
  assert.ok(page.bodyText.includes('Erste Idee zum Mitnehmen') && !page.bodyText.includes('Zweite Idee zum Mitnehmen'));
  assert.match(unescapeHtml(page.bodyText), /href="\/profile\/export\?part=ideas&limit=1&after=\d+" rel="next"/);
  const j = await me.getJson('/api/v1/profile/export?part=audit');
  assert.equal(j.data.parts.length, 1);
  assert.ok(j.data.parts[0].items.every((a) => typeof a.action === 'string'));
  assert.equal((await me.get('/profile/export?part=nonsense')).status, 404);
  assert.equal((await new Client(server.url).get('/profile/export.json')).status, 303, 'only for the person');
});

test('deleting the account: confirmation and password; personal data gone, supports withdrawn, ideas and comments kept as a deleted account\'s', async () => {
  const { me, other, ideas, theirs, comment } = await activePerson();
  const supportsBefore = sqlInt(`SELECT supports FROM ideas WHERE id = ${theirs}`);
  const otherSession = (await loginAs(me.email, PASSWORD)).c;

  let page = await me.get('/profile/delete');
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('Art. 17'), 'what must be kept is stated');
  const csrf = csrfFromHtml(page.bodyText, '/profile/delete');
  let res = await me.postForm('/profile/delete', { _csrf: csrf, password: PASSWORD });
  assert.equal(res.status, 422);
  assert.ok(res.bodyText.includes('href="#confirm"'));
  res = await me.postForm('/profile/delete', { _csrf: csrf, password: 'falsch falsch', confirm: '1', remove_contributions: '1' });
  assert.equal(res.status, 422);
  assert.ok(res.bodyText.includes('Das ist nicht Ihr aktuelles Passwort.'));
  assert.match(res.bodyText, /id="confirm"[^>]* checked/, 'the ticks stay');
  assert.match(res.bodyText, /id="remove_contributions"[^>]* checked/);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM users WHERE id = ${me.id} AND deleted_at IS NULL`), 1);

  res = await me.postForm('/profile/delete', { _csrf: csrf, password: PASSWORD, confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/profile/deleted');
  assert.equal(setCookie(res, 'unbox_session').attrs['max-age'], '0');
  page = await me.get('/profile/deleted');
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('Ihr Konto wurde gelöscht'));

  assert.equal(sqlInt(`SELECT COUNT(*) FROM throttle WHERE key LIKE ${quote('%' + me.email + '%')}`), 0);
  // logged out everywhere, no login
  assert.equal((await otherSession.getJson('/api/v1/session')).data.user, null);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM sessions WHERE user_id = ${me.id}`), 0);
  assert.equal((await loginAs(me.email, PASSWORD)).res.status, 401);
  assert.equal((await loginAs(`deleted-${me.id}`, 'irgendein Passwort')).res.status, 401);
  // personal data gone from every table
  assert.equal(sql(`SELECT name || '|' || pw_hash || '|' || COALESCE(confirmed_at, 0) FROM users WHERE id = ${me.id}`), '||0');
  for (const q of [
    `SELECT COUNT(*) FROM users WHERE email = ${quote(me.email)} OR name = ${quote(me.name)}`,
    `SELECT COUNT(*) FROM outbox WHERE to_addr = ${quote(me.email)} OR body LIKE ${quote('%' + me.name + '%')}`,
    `SELECT COUNT(*) FROM audit WHERE detail LIKE ${quote('%' + me.email + '%')} OR (actor_id = ${me.id} AND action LIKE 'account.%' AND detail <> '' AND action <> 'account.delete')`,
    `SELECT COUNT(*) FROM notifications WHERE data LIKE ${quote('%' + me.name + '%')}`,
    `SELECT COUNT(*) FROM idea_supports WHERE user_id = ${me.id}`,
    `SELECT COUNT(*) FROM follows WHERE user_id = ${me.id}`,
    `SELECT COUNT(*) FROM notifications WHERE user_id = ${me.id}`,
    `SELECT COUNT(*) FROM email_tokens WHERE user_id = ${me.id}`,
  ]) assert.equal(sqlInt(q), 0, q);
  // the support counted no more, the count kept consistent with the rows
  assert.equal(sqlInt(`SELECT supports FROM ideas WHERE id = ${theirs}`), supportsBefore - 1);
  assert.equal(sqlInt(`SELECT supports FROM ideas WHERE id = ${theirs}`), sqlInt(`SELECT COUNT(*) FROM idea_supports WHERE idea_id = ${theirs}`));
  // ideas and comments stay, as a deleted account's
  const anon = new Client(server.url);
  let ideaPage = await anon.get(`/ideas/${ideas[0]}`);
  assert.equal(ideaPage.status, 200);
  assert.ok(ideaPage.bodyText.includes('Erste Idee zum Mitnehmen'));
  assert.ok(ideaPage.bodyText.includes('von einem gelöschten Konto'));
  assert.ok(!ideaPage.bodyText.includes(me.name));
  const theirPage = await anon.get(`/ideas/${theirs}`);
  assert.ok(theirPage.bodyText.includes('Ein Kommentar von mir zu einer fremden Idee.'));
  assert.match(theirPage.bodyText, new RegExp(`id="comment-${comment}"[\\s\\S]*?Gelöschtes Konto`));
  const api = await anon.getJson(`/api/v1/ideas/${ideas[0]}`);
  assert.equal(api.data.author_deleted, true);
  // one audit row, with no personal data
  const row = sql(`SELECT actor_id || '|' || subject || '|' || detail FROM audit WHERE action = 'account.delete'`);
  assert.equal(row, `${me.id}|user:${me.id}|ideas and comments kept; supports withdrawn: 1; follows ended: 3`);
  // the address is free again
  const again = new Client(server.url);
  res = await again.postJson('/api/v1/register', { email: me.email, name: 'Wieder Da', password: PASSWORD }, { csrf: await again.apiCsrf() });
  assert.equal(res.status, 202);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM users WHERE email = ${quote(me.email)} AND name = 'Wieder Da'`), 1);
  void other;
});

test('deleting with the texts removed: ideas and comments keep their place with a placeholder', async () => {
  const { me, other, ideas, theirs, comment } = await activePerson();
  const commentsBefore = sqlInt(`SELECT comment_count FROM ideas WHERE id = ${theirs}`);
  const res = await post(me, '/profile/delete', { password: PASSWORD, confirm: '1', remove_contributions: '1' });
  assert.equal(res.status, 200, res.bodyText);
  assert.equal(res.data.deleted, true);
  assert.equal(res.data.texts_removed, true);
  assert.equal(res.data.ideas_removed, 2);
  assert.equal(res.data.comments_removed, 1);
  const anon = new Client(server.url);
  const page = await anon.get(`/ideas/${ideas[1]}`);
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('Idee entfernt'));
  assert.ok(!page.bodyText.includes('Zweite Idee zum Mitnehmen'));
  assert.equal(sqlInt(`SELECT COUNT(*) FROM ideas WHERE id IN (${ideas}) AND (title LIKE '%zum Mitnehmen%' OR description_md LIKE '%Menschen%')`), 0);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM comments WHERE id = ${comment} AND body_md <> ''`), 0);
  assert.equal(sqlInt(`SELECT COUNT(*) FROM comments WHERE id = ${comment} AND deleted_at IS NOT NULL`), 1);
  assert.equal(sqlInt(`SELECT comment_count FROM ideas WHERE id = ${theirs}`), commentsBefore - 1);
  // what others were told quotes the placeholder, not the title
  assert.equal(sqlInt(`SELECT COUNT(*) FROM notifications WHERE (subject IN ('idea:${ideas[0]}', 'idea:${ideas[1]}') OR actor_id = ${me.id}) AND data LIKE '%zum Mitnehmen%'`), 0);
  // the other person's comment on my idea stays
  assert.ok(page.bodyText.includes('Eine Antwort der anderen Person') || (await anon.get(`/ideas/${ideas[0]}`)).bodyText.includes('Eine Antwort der anderen Person'));
  // search no longer finds the texts
  const s = await anon.getJson('/api/v1/search?q=Mitnehmen');
  assert.ok(!JSON.stringify(s.data).includes(`"id":${ideas[0]},`) && !JSON.stringify(s.data).includes(`"id":${ideas[1]},`));
  assert.equal(sql(`SELECT detail FROM audit WHERE action = 'account.delete' AND subject = 'user:${me.id}'`),
    'texts of ideas and comments removed; supports withdrawn: 1; follows ended: 3');
  void other;
});

test('the last administrator cannot delete their account', async () => {
  const admin = await demoClient('admin');
  const res = await post(admin, '/profile/delete', { password: demo('admin').password, confirm: '1' });
  assert.equal(res.status, 409);
  assert.equal(res.data.error.code, 'last_admin');
  assert.ok((await admin.getJson('/api/v1/session')).data.user);
});

test('blocking needs a reason; the blocked person is told so at login, only with the right password', async () => {
  const team = await demoClient('team');
  const victim = await newResident({ name: 'Zu Sperrende Person' });
  // without a reason: refused, on the person's page with the error (HTML)
  let page = await team.get(`/users/${victim.id}`);
  assert.equal(page.status, 200);
  assert.ok(page.bodyText.includes('Zu Sperrende Person') && page.bodyText.includes('Bürger:in'));
  assert.ok(page.bodyText.includes(`action="/users/${victim.id}/block"`));
  let res = await team.postForm(`/users/${victim.id}/block`, { _csrf: csrfFromHtml(page.bodyText, `/users/${victim.id}/block`), reason: 'kurz' });
  assert.equal(res.status, 422);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'kurz');
  assert.ok(res.bodyText.includes('href="#reason"'));
  res = await post(team, `/users/${victim.id}/block`, {});
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.reason.code, 'required');
  assert.ok((await victim.getJson('/api/v1/session')).data.user, 'not blocked');

  const reason = 'Wiederholt beleidigende Kommentare gegen Nachbarn';
  res = await team.postForm(`/users/${victim.id}/block`, { _csrf: csrfFromHtml(page.bodyText, `/users/${victim.id}/block`), reason });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/users/${victim.id}`);
  assert.equal((await victim.getJson('/api/v1/session')).data.user, null);
  assert.equal(sql(`SELECT detail FROM audit WHERE action = 'user.block' AND subject = 'user:${victim.id}'`), reason);
  page = await team.get(`/users/${victim.id}`);
  assert.ok(page.bodyText.includes(reason));
  assert.ok(page.bodyText.includes(`action="/users/${victim.id}/unblock"`));
  const person = await team.getJson(`/api/v1/users/${victim.id}`);
  assert.equal(person.data.person.blocked, true);
  assert.equal(person.data.person.history[0].reason, reason);
  assert.ok(person.data.person.counts.some((c) => c.name === 'ideas'));

  // the right password: told that and why; a wrong one: the same as for anyone
  let { res: login } = await loginAs(victim.email, PASSWORD);
  assert.equal(login.status, 403);
  assert.ok(login.bodyText.includes('Ihr Konto wurde vom un:box-Team gesperrt'));
  assert.ok(login.bodyText.includes(reason));
  assert.ok(login.bodyText.includes('Kontakt'));
  const probe = new Client(server.url);
  const pcsrf = await probe.apiCsrf();
  let r = await probe.postJson('/api/v1/login', { email: victim.email, password: PASSWORD }, { csrf: pcsrf });
  assert.equal(r.status, 403);
  assert.equal(r.data.error.code, 'blocked');
  const wrong = await probe.postJson('/api/v1/login', { email: victim.email, password: 'nicht das Passwort' }, { csrf: pcsrf });
  const unknown = await probe.postJson('/api/v1/login', { email: 'niemand.hier@example.org', password: 'nicht das Passwort' }, { csrf: pcsrf });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.bodyText, unknown.bodyText, 'a wrong password tells nothing more');

  // unblocking wants a reason too
  res = await post(team, `/users/${victim.id}/unblock`, {});
  assert.equal(res.status, 422);
  res = await post(team, `/users/${victim.id}/unblock`, { reason: 'Hat sich entschuldigt, zweite Chance' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.data, { id: victim.id, blocked: false, reason: 'Hat sich entschuldigt, zweite Chance' });
  ({ res: login } = await loginAs(victim.email, PASSWORD));
  assert.equal(login.status, 303);
  assert.equal(sql(`SELECT detail FROM audit WHERE action = 'user.unblock' AND subject = 'user:${victim.id}'`), 'Hat sich entschuldigt, zweite Chance');
});

test('a person\'s page is for the team only; unknown and deleted accounts are not found', async () => {
  const resident = await demoClient('resident');
  const team = await demoClient('team');
  assert.equal((await resident.get(`/users/${team.id}`)).status, 403);
  assert.equal((await new Client(server.url).getJson(`/api/v1/users/${team.id}`)).status, 401);
  assert.equal((await team.get('/users/987654321')).status, 404);
  const gone = await newResident();
  assert.equal((await post(gone, '/profile/delete', { password: PASSWORD, confirm: '1' })).status, 200);
  assert.equal((await team.get(`/users/${gone.id}`)).status, 404);
  assert.equal((await post(team, `/users/${gone.id}/block`, { reason: 'Ein ausreichend langer Grund' })).status, 404);
  // the team's own page: no block form
  const own = await team.get(`/users/${team.id}`);
  assert.equal(own.status, 200);
  assert.ok(!own.bodyText.includes('/block"'));
  // team members cannot be blocked by the team, only by an admin
  const t = await team.getJson(`/api/v1/users/${(await demoClient('admin')).id}`);
  assert.equal(t.data.person.action_url, undefined);
});
