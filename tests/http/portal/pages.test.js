// The pages every public body must have and the pages explaining un:box,
// through the real server: each answers in German and English (HTML and
// JSON), every page's footer links to them, the Leichte-Sprache page is
// German and linked with the plain one both ways, the demo texts say they
// are demo texts; the team writes the texts (every save a new version with
// an audit row, the history and an old version readable, raw HTML dropped,
// headings kept in order, two writers told of each other, limits stated,
// typed text kept on errors), and the cached anonymous pages show a change
// at once; the accessibility feedback form reaches the team through the
// outbox, for visitors too, and is limited per address. SQLite or (with
// UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer } = require('../../lib/server');
const { Client, csrfFromHtml, inputValue, textareaValue, unescapeHtml, demo, stopServer } = require('../../lib/http');

const PAGES = ['/impressum', '/datenschutz', '/barrierefreiheit', '/kontakt', '/about', '/leichte-sprache'];
let server;

before(async () => { server = await startServer(); });
after(async () => { await stopServer(server); });

function sql(statement) {
  if (server.dsn.startsWith('postgres'))
    return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', server.dsn, '-c', statement]).toString().trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.dsn.slice('sqlite:'.length), statement]).toString().trim();
}

async function loggedIn(role, lang = 'en') {
  const client = new Client(server.url, { lang });
  const res = await client.login(demo(role).email, demo(role).password);
  assert.equal(res.status, 303, `${role} login`);
  assert.equal((await client.get(`/session?lang=${lang}`)).status, 200);   // pages in this language from now on
  return client;
}

// The <main> of a page, and its footer.
const mainOf = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const footerOf = (html) => html.slice(html.indexOf('<footer class="site-footer"'));

test('every page links to the legal and information pages in its footer', async () => {
  const anon = new Client(server.url, { lang: 'de' });
  const resident = await loggedIn('resident', 'de');
  for (const [who, c] of [['visitor', anon], ['resident', resident]]) {
    for (const path of ['/', '/ideas', '/login', '/cycles', '/impressum', '/leichte-sprache', '/no-such-page']) {
      const res = await c.get(path);
      const footer = footerOf(res.bodyText);
      for (const p of PAGES)
        assert.match(footer, new RegExp(`<a class="kern-link" href="${p}"`), `${who} ${path}: footer links to ${p}`);
      assert.match(footer, /<nav class="footer-nav" aria-label="[^"]+">/, `${who} ${path}: a named navigation`);
      assert.match(footer, /href="\/leichte-sprache" lang="de" hreflang="de">Leichte Sprache</, `${path}: marked German`);
      assert.match(footer, /Impressum<\/a>/);
      assert.match(footer, /Datenschutz/);
      assert.match(footer, /Herausgegeben von: Stadt Köln/, `${who} ${path}: the city from the settings`);
    }
  }
  const en = await new Client(server.url, { lang: 'en' }).get('/ideas');
  const footer = footerOf(en.bodyText);
  for (const label of ['Legal notice', 'Privacy policy', 'Accessibility statement', 'Contact', 'What is un:box?'])
    assert.ok(footer.includes(label), `English footer: ${label}`);
});

test('each information page answers in German and English, in HTML and JSON, with its demo text marked', async () => {
  const titles = {
    de: ['Impressum', 'Datenschutzerklärung', 'Erklärung zur Barrierefreiheit', 'Kontakt', 'Was ist un:box?', 'un:box in Leichter Sprache'],
    en: ['Legal notice', 'Privacy policy', 'Accessibility statement', 'Contact', 'What is un:box?', 'un:box in Leichter Sprache'],
  };
  for (const lang of ['de', 'en']) {
    const c = new Client(server.url, { lang });
    for (let i = 0; i < PAGES.length; i++) {
      const res = await c.get(PAGES[i]);
      assert.equal(res.status, 200, `${lang} ${PAGES[i]}`);
      const main = mainOf(res.bodyText);
      assert.ok(main.includes(`<h1 class="kern-heading-x-large">${titles[lang][i]}</h1>`), `${lang} ${PAGES[i]}`);
      assert.ok(res.bodyText.includes(`<title>${titles[lang][i]} – un:box</title>`));
      assert.match(main, /role="note"/, `${lang} ${PAGES[i]}: the demo notice`);
      assert.match(main, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
      // headings in order: one h1, then h2 before any h3
      const levels = [...main.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
      assert.equal(levels.filter((l) => l === 1).length, 1, `${PAGES[i]}: one h1`);
      for (let k = 1; k < levels.length; k++)
        assert.ok(levels[k] <= levels[k - 1] + 1, `${lang} ${PAGES[i]}: h${levels[k - 1]} then h${levels[k]}`);
      const json = await c.getJson('/api/v1' + PAGES[i]);
      assert.equal(json.status, 200);
      assert.equal(json.data.text.title, titles[lang][i]);
      assert.equal(json.data.info.slug, PAGES[i].slice(1));
      assert.equal(json.data.text.demo, true);
      assert.match(json.data.text.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(json.data.text.html.includes('<h2>'), `${PAGES[i]}: the text as HTML`);
      assert.equal(typeof json.data.text.markdown, 'string');
    }
  }
});

test('Leichte Sprache is German, on the English pages too, and linked with the plain page both ways', async () => {
  for (const lang of ['de', 'en']) {
    const c = new Client(server.url, { lang });
    const easy = await c.get('/leichte-sprache');
    assert.match(easy.bodyText, /<article class="info-page easy-read" lang="de">/, lang);
    assert.match(easy.bodyText, /<a class="kern-link" href="\/about" hreflang="de">Diese Seite in Alltags-Sprache<\/a>/);
    const plain = await c.get('/about');
    assert.match(plain.bodyText, /<a class="kern-link" href="\/leichte-sprache" hreflang="de" lang="de">Diese Seite in Leichter Sprache<\/a>/);
    assert.match(plain.bodyText, new RegExp(`<article class="info-page" lang="${lang}">`));
    assert.equal((await c.getJson('/api/v1/leichte-sprache')).data.text.lang, 'de');
  }
  // short sentences, one statement each: no line of the text is longer than 12 words
  const text = (await new Client(server.url).getJson('/api/v1/leichte-sprache')).data.text.markdown;
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('**Demo')))
    assert.ok(line.split(/\s+/).length <= 12, `a long sentence: ${line}`);
});

test('the contact page and the legal notice show how to reach the team, from the settings', async () => {
  const res = await new Client(server.url, { lang: 'de' }).get('/kontakt');
  const main = mainOf(res.bodyText);
  assert.match(main, /<h2 class="kern-heading-medium" id="contact-heading">So erreichen Sie uns<\/h2>/);
  assert.match(main, /Willy-Brandt-Platz 2<br>/);
  assert.match(main, /<a class="kern-link" href="tel:02212210">0221 221-0<\/a>/);
  assert.match(main, /<a class="kern-link" href="mailto:unbox@demo.unbox.invalid">/);
  assert.match(mainOf((await new Client(server.url).get('/impressum')).bodyText), /Willy-Brandt-Platz 2/);
});

test('the accessibility statement says what the tests check and what is missing, and leads to the feedback form', async () => {
  const res = await new Client(server.url, { lang: 'de' }).get('/barrierefreiheit');
  const main = mainOf(res.bodyText);
  assert.match(main, /BITV 2\.0/);
  assert.match(main, /axe-core/);
  assert.match(main, /WCAG 2\.0 und 2\.1 auf den Stufen A und AA/);
  assert.match(main, /Was noch nicht barrierefrei ist/);
  assert.match(main, /teilweise barrierefrei/);
  assert.match(main, /<a class="kern-btn kern-btn--primary" href="\/barrierefreiheit\/feedback">/);
});

test('a page not written in English yet shows the German text, marked German', async () => {
  sql("DELETE FROM info_texts WHERE slug = 'kontakt' AND lang = 'en'");
  const resident = await loggedIn('resident');     // not from the page cache
  const res = await resident.get('/kontakt');
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /<article class="info-page" lang="de">/);
  assert.match(res.bodyText, /<p class="kern-body" lang="en"><strong>This page is available in German only.<\/strong><\/p>/);
  assert.match(res.bodyText, /<h1 class="kern-heading-x-large">Kontakt<\/h1>/);
  const json = await resident.getJson('/api/v1/kontakt');
  assert.equal(json.data.info.fallback, true);
  assert.equal(json.data.text.lang, 'de');
});

test('the team edits a text: a new version with an audit row, shown at once, the history and the old version kept', async () => {
  const anon = new Client(server.url, { lang: 'de' });
  const warm = await anon.get('/impressum');         // into the page cache
  assert.equal((await anon.get('/impressum')).bodyText, warm.bodyText);
  const team = await loggedIn('team');
  const list = await team.get('/texts');
  assert.equal(list.status, 200);
  assert.equal((unescapeHtml(list.bodyText).match(/href="\/texts\/edit\?page=[a-z-]+&language=(de|en)"/g) || []).length, 11);
  const form = await team.get('/texts/edit?page=impressum&language=de');
  assert.equal(form.status, 200);
  assert.equal(inputValue(form.bodyText, 'version'), '1');
  assert.equal(inputValue(form.bodyText, 'title'), 'Impressum');
  assert.match(textareaValue(form.bodyText, 'body'), /Bezirksregierung Köln/);
  assert.match(form.bodyText, /Up to 100,000 characters\./, 'the limit is stated');
  const body = '## Anbieterin\n\nDie Stadt Köln, Amt für Digitales.\n\n### Anschrift\n\nWilly-Brandt-Platz 2';
  const res = await team.postForm('/texts/edit', { _csrf: csrfFromHtml(form.bodyText, '/texts/edit'), page: 'impressum',
    language: 'de', version: '1', title: 'Impressum', body, note: 'Die eigene Anbieterin eingetragen' });
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  assert.equal(res.headers.get('location'), '/texts/edit?page=impressum&language=de&saved=2');
  const saved = await team.get(res.headers.get('location'));
  assert.match(saved.bodyText, /Saved as version 2\./);
  assert.match(saved.bodyText, /version 2<\/a>, <time[^>]*>[^<]*<\/time>, Jonas Becker: Die eigene Anbieterin eingetragen/);
  assert.match(saved.bodyText, /version 1<\/a>/);
  // the anonymous page, cached a moment ago, shows the new text and no demo notice
  const page = await anon.get('/impressum');
  assert.match(page.bodyText, /Amt für Digitales/);
  assert.doesNotMatch(mainOf(page.bodyText), /role="note"/);
  assert.match(page.bodyText, /\(Version 2\)/);
  // the old version is still readable
  const v1 = saved.bodyText.match(/href="(\/texts\/versions\/\d+)">version 1</)[1];
  const old = await team.get(v1);
  assert.equal(old.status, 200);
  assert.match(old.bodyText, /Bezirksregierung Köln/);
  assert.equal((await team.getJson('/api/v1' + v1)).data.version, 1);
  // one audit row per version, with the note
  assert.equal(sql("SELECT detail FROM audit WHERE action = 'text.edit' AND subject = 'text:impressum:de' ORDER BY id"),
               'version 1\nversion 2: Die eigene Anbieterin eingetragen');
  assert.equal(sql("SELECT COUNT(*) FROM info_texts WHERE slug = 'impressum' AND lang = 'de'"), '2');
  // saving the same text again stores nothing new
  const csrf = await team.apiCsrf();
  const same = await team.postJson('/api/v1/texts/edit', { page: 'impressum', language: 'de', version: 2, title: 'Impressum', body }, { csrf });
  assert.equal(same.status, 200);
  assert.equal(same.data.version, 2);
  assert.equal(sql("SELECT COUNT(*) FROM info_texts WHERE slug = 'impressum' AND lang = 'de'"), '2');
});

test('texts are Markdown without HTML, and their headings must stay in order', async () => {
  const team = await loggedIn('team', 'de');
  const csrf = await team.apiCsrf();
  const version = (await team.getJson('/api/v1/datenschutz')).data.text.version;
  const evil = '## Daten\n\n<script>alert(1)</script>\n\n[Klick](javascript:alert(2)) <img src=x onerror=alert(3)>';
  const res = await team.postJson('/api/v1/texts/edit', { page: 'datenschutz', language: 'de', version, title: 'Datenschutzerklärung', body: evil }, { csrf });
  assert.equal(res.status, 200, res.bodyText);
  const page = await team.get('/datenschutz');
  assert.doesNotMatch(page.bodyText, /<script>alert|javascript:alert|onerror=/);
  // a second top heading, and a level left out: the field says what to do, everything typed is kept
  const form = await team.get('/texts/edit?page=about&language=de');
  const token = csrfFromHtml(form.bodyText, '/texts/edit');
  const v = inputValue(form.bodyText, 'version');
  for (const [body, words] of [['# Noch ein Titel\n\nText', /Beginnen Sie Abschnitte mit ##/], ['## Teil\n\n#### Zu tief', /eine Ebene nach der anderen/]]) {
    const bad = await team.postForm('/texts/edit', { _csrf: token, page: 'about', language: 'de', version: v, title: 'Was ist un:box?', body, note: 'Test' });
    assert.equal(bad.status, 422);
    assert.match(bad.bodyText, words);
    assert.match(bad.bodyText, /<p class="kern-error" id="body-error">/);
    assert.match(bad.bodyText, /<a class="kern-link" href="#body">/, 'the summary links to the field');
    assert.equal(textareaValue(bad.bodyText, 'body'), body);
    assert.equal(inputValue(bad.bodyText, 'note'), 'Test');
  }
  const empty = await team.postForm('/texts/edit', { _csrf: token, page: 'about', language: 'de', version: v, title: '', body: 'Etwas' });
  assert.equal(empty.status, 422);
  assert.match(empty.bodyText, /<p class="kern-error" id="title-error">/);
  assert.equal(textareaValue(empty.bodyText, 'body'), 'Etwas');
  const long = await team.postJson('/api/v1/texts/edit', { page: 'about', language: 'de', version: Number(v), title: 'Titel', body: 'x'.repeat(100001) }, { csrf });
  assert.equal(long.status, 422);
  assert.equal(long.data.error.fields.body.code, 'too_long');
  // pages and languages that do not exist
  assert.equal((await team.get('/texts/edit?page=leichte-sprache&language=en')).status, 404);
  assert.equal((await team.get('/texts/edit?page=agb&language=de')).status, 404);
  assert.equal((await team.getJson('/api/v1/texts/versions/987654')).status, 404);
});

test('two people editing one text: the second is told and keeps what they typed', async () => {
  const a = await loggedIn('team');
  const b = await loggedIn('admin');
  const formA = await a.get('/texts/edit?page=kontakt&language=de');
  const formB = await b.get('/texts/edit?page=kontakt&language=de');
  const base = inputValue(formA.bodyText, 'version');
  assert.equal(inputValue(formB.bodyText, 'version'), base);
  const first = await a.postForm('/texts/edit', { _csrf: csrfFromHtml(formA.bodyText, '/texts/edit'), page: 'kontakt', language: 'de', version: base, title: 'Kontakt', body: '## Zuerst\n\nVon A.' });
  assert.equal(first.status, 303);
  const second = await b.postForm('/texts/edit', { _csrf: csrfFromHtml(formB.bodyText, '/texts/edit'), page: 'kontakt', language: 'de', version: base, title: 'Kontakt', body: '## Danach\n\nVon B.' });
  assert.equal(second.status, 409);
  assert.match(unescapeHtml(second.bodyText), /Someone else has saved this text in the meantime/);
  assert.equal(textareaValue(second.bodyText, 'body'), '## Danach\n\nVon B.');
  assert.equal(inputValue(second.bodyText, 'version'), String(Number(base) + 1), 'the form now saves onto the newer version');
  assert.match(second.bodyText, /The current version is <a class="kern-link" href="\/texts\/versions\/\d+">version \d+<\/a> \(Jonas Becker\)/);
  const again = await b.postForm('/texts/edit', { _csrf: csrfFromHtml(second.bodyText, '/texts/edit'), page: 'kontakt', language: 'de', version: inputValue(second.bodyText, 'version'), title: 'Kontakt', body: '## Danach\n\nVon B.' });
  assert.equal(again.status, 303);
  const json = await b.postJson('/api/v1/texts/edit', { page: 'kontakt', language: 'de', version: Number(base), title: 'Kontakt', body: 'Alt' }, { csrf: await b.apiCsrf() });
  assert.equal(json.status, 409);
  assert.equal(json.data.error.code, 'conflict');
});

test('only the team writes texts', async () => {
  const resident = await loggedIn('resident');
  assert.equal((await resident.get('/texts')).status, 403);
  const csrf = await resident.apiCsrf();
  const res = await resident.postJson('/api/v1/texts/edit', { page: 'impressum', language: 'de', version: 9, title: 'Gehackt', body: 'x' }, { csrf });
  assert.equal(res.status, 403);
  const visitor = await new Client(server.url).get('/texts/edit?page=impressum&language=de');
  assert.equal(visitor.status, 303);
  assert.match((await new Client(server.url).get('/impressum')).bodyText, /Impressum/);
  assert.doesNotMatch((await new Client(server.url).get('/impressum')).bodyText, /Gehackt|Edit this text/);
  const team = await (await loggedIn('team')).get('/impressum');
  assert.match(unescapeHtml(team.bodyText), /href="\/texts\/edit\?page=impressum&language=en">Edit this text/);
});

test('a barrier is reported through the form and reaches the team by e-mail, with mistakes shown next to the fields', async () => {
  const visitor = new Client(server.url, { lang: 'de' });
  const form = await visitor.get('/barrierefreiheit/feedback?from=/ideas/map');
  assert.equal(form.status, 200);
  assert.equal(inputValue(form.bodyText, 'where'), '/ideas/map', 'the page the visitor came from');
  assert.match(form.bodyText, /10 bis 5\.000 Zeichen/);
  const token = csrfFromHtml(form.bodyText, '/barrierefreiheit/feedback');
  const bad = await visitor.postForm('/barrierefreiheit/feedback', { _csrf: token, message: 'kurz', email: 'keine-adresse', where: '/ideas/map' });
  assert.equal(bad.status, 422);
  assert.match(bad.bodyText, /<p class="kern-error" id="message-error">/);
  assert.match(bad.bodyText, /<p class="kern-error" id="email-error">/);
  assert.equal(textareaValue(bad.bodyText, 'message'), 'kurz');
  assert.equal(inputValue(bad.bodyText, 'email'), 'keine-adresse');
  const from = server.log().length;
  const message = 'Die Karte der Ideen lässt sich mit dem Bildschirmleser nicht bedienen.';
  const ok = await visitor.postForm('/barrierefreiheit/feedback', { _csrf: token, message, where: '/ideas/map', name: 'Uschi Test', email: 'uschi@example.org' });
  assert.equal(ok.status, 303, ok.bodyText.slice(0, 300));
  assert.equal(ok.headers.get('location'), '/barrierefreiheit/feedback?sent=1');
  const mail = await server.waitForLog(/outbox \(demo\): to=barrierefreiheit@demo\.unbox\.invalid subject="un:box: Rückmeldung zur Barrierefreiheit"\n([\s\S]*?)Bitte antworten Sie/, { from });
  assert.ok(mail[1].includes(message));
  assert.ok(mail[1].includes('uschi@example.org'));
  assert.ok(mail[1].includes('/ideas/map'));
  const thanks = await visitor.get('/barrierefreiheit/feedback?sent=1');
  assert.match(thanks.bodyText, /role="status"/);
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE action = 'feedback.accessibility'"), '1');
  assert.equal(sql("SELECT detail FROM audit WHERE action = 'feedback.accessibility'"), '', 'the audit row keeps no personal data');
  // JSON: 202 and the same mail
  const api = new Client(server.url);
  const json = await api.postJson('/api/v1/barrierefreiheit/feedback', { message: 'Der Kontrast der Links ist zu schwach.' },
    { csrf: await api.apiCsrf() });
  assert.equal(json.status, 202, json.bodyText);
  assert.equal(json.data.status, 'sent');
});

test('without an address for feedback the administrators get it; too many messages are refused for an hour', async () => {
  sql("DELETE FROM site_settings WHERE key IN ('feedback_email', 'contact_email')");
  const c = new Client(server.url, { lang: 'en' });
  const csrf = await c.apiCsrf();
  const from = server.log().length;
  let res;
  let sent = Number(sql("SELECT COUNT(*) FROM audit WHERE action = 'feedback.accessibility'"));
  res = await c.postJson('/api/v1/barrierefreiheit/feedback', { message: 'Die Schrift ist auf dem Telefon zu klein.' }, { csrf });
  assert.equal(res.status, 202, res.bodyText);
  sent++;
  await server.waitForLog(/outbox \(demo\): to=admin@demo\.unbox\.invalid subject="un:box: Rückmeldung zur Barrierefreiheit"/, { from });
  while (sent < 5) {
    res = await c.postJson('/api/v1/barrierefreiheit/feedback', { message: `Noch eine Rückmeldung Nummer ${sent}.` }, { csrf });
    assert.equal(res.status, 202);
    sent++;
  }
  res = await c.postJson('/api/v1/barrierefreiheit/feedback', { message: 'Und noch eine, zu viel.' }, { csrf });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.equal(res.data.error.code, 'too_many');
  const html = await c.postForm('/barrierefreiheit/feedback', { _csrf: csrf, message: 'Das Formular selbst, mit Text.' });
  assert.equal(html.status, 429);
  assert.equal(textareaValue(html.bodyText, 'message'), 'Das Formular selbst, mit Text.', 'what was typed is kept');
});
