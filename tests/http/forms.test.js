// Forms state their limits next to the field, in the page's language and with
// its thousands separator; a text over its limit gets a field error with
// everything typed kept (never a bare "Request body too large"); a form whose
// fields each keep to their limits never meets its route's body limit, even
// in 4-byte characters; empty forms name each field in the summary and link
// to it; amounts are taken as people type them; the wording of issue 10.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server');
const {
  Client, csrfFromHtml, textareaValue, inputValue, demo, validIdea, stopServer, loginRoles, unescapeHtml,
} = require('../lib/http');

let server;
let clients;
let csrf;
before(async () => {
  server = await startServer();
  ({ clients, csrf } = await loginRoles(server.url, ['resident', 'team', 'committee']));
});
after(async () => { await stopServer(server); });

const EMOJI = '\u{1F333}';   // 🌳: one character, four bytes of UTF-8, twelve urlencoded

// The hint paragraph of a field (id="NAME-hint"), as text.
function hint(html, id) {
  const m = html.match(new RegExp(`<p class="kern-hint" id="${id}-hint">([\\s\\S]*?)</p>`));
  return m ? unescapeHtml(m[1].replace(/<[^>]*>/g, '')).trim() : undefined;
}

// The message next to a field, or undefined.
function fieldError(html, name) {
  const m = html.match(new RegExp(`<p class="kern-error" id="${name}-error">[\\s\\S]*?<span class="kern-body">([^<]*)</span></p>`));
  return m ? unescapeHtml(m[1]) : undefined;
}

// The entries of the error summary: [{ href, text }].
function summary(html) {
  const box = html.match(/<div class="kern-alert kern-alert--danger" role="alert" id="form-errors">([\s\S]*?)<\/div>\s*<\/div>/);
  if (!box) return [];
  return [...box[1].matchAll(/<li><a class="kern-link" href="#([^"]*)">([^<]*)<\/a><\/li>/g)]
    .map((m) => ({ href: m[1], text: unescapeHtml(m[2]) }));
}

// Every id the page holds.
function ids(html) {
  return new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
}

async function ideaIds() {
  const res = await new Client(server.url).getJson('/api/v1/ideas?limit=100');
  return res.data.items.map((i) => i.id);
}

test('the idea form states each limit next to its field, with the thousands separator of the page', async () => {
  const r = clients.resident;
  let res = await r.get('/ideas/new');
  assert.equal(res.status, 200);
  assert.equal(hint(res.bodyText, 'title'), 'Mindestens 5, höchstens 120 Zeichen.');
  assert.match(hint(res.bodyText, 'summary'), /Mindestens 10, höchstens 300 Zeichen\.$/);
  assert.match(hint(res.bodyText, 'description'), /Mindestens 20, höchstens 20\.000 Zeichen\.$/);
  // nothing cuts a pasted text silently: the limit is checked and told, not enforced by the browser
  assert.doesNotMatch(res.bodyText, /<textarea[^>]*maxlength/);

  res = await r.get('/ideas/new?lang=en');
  assert.equal(hint(res.bodyText, 'title'), 'At least 5, at most 120 characters.');
  assert.match(hint(res.bodyText, 'description'), /At least 20, at most 20,000 characters\.$/);
  res = await r.get('/ideas/new?lang=de');   // back to German for the other tests

  // the comment form and the report form of an idea page, the moderation forms of the team
  res = await r.get('/ideas/1');
  assert.match(hint(res.bodyText, 'body'), /^Höchstens 5\.000 Zeichen\./);
  assert.match(hint(res.bodyText, 'report-idea-1'), /^Mindestens 10, höchstens 1\.000 Zeichen\./);
  res = await clients.team.get('/ideas/1');
  assert.match(hint(res.bodyText, 'reason'), /Mindestens 10, höchstens 1\.000 Zeichen\.$/, 'the status reason');
  assert.match(hint(res.bodyText, 'merge_reason'), /Mindestens 10, höchstens 1\.000 Zeichen\.$/);
  assert.match(hint(res.bodyText, 'hide-idea-1'), /Mindestens 10, höchstens 1\.000 Zeichen\.$/);
  res = await clients.team.get('/cycles/new');
  assert.equal(hint(res.bodyText, 'theme_de'), 'Mindestens 3, höchstens 200 Zeichen.');
  res = await clients.team.get('/ideas/assisted');
  assert.match(hint(res.bodyText, 'resident_name'), /Mindestens 2, höchstens 80 Zeichen\.$/);
  assert.match(hint(res.bodyText, 'description'), /Mindestens 20, höchstens 20\.000 Zeichen\.$/);
  res = await new Client(server.url).get('/register');
  assert.match(hint(res.bodyText, 'name'), /Mindestens 2, höchstens 80 Zeichen\.$/);
});

test('90,000 characters of description: a field error in the page language, everything typed kept, nothing stored', async () => {
  const r = clients.resident;
  const before = await ideaIds();
  const formCsrf = csrfFromHtml((await r.get('/ideas/new')).bodyText, '/ideas');
  const long = 'Bäume für den Veedel. '.repeat(4091).slice(0, 90000);
  assert.equal([...long].length, 90000);
  const typed = validIdea({ title: 'Schatten für den Wochenmarkt', description: long });
  let res = await r.postForm('/ideas', { _csrf: formCsrf, ...typed });
  assert.equal(res.status, 422, res.bodyText.slice(0, 300));
  assert.match(res.headers.get('content-type'), /^text\/html/);
  let html = res.bodyText;
  const msg = 'Bitte kürzen Sie den Text auf höchstens 20.000 Zeichen; jetzt sind es 90.000.';
  assert.equal(fieldError(html, 'description'), msg);
  assert.deepEqual(summary(html), [{ href: 'description', text: `Beschreibung: ${msg}` }]);
  assert.equal(textareaValue(html, 'description'), long, 'all 90,000 characters come back');
  assert.equal(inputValue(html, 'title'), typed.title);
  assert.equal(textareaValue(html, 'summary'), typed.summary);

  // in English with the English separator
  res = await r.postForm('/ideas?lang=en', { _csrf: formCsrf, ...typed });
  assert.equal(res.status, 422);
  assert.equal(fieldError(res.bodyText, 'description'),
    'Please shorten the text to at most 20,000 characters; it has 90,000 now.');
  await r.get('/?lang=de');

  // JSON: the code, the bound and the length
  res = await r.postJson('/api/v1/ideas', typed, { csrf: csrf.resident });
  assert.equal(res.status, 422);
  assert.deepEqual(res.data.error.fields.description,
    { code: 'too_long', message: msg, max: 20000, length: 90000 });
  assert.deepEqual(await ideaIds(), before, 'nothing stored');
});

test('forms whose fields keep to their limits never meet the body limit, even in four-byte characters', async () => {
  const r = clients.resident;
  const t = clients.team;
  const long = (n) => EMOJI.repeat(n);

  // an idea with title, summary and description at their most, and five long co-author addresses
  const coAuthors = [1, 2, 3, 4, 5].map((i) => `${String(i).repeat(60)}@${'k'.repeat(60)}.example.org`).join(', ');
  let res = await r.postForm('/ideas', {
    _csrf: csrf.resident, ...validIdea({ title: long(120), summary: long(300), description: long(20000), co_authors: coAuthors }),
  });
  assert.equal(res.status, 303, (res.bodyText.match(/kern-error" id="[^"]*"[\s\S]{0,200}/g) || []).join('\n'));
  const ideaPath = res.headers.get('location').replace(/\?submitted=1#idea-notice$/, '');   // the confirmation
  assert.match(ideaPath, /^\/ideas\/\d+$/);
  const idea = await r.getJson('/api/v1' + ideaPath);
  assert.equal(idea.data.description, long(20000));

  // a comment of 5,000 characters and a report of 1,000
  res = await r.postForm(ideaPath + '/comments', { _csrf: csrf.resident, body: long(5000) });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  res = await clients.committee.postForm(ideaPath + '/report', { _csrf: csrf.committee, reason: long(1000) });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));

  // the team's forms with their longest reasons: read, and answered by their own checks
  res = await t.postForm(ideaPath + '/status', { _csrf: csrf.team, status: 'nicht-da', reason: long(1000) });
  assert.notEqual(res.status, 413);
  assert.equal(res.status, 422);
  res = await t.postForm(ideaPath + '/merge', { _csrf: csrf.team, target: '999999', reason: long(1000) });
  assert.notEqual(res.status, 413);
  assert.equal(res.status, 422);
  res = await t.postForm(ideaPath + '/hide', { _csrf: csrf.team, reason: long(1000) });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));

  // an assisted idea at its most
  res = await t.postForm('/ideas/assisted', {
    _csrf: csrf.team, ...validIdea({ title: long(120), summary: long(300), description: long(20000) }),
    channel: 'campaign', campaign: 'x'.repeat(40), resident_name: long(80), resident_email: `${'r'.repeat(60)}@example.org`,
  });
  assert.notEqual(res.status, 413, res.bodyText.slice(0, 300));

  // a cycle with both themes at their most
  res = await t.postForm('/cycles', {
    _csrf: csrf.team, number: '77', theme_de: long(200), theme_en: long(200), submission_start: '2031-03-01',
    submission_end: '2031-04-30', phase1_start: '2031-03-01', phase2_start: '2031-05-01', phase3_start: '2031-09-01',
    phase4_start: '2032-01-01', phase4_end: '2032-06-30', funding_cap_eur: '50.000', target_projects: '10',
    prototype_months: '6',
  });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));

  // registering with the longest name and the longest password (1,024 bytes)
  let longPassword = '';
  for (let i = 0; Buffer.byteLength(longPassword + `Brücke${i} `) <= 1024; i++) longPassword += `Brücke${i} `;
  longPassword += 'x'.repeat(1024 - Buffer.byteLength(longPassword));
  assert.equal(Buffer.byteLength(longPassword), 1024);
  const anon = new Client(server.url);
  const regCsrf = await anon.csrfFrom('/register', '/register');
  res = await anon.postForm('/register', {
    _csrf: regCsrf, email: `${'l'.repeat(64)}@${'m'.repeat(60)}.example.org`, name: long(80),
    password: longPassword,
  });
  assert.equal(res.status, 303, (res.bodyText.match(/kern-error" id="[^"]*"[\s\S]{0,200}/g) || []).join('\n'));
});

test('empty forms name each field with its label and link to it; the message says what to do', async () => {
  const generic = /Bitte füllen Sie dieses Feld aus\./;
  const check = (html, expected) => {
    const entries = summary(html);
    assert.deepEqual(entries.map((e) => e.text), expected);
    const present = ids(html);
    for (const e of entries) assert.ok(present.has(e.href), `#${e.href} is on the page`);
    assert.doesNotMatch(html, generic);
  };

  const anon = new Client(server.url);
  const regCsrf = await anon.csrfFrom('/register', '/register');
  let res = await anon.postForm('/register', { _csrf: regCsrf, email: '', name: '', password: '' });
  assert.equal(res.status, 422);
  check(res.bodyText, [
    'E-Mail-Adresse: Bitte geben Sie Ihre E-Mail-Adresse ein.',
    'Anzeigename: Bitte geben Sie Ihren Namen ein.',
    'Passwort: Bitte geben Sie ein Passwort ein.',
  ]);
  assert.equal(fieldError(res.bodyText, 'email'), 'Bitte geben Sie Ihre E-Mail-Adresse ein.');

  // the login form names its empty fields too, instead of "wrong password"
  const loginCsrf = await anon.csrfFrom('/login', '/login');
  res = await anon.postForm('/login', { _csrf: loginCsrf, email: '', password: '' });
  assert.equal(res.status, 422);
  check(res.bodyText, ['E-Mail-Adresse: Bitte geben Sie Ihre E-Mail-Adresse ein.', 'Passwort: Bitte geben Sie ein Passwort ein.']);
  assert.match(res.bodyText, /<input [^>]*id="password"[^>]*aria-invalid="true"/);

  res = await clients.team.postForm('/ideas/assisted', { _csrf: csrf.team });
  assert.equal(res.status, 422);
  check(res.bodyText, [
    'Titel: Bitte geben Sie einen Titel ein.',
    'Kurzbeschreibung: Bitte fassen Sie die Idee in ein oder zwei Sätzen zusammen.',
    'Beschreibung: Bitte beschreiben Sie die Idee.',
    'Innovationsfeld: Bitte wählen Sie ein Innovationsfeld.',
    'Stadtteil: Bitte wählen Sie den Stadtteil.',
    'Weg: Bitte wählen Sie, wie die Idee eingegangen ist.',
    'Name der Person: Bitte geben Sie den Namen der Person ein.',
    'Zustimmung zur Veröffentlichung: Bitte stimmen Sie der Veröffentlichung zu; ohne Zustimmung kann die Idee nicht gezeigt werden.',
  ]);

  res = await clients.team.postForm('/cycles', { _csrf: csrf.team });
  assert.equal(res.status, 422);
  const cycle = summary(res.bodyText);
  assert.equal(cycle.length, 10);
  assert.deepEqual(cycle.slice(0, 4).map((e) => e.text), [
    'Nummer: Bitte geben Sie die Nummer der Runde ein.',
    'Jahresthema (Deutsch): Bitte geben Sie das Jahresthema auf Deutsch ein.',
    'Jahresthema (Englisch): Bitte geben Sie das Jahresthema auf Englisch ein.',
    'Einreichung ab: Bitte geben Sie den ersten Tag der Einreichungsfrist ein.',
  ], 'in the order of the form');
  check(res.bodyText, cycle.map((e) => e.text));

  res = await clients.resident.postForm('/ideas', { _csrf: csrf.resident });
  assert.equal(res.status, 422);
  assert.equal(summary(res.bodyText)[0].text, 'Titel: Bitte geben Sie einen Titel ein.');
  check(res.bodyText, summary(res.bodyText).map((e) => e.text));

  // the comment form and the report form
  res = await clients.resident.postForm('/ideas/1/comments', { _csrf: csrf.resident, body: ' ' });
  assert.equal(res.status, 422);
  check(res.bodyText, ['Ihr Kommentar: Bitte schreiben Sie Ihren Kommentar.']);
  res = await clients.resident.postForm('/ideas/1/report', { _csrf: csrf.resident, reason: '' });
  assert.equal(res.status, 422);
  check(res.bodyText, ['Begründung: Bitte geben Sie eine Begründung an.']);
  assert.equal(summary(res.bodyText)[0].href, 'report-idea-1');
  res = await clients.resident.postForm('/ideas/1/report', { _csrf: csrf.resident, reason: 'zu kurz' });
  assert.equal(res.status, 422);
  assert.deepEqual(summary(res.bodyText).map((e) => e.text),
    ['Begründung: Bitte schreiben Sie mindestens 10 Zeichen; jetzt sind es 7.']);
  assert.equal(textareaValue(res.bodyText, 'reason'), 'zu kurz', 'the typed reason is kept');

  // in English
  res = await anon.postForm('/login?lang=en', { _csrf: loginCsrf, email: 'a@example.org', password: '' });
  assert.deepEqual(summary(res.bodyText).map((e) => e.text), ['Password: Please enter a password.']);
});

test('amounts as people type them: 75.000, 50.000,00 €, €60,000; cents are refused with a clear message', async () => {
  const t = clients.team;
  const fields = (number, cap) => ({
    _csrf: csrf.team, number, theme_de: 'Köln. Offen. Vernetzt.', theme_en: 'Cologne. Open. Connected.',
    submission_start: '2033-03-01', submission_end: '2033-04-30', phase1_start: '2033-03-01', phase2_start: '2033-05-01',
    phase3_start: '2033-09-01', phase4_start: '2034-01-01', phase4_end: '2034-06-30', funding_cap_eur: cap,
    target_projects: '10', prototype_months: '6',
  });
  for (const [number, typed, euros] of [['81', '75.000', 75000], ['82', '50.000,00 €', 50000], ['83', '€60,000', 60000],
    ['84', '45 000 EUR', 45000], ['85', '30000', 30000]]) {
    const res = await t.postForm('/cycles', fields(number, typed));
    assert.equal(res.status, 303, `${typed}: ${res.bodyText.slice(0, 300)}`);
    const cycle = await t.getJson('/api/v1' + res.headers.get('location'));
    assert.equal(cycle.data.funding_cap_eur, euros, typed);
  }
  let res = await t.postForm('/cycles', fields('86', '50.000,50 €'));
  assert.equal(res.status, 422);
  assert.equal(fieldError(res.bodyText, 'funding_cap_eur'), 'Bitte geben Sie den Betrag in ganzen Euro an, ohne Cent.');
  assert.equal(inputValue(res.bodyText, 'funding_cap_eur'), '50.000,50 €', 'kept as typed');
  res = await t.postForm('/cycles', fields('86', 'fünfzig'));
  assert.equal(res.status, 422);
  assert.match(fieldError(res.bodyText, 'funding_cap_eur'), /ganzen Euro über 0/);

  // the form shows the amount the way it is typed: with the separator of the page
  res = await t.get('/cycles/new');
  assert.equal(inputValue(res.bodyText, 'funding_cap_eur'), '50.000');
  res = await t.get('/cycles/new?lang=en');
  assert.equal(inputValue(res.bodyText, 'funding_cap_eur'), '50,000');
  await t.get('/?lang=de');
});

test('wording: roles by name, one word for a cycle, one gender form, "6 Monate", no page sizes for residents', async () => {
  // no raw role key on the profile
  let res = await clients.committee.get('/profile');
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /<dd class="kern-description-list-item__value">Lenkungsausschuss<\/dd>/);
  assert.doesNotMatch(res.bodyText, />committee</);
  res = await clients.committee.getJson('/api/v1/profile');
  assert.equal(res.data.user.role, 'committee', 'the API keeps the key');

  // "Runde" everywhere, never "Zyklus"; the colon form, never the star or pairs
  const anon = new Client(server.url, { lang: 'de' });
  const pages = ['/', '/ideas', '/cycles', '/cycles/1', '/search?q=Baum', '/ideas/map', '/ideas/1', '/register', '/login'];
  const pagesIn = [];
  for (const p of pages) pagesIn.push([p, (await anon.get(p)).bodyText, true]);
  for (const p of ['/ideas/new', '/notifications', '/profile']) pagesIn.push([p, (await clients.resident.get(p)).bodyText, true]);
  for (const p of ['/cycles/new', '/ideas/assisted', '/moderation', '/caretaker', '/ideas/1']) pagesIn.push([p, (await clients.team.get(p)).bodyText, false]);
  for (const [p, html, resident] of pagesIn) {
    const text = html.replace(/<[^>]*>/g, ' ');
    assert.doesNotMatch(text, /Zykl/, `${p} says Runde`);
    assert.doesNotMatch(text, /\p{L}\*in(nen)?\b/u, `${p}: no gender star`);
    if (resident) assert.doesNotMatch(text, /höchstens \d+\)/, `${p}: no page sizes for residents`);
    assert.doesNotMatch(text, /Rolle:?\s+(resident|team|committee|spurgruppe|supporter|steward|admin)\b/, p);
  }

  // every German text of the pages (the demo ideas are the residents' own words): the colon form
  const de = fs.readFileSync(path.join(__dirname, '..', '..', 'po', 'de.po'), 'utf8');
  const texts = [...de.matchAll(/^msgstr "(.*)"$/gm)].map((m) => m[1]);
  assert.ok(texts.some((t) => /Bürger:innen/.test(t)));
  for (const t of texts) {
    assert.doesNotMatch(t, /\p{L}\*in(nen)?\b|\p{L}\/in(nen)?\b|\p{Ll}Innen\b/u, t);
    assert.doesNotMatch(t, /(\p{L}+)innen und \1en?\b|(\p{L}+)in oder (ein )?\2\b/u, t);
    assert.doesNotMatch(t, /Zykl/, t);
  }

  // the prototype duration in the nominative: "6 Monate"
  const cycles = await anon.getJson('/api/v1/cycles');
  const withSix = cycles.data.items.find((c) => c.prototype_months === 6);
  res = await anon.get(withSix.url);
  assert.match(res.bodyText, /<dd class="kern-description-list-item__value">6 Monate<\/dd>/);
  res = await anon.get(withSix.url + '?lang=en');
  assert.match(res.bodyText, /<dd class="kern-description-list-item__value">6 months<\/dd>/);
  res = await anon.get('/cycles?lang=de');
  assert.match(res.bodyText, /Prototyp: 6 Monate/);
  assert.doesNotMatch(res.bodyText, /Monaten/);
});

test('a used confirmation link says what to do next: log in, or get a new link by logging in', async () => {
  const c = new Client(server.url, { lang: 'de' });
  const regCsrf = await c.csrfFrom('/register', '/register');
  const from = server.log().length;
  const email = `bestaetigt-${Date.now()}@example.org`;
  let res = await c.postForm('/register', { _csrf: regCsrf, email, name: 'Zweimal Klicker', password: 'Rheinufer Dom Brücke 2026' });
  assert.equal(res.status, 303);
  const m = await server.waitForLog(/\/confirm\?token=([A-Za-z0-9_-]+)/, { from });

  // before confirming: the login says to open the link (one was sent a moment ago)
  const loginCsrf = await c.csrfFrom('/login', '/login');
  res = await c.postForm('/login', { _csrf: loginCsrf, email, password: 'Rheinufer Dom Brücke 2026' });
  assert.equal(res.status, 403);
  assert.match(res.bodyText, /Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link|open the link/);

  const confirmCsrf = csrfFromHtml((await c.get(`/confirm?token=${m[1]}`)).bodyText, '/confirm');
  res = await c.postForm('/confirm', { _csrf: confirmCsrf, token: m[1] });
  assert.equal(res.status, 303);
  // the same link again
  res = await c.postForm('/confirm', { _csrf: confirmCsrf, token: m[1] });
  assert.equal(res.status, 422);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = res.bodyText;
  assert.match(html, /<h1 class="kern-heading-large">Dieser Link wurde schon verwendet<\/h1>/);
  assert.match(html, /Dieser Bestätigungslink wurde schon verwendet oder ist abgelaufen\./);
  assert.match(html, /<a class="kern-btn kern-btn--primary" href="\/login">/, 'the way to log in');
  assert.match(html, /einen neuen Link/, 'and how to get a new link');
  assert.doesNotMatch(html, /registrieren Sie sich erneut|register again/i);
  res = await c.postJson('/api/v1/confirm', { token: m[1] }, { csrf: await c.apiCsrf() });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.code, 'invalid_token');
});
