// Bad input: 422 with a message per field, next to the field in HTML and in
// the JSON envelope, the typed values kept, and nothing stored.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const {
  Client, csrfFromHtml, inputValue, textareaValue, selectOptions, demo, validIdea, stopServer,
} = require('../lib/http');

let server;
let resident;       // logged-in client
let residentCsrf;
before(async () => {
  server = await startServer();
  resident = new Client(server.url);
  const res = await resident.login(demo('resident').email, demo('resident').password);
  assert.equal(res.status, 303);
  residentCsrf = await resident.apiCsrf();
});
after(async () => { await stopServer(server); });

const DE = {
  check: 'Bitte prüfen Sie die markierten Felder.',
  // what to do, in the field's own words
  title: 'Bitte geben Sie einen Titel ein.',
  summary: 'Bitte fassen Sie die Idee in ein oder zwei Sätzen zusammen.',
  description: 'Bitte beschreiben Sie die Idee.',
  emailRequired: 'Bitte geben Sie Ihre E-Mail-Adresse ein.',
  nameRequired: 'Bitte geben Sie Ihren Namen ein.',
  pwRequired: 'Bitte geben Sie ein Passwort ein.',
  // the bound and what there is
  tooLong: (max, n) => `Bitte kürzen Sie den Text auf höchstens ${max} Zeichen; jetzt sind es ${n}.`,
  tooShort: (min, n) => `Bitte schreiben Sie mindestens ${min} Zeichen; jetzt sind es ${n}.`,
  invalid: 'Dieser Wert ist nicht gültig.',
  fieldInvalid: 'Bitte wählen Sie eines der Innovationsfelder aus der Liste.',
  stadtteilInvalid: 'Bitte wählen Sie einen Stadtteil aus der Liste.',
  pwShort: 'Verwenden Sie mindestens 12 Zeichen.',
  pwCommon: 'Dieses Passwort gehört zu den häufigsten. Bitte wählen Sie ein anderes.',
  email: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.org.',
  fieldRequired: 'Bitte wählen Sie ein Innovationsfeld.',
};

// The error paragraph the form shows next to a field, or undefined.
function fieldError(html, name) {
  const m = html.match(new RegExp(`<p class="kern-error" id="${name}-error">[\\s\\S]*?<span class="kern-body">([^<]*)</span></p>`));
  return m ? m[1] : undefined;
}

async function ideaIds() {
  const res = await new Client(server.url).getJson('/api/v1/ideas?limit=100');
  assert.equal(res.status, 200);
  return res.data.items.map((i) => i.id);
}

async function ideaCount() {
  const res = await new Client(server.url).get('/ideas?limit=100');
  return (res.bodyText.match(/<li class="kern-card">/g) || []).length;
}

test('POST /ideas with bad input: HTML 422 with messages next to the fields, values kept, nothing stored', async () => {
  const before = await ideaIds();
  const cardsBefore = await ideaCount();
  const csrf = csrfFromHtml((await resident.get('/ideas/new')).bodyText, '/ideas');
  assert.equal(csrf, residentCsrf);

  // empty title, unknown field, unknown Stadtteil at once
  const typed = validIdea({ title: '', field: 'gibt-es-nicht', stadtteil: '99999' });
  let res = await resident.postForm('/ideas', { _csrf: csrf, ...typed });
  assert.equal(res.status, 422, res.bodyText.slice(0, 300));
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(res.headers.get('location'), null);
  let html = res.bodyText;
  assert.ok(html.includes('id="form-errors"'), 'error summary');
  assert.ok(html.includes(DE.check));
  assert.equal(fieldError(html, 'title'), DE.title);
  assert.equal(fieldError(html, 'field'), DE.fieldInvalid);
  assert.equal(fieldError(html, 'stadtteil'), DE.stadtteilInvalid);
  assert.equal(fieldError(html, 'summary'), undefined);
  assert.equal(fieldError(html, 'description'), undefined);
  assert.match(html, /<input [^>]*id="title"[^>]*aria-invalid="true"/);
  assert.equal(textareaValue(html, 'summary'), typed.summary, 'summary kept');
  assert.equal(textareaValue(html, 'description'), typed.description, 'description kept');
  assert.equal(csrfFromHtml(html, '/ideas'), csrf, 'the form can be sent again');

  // title too long (121 characters, counted as characters, not bytes); values kept and selected
  const longTitle = 'ä'.repeat(121);
  res = await resident.postForm('/ideas', { _csrf: csrf, ...validIdea({ title: longTitle, stadtteil: '805' }) });
  assert.equal(res.status, 422);
  html = res.bodyText;
  assert.equal(fieldError(html, 'title'), DE.tooLong(120, 121));
  assert.equal(inputValue(html, 'title'), longTitle, 'title kept');
  assert.deepEqual(selectOptions(html, 'field').filter((o) => o.selected).map((o) => o.value), ['mobilitaet-infrastruktur']);
  assert.deepEqual(selectOptions(html, 'stadtteil').filter((o) => o.selected).map((o) => o.value), ['805']);
  for (const f of ['field', 'stadtteil', 'summary', 'description']) assert.equal(fieldError(html, f), undefined, f);

  // too short, missing field, Stadtteil not a number; markup in typed values comes back escaped
  res = await resident.postForm('/ideas', {
    _csrf: csrf, ...validIdea({ title: 'Kurz', summary: '"><script>x</script>', field: '', stadtteil: '101abc' }),
  });
  assert.equal(res.status, 422);
  html = res.bodyText;
  assert.equal(fieldError(html, 'title'), DE.tooShort(5, 4));
  assert.equal(fieldError(html, 'field'), DE.fieldRequired);
  assert.equal(fieldError(html, 'stadtteil'), DE.stadtteilInvalid);
  assert.equal(inputValue(html, 'title'), 'Kurz');
  assert.equal(textareaValue(html, 'summary'), '"><script>x</script>');
  assert.ok(!html.includes('<script>'), 'typed markup is escaped');

  assert.deepEqual(await ideaIds(), before, 'nothing stored');
  assert.equal(await ideaCount(), cardsBefore);
});

test('POST /api/v1/ideas with bad input: JSON 422 envelope with field codes and messages', async () => {
  const before = await ideaIds();
  const cases = [
    [{ title: '' }, { title: { code: 'required', message: DE.title } }],
    [{ title: 'x'.repeat(121) }, { title: { code: 'too_long', message: DE.tooLong(120, 121), max: 120, length: 121 } }],
    [{ title: 'abc' }, { title: { code: 'too_short', message: DE.tooShort(5, 3), min: 5, length: 3 } }],
    [{ field: 'gibt-es-nicht' }, { field: { code: 'invalid', message: DE.fieldInvalid } }],
    [{ stadtteil: 99999 }, { stadtteil: { code: 'invalid', message: DE.stadtteilInvalid } }],
    [{ stadtteil: '' }, { stadtteil: { code: 'required', message: 'Bitte wählen Sie den Stadtteil.' } }],
    // blanks only are as good as nothing
    [{ title: '       ', summary: ' \r\n'.repeat(10), description: '\t\n'.repeat(30) }, {
      title: { code: 'required', message: DE.title },
      summary: { code: 'required', message: DE.summary },
      description: { code: 'required', message: DE.description },
    }],
    [{ title: '', field: 'nope', stadtteil: '1' }, {
      title: { code: 'required', message: DE.title },
      field: { code: 'invalid', message: DE.fieldInvalid },
      stadtteil: { code: 'invalid', message: DE.stadtteilInvalid },
    }],
  ];
  for (const [override, fields] of cases) {
    const res = await resident.postJson('/api/v1/ideas', validIdea(override), { csrf: residentCsrf });
    assert.equal(res.status, 422, JSON.stringify(override));
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(res.data, { error: { code: 'validation', message: DE.check, fields } }, JSON.stringify(override));
  }

  // a field left out entirely counts as empty
  const { summary, ...noSummary } = validIdea();
  let res = await resident.postJson('/api/v1/ideas', noSummary, { csrf: residentCsrf });
  assert.equal(res.status, 422);
  assert.deepEqual(Object.keys(res.data.error.fields), ['summary']);
  assert.equal(res.data.error.fields.summary.code, 'required');

  // in English when asked for (a logged-in user's own language wins over Accept-Language)
  res = await resident.postJson('/api/v1/ideas?lang=en', validIdea({ title: '' }), { csrf: residentCsrf });
  resident.setCookieValue('unbox_lang', undefined);
  assert.equal(res.status, 422);
  assert.deepEqual(res.data.error, {
    code: 'validation', message: 'Please check the marked fields.',
    fields: { title: { code: 'required', message: 'Please enter a title.' } },
  });

  assert.deepEqual(await ideaIds(), before, 'nothing stored');

  // the limits themselves are allowed: 120 characters of title
  res = await resident.postJson('/api/v1/ideas', validIdea({ title: 'ä'.repeat(120) }), { csrf: residentCsrf });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.title, 'ä'.repeat(120));
});

test('POST /register with bad input: 422 with field errors, e-mail kept, password not echoed', async () => {
  const c = new Client(server.url);
  const csrf = await c.csrfFrom('/register', '/register');
  const logStart = server.log().length;

  // 11 characters, and a malformed address
  let res = await c.postForm('/register', { _csrf: csrf, email: 'keine-adresse', name: 'Kurt Kurz', password: 'abcdefghijk' });
  assert.equal(res.status, 422, res.bodyText.slice(0, 300));
  let html = res.bodyText;
  assert.equal(fieldError(html, 'password'), DE.pwShort);
  assert.equal(fieldError(html, 'email'), DE.email);
  assert.equal(fieldError(html, 'name'), undefined);
  assert.equal(inputValue(html, 'email'), 'keine-adresse');
  assert.equal(inputValue(html, 'name'), 'Kurt Kurz');
  assert.equal(inputValue(html, 'password'), '', 'the password is never sent back');
  assert.ok(!html.includes('abcdefghijk'));

  // 12 characters from the list of common passwords, in any case
  res = await c.postForm('/register', { _csrf: csrf, email: 'common@example.org', name: 'Common', password: 'UnBelievable' });
  assert.equal(res.status, 422);
  html = res.bodyText;
  assert.equal(fieldError(html, 'password'), DE.pwCommon);
  assert.equal(fieldError(html, 'email'), undefined);

  // multi-byte characters count once: 11 'ä' are too short
  res = await c.postForm('/register', { _csrf: csrf, email: 'umlaut@example.org', name: 'Umlaut', password: 'ä'.repeat(11) });
  assert.equal(res.status, 422);
  assert.equal(fieldError(res.bodyText, 'password'), DE.pwShort);

  // JSON: the same checks as codes
  const jcsrf = await c.apiCsrf();
  const jcases = [
    [{ email: 'a@b.de', name: 'Kurz Passwort', password: '12345678901' }, { password: { code: 'too_short', message: DE.pwShort } }],
    [{ email: 'a@b.de', name: 'Häufig', password: 'unbelievable' }, { password: { code: 'common', message: DE.pwCommon } }],
    [{ email: 'a@b', name: 'Ohne Punkt', password: 'ein gutes langes Passwort' }, { email: { code: 'invalid', message: DE.email } }],
    [{ email: 'a b@c.de', name: 'Mit Leerzeichen', password: 'ein gutes langes Passwort' }, { email: { code: 'invalid', message: DE.email } }],
    [{ email: 'blank@example.org', name: '   ', password: 'ein gutes langes Passwort' }, { name: { code: 'required', message: DE.nameRequired } }],
    [{ email: '', name: '', password: '' }, {
      email: { code: 'required', message: DE.emailRequired },
      name: { code: 'required', message: DE.nameRequired },
      password: { code: 'required', message: DE.pwRequired },
    }],
  ];
  for (const [body, fields] of jcases) {
    res = await c.postJson('/api/v1/register', body, { csrf: jcsrf });
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.deepEqual(res.data, { error: { code: 'validation', message: DE.check, fields } }, JSON.stringify(body));
  }

  assert.ok(!/outbox/.test(server.log().slice(logStart)), 'no e-mail was queued');
  // none of these addresses got an account: logging in fails like for an unknown address
  res = await c.postJson('/api/v1/login', { email: 'common@example.org', password: 'UnBelievable' }, { csrf: jcsrf });
  assert.equal(res.status, 401);
});
