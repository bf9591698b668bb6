// The full idea: Zielbilder, a point on the map (the Stadtteil derived from
// the boundaries), needs, applicant type, consent, the campaign channel, the
// list filters by Zielbild and need, and co-authors invited by e-mail who
// accept or decline through the link in their invitation.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server');
const { Client, csrfFromHtml, inputValue, selectOptions, demo, validIdea, stopServer } = require('../../lib/http');

let server;
let resident;
let csrf;
before(async () => {
  server = await startServer();
  resident = new Client(server.url, { lang: 'de' });
  const res = await resident.login(demo('resident').email, demo('resident').password);
  assert.equal(res.status, 303);
  csrf = await resident.apiCsrf();
});
after(async () => { await stopServer(server); });

const submit = (fields) => resident.postJson('/api/v1/ideas', validIdea(fields), { csrf });

test('the form offers Zielbilder, needs, applicant types, a place on the map and the consent', async () => {
  const res = await resident.get('/ideas/new');
  assert.equal(res.status, 200);
  const zielbilder = [...res.bodyText.matchAll(/name="zielbilder" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(zielbilder.length, 5);
  assert.ok(zielbilder.includes('klimaneutrales-koeln'));
  const needs = [...res.bodyText.matchAll(/name="needs" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(needs, ['mentoring', 'funding', 'technology', 'space', 'data', 'partners']);
  assert.deepEqual(selectOptions(res.bodyText, 'applicant_type').map((o) => o.value).slice(1),
    ['private', 'association', 'company', 'student_school', 'city_staff']);
  assert.match(res.bodyText, /name="consent" type="checkbox" value="1" required/);
  assert.match(res.bodyText, /<label class="kern-label" for="lat">/);
  assert.equal(inputValue(res.bodyText, 'campaign'), undefined, 'no campaign without a code');
});

test('a point on the map gives the Stadtteil and Stadtbezirk; details are stored and shown', async () => {
  let res = await submit({
    title: 'Sensoren für Hitzeinseln', stadtteil: '', lat: '50.9300', lon: '6.9570',
    zielbilder: 'klimaneutrales-koeln,lebenswerte-veedel', needs: 'data,partners', applicant_type: 'association',
  });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  assert.equal(res.data.stadtteil.nr, 101);
  assert.equal(res.data.bezirk.nr, 1);
  assert.equal(res.data.location.lat, 50.93);
  assert.equal(res.data.location.lon, 6.957);
  assert.deepEqual(res.data.zielbilder.map((z) => z.slug), ['klimaneutrales-koeln', 'lebenswerte-veedel']);
  assert.deepEqual(res.data.needs.map((n) => n.key), ['data', 'partners']);
  assert.equal(res.data.applicant_type.key, 'association');
  assert.equal(res.data.channel.key, 'online');
  const id = res.data.id;

  // the cathedral, as a form post with repeated check boxes
  res = await resident.get('/ideas/new');
  const formCsrf = csrfFromHtml(res.bodyText, '/ideas');
  const body = new URLSearchParams({ _csrf: formCsrf, ...validIdea({ title: 'Domplatte mit WLAN', stadtteil: '', lat: '50.9413', lon: '6.9583', applicant_type: 'company' }) });
  body.append('needs', 'technology');
  body.append('needs', 'funding');
  body.append('zielbilder', 'digitale-teilhabe');
  res = await resident.request('/ideas', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  const page = await resident.get(res.headers.get('location'));
  assert.match(page.bodyText, /Altstadt\/Nord/);
  assert.match(page.bodyText, /Digitale Teilhabe für alle/);
  assert.match(page.bodyText, /Förderung/);
  assert.match(page.bodyText, /Unternehmen \(bis 20 Beschäftigte/);
  res = await new Client(server.url).getJson(`/api/v1${res.headers.get('location')}`);
  assert.equal(res.data.stadtteil.nr, 103);
  assert.deepEqual(res.data.needs.map((n) => n.key), ['funding', 'technology']);

  // English labels
  res = await new Client(server.url, { lang: 'en' }).get(`/ideas/${id}`);
  assert.match(res.bodyText, /Climate-neutral Cologne/);
  assert.match(res.bodyText, /Association or initiative/);
});

test('bad details: 422 with field errors, nothing stored', async () => {
  const cases = [
    [{ lat: '50.7374', lon: '7.0982', stadtteil: '' }, 'location', 'outside_city'],      // Bonn
    [{ lat: 'north', lon: '6.95' }, 'location', 'invalid'],
    [{ lat: '50.93' }, 'location', 'invalid'],
    [{ consent: undefined }, 'consent', 'required'],
    [{ consent: '0' }, 'consent', 'required'],
    [{ applicant_type: undefined }, 'applicant_type', 'required'],
    [{ applicant_type: 'lobby' }, 'applicant_type', 'invalid'],
    [{ zielbilder: 'weltfrieden' }, 'zielbilder', 'invalid'],
    [{ needs: 'data,money' }, 'needs', 'invalid'],
    [{ co_authors: 'not-an-address' }, 'co_authors', 'invalid'],
    [{ co_authors: demo('resident').email }, 'co_authors', 'self'],
    [{ co_authors: 'a@example.org,b@example.org,c@example.org,d@example.org,e@example.org,f@example.org' }, 'co_authors', 'too_many'],
    [{ stadtteil: '' }, 'stadtteil', 'required'],
  ];
  for (const [over, field, code] of cases) {
    const res = await submit({ title: 'Ungültige Angaben zur Idee', ...over });
    assert.equal(res.status, 422, JSON.stringify(over));
    assert.equal(res.data.error.fields[field] && res.data.error.fields[field].code, code,
      `${JSON.stringify(over)}: ${JSON.stringify(res.data.error.fields)}`);
  }
  const list = await resident.getJson('/api/v1/ideas?limit=100');
  assert.ok(!list.data.items.some((i) => i.title === 'Ungültige Angaben zur Idee'));

  // HTML: the message next to the field, the check boxes kept
  let res = await resident.get('/ideas/new');
  const body = new URLSearchParams({ _csrf: csrfFromHtml(res.bodyText, '/ideas'), ...validIdea({ consent: '', lat: '50.7374', lon: '7.0982' }) });
  body.append('needs', 'space');
  res = await resident.request('/ideas', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /id="consent-error"/);
  assert.match(res.bodyText, /id="location-error"[\s\S]*?außerhalb Kölns/);
  assert.match(res.bodyText, /value="space" checked/);
  assert.equal(inputValue(res.bodyText, 'lat'), '50.7374');
});

test('the list filters by Zielbild and by need, and keeps the filters in its links', async () => {
  const anon = new Client(server.url);
  // the demo ideas have Zielbilder and needs too: the list holds exactly the ideas that have them
  const titles = async (qs, has) => {
    const out = [];
    for (const item of (await anon.getJson(`/api/v1/ideas?limit=100&${qs}`)).data.items) {
      const idea = (await anon.getJson(`/api/v1/ideas/${item.id}`)).data;
      assert.ok(has(idea), `${qs}: ${idea.title}`);
      out.push(idea.title);
    }
    return out;
  };
  const zb = (slug) => (i) => i.zielbilder.some((z) => z.slug === slug);
  const need = (key) => (i) => i.needs.some((n) => n.key === key);
  let res = await anon.getJson('/api/v1/ideas?zielbild=klimaneutrales-koeln');
  assert.equal(res.status, 200);
  let got = await titles('zielbild=klimaneutrales-koeln', zb('klimaneutrales-koeln'));
  assert.ok(got.includes('Sensoren für Hitzeinseln') && !got.includes('Domplatte mit WLAN'));
  got = await titles('need=technology', need('technology'));
  assert.ok(got.includes('Domplatte mit WLAN') && !got.includes('Sensoren für Hitzeinseln'));
  got = await titles('need=data&zielbild=lebenswerte-veedel', (i) => need('data')(i) && zb('lebenswerte-veedel')(i));
  assert.ok(got.includes('Sensoren für Hitzeinseln'));
  got = await titles('need=space', need('space'));
  assert.ok(!got.includes('Sensoren für Hitzeinseln') && !got.includes('Domplatte mit WLAN'));
  res = await anon.getJson('/api/v1/ideas?need=money');
  assert.equal(res.status, 400);
  res = await anon.getJson('/api/v1/ideas?zielbild=nope');
  assert.equal(res.status, 400);
  res = await anon.get('/ideas?zielbild=klimaneutrales-koeln');
  assert.equal(res.status, 200);
  assert.ok(selectOptions(res.bodyText, 'zielbild').find((o) => o.value === 'klimaneutrales-koeln').selected);
  assert.equal(selectOptions(res.bodyText, 'need').length, 7);
});

test('a campaign QR code link stores the channel and its code', async () => {
  let res = await resident.get('/ideas/new?campaign=PLAKAT-Ehrenfeld_2026');
  assert.equal(inputValue(res.bodyText, 'campaign'), 'PLAKAT-Ehrenfeld_2026');
  res = await resident.postForm('/ideas', {
    _csrf: csrfFromHtml(res.bodyText, '/ideas'), ...validIdea({ title: 'Idee vom Plakat' }), campaign: 'PLAKAT-Ehrenfeld_2026',
  });
  assert.equal(res.status, 303);
  res = await resident.getJson(`/api/v1${res.headers.get('location')}`);
  assert.equal(res.data.channel.key, 'campaign');
  assert.equal(res.data.channel.campaign, 'PLAKAT-Ehrenfeld_2026');
  res = await submit({ title: 'Idee mit kaputtem Code', campaign: 'x y<z>' });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.campaign.code, 'invalid');
});

test('co-authors: invited by e-mail, accept with a name (shown on the idea page) or decline', async () => {
  const logStart = server.log().length;
  let res = await submit({ title: 'Gemeinsam geschriebene Idee', co_authors: 'anna@example.org, Ben@Example.org' });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  const id = res.data.id;
  assert.deepEqual(res.data.co_authors, [], 'nobody is named before accepting');
  const links = {};
  for (const who of ['anna@example.org', 'ben@example.org']) {
    const m = await server.waitForLog(new RegExp(`to=${who.replace('.', '\\.')}[\\s\\S]*?/coauthor\\?token=([A-Za-z0-9_-]{43})`), { from: logStart });
    links[who] = m[1];
  }

  const anna = new Client(server.url, { lang: 'de' });
  res = await anna.get(`/coauthor?token=${links['anna@example.org']}`);
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /Gemeinsam geschriebene Idee/);
  const annaCsrf = csrfFromHtml(res.bodyText, '/coauthor');
  res = await anna.postForm('/coauthor', { _csrf: annaCsrf, token: links['anna@example.org'], answer: 'accept', name: '' });
  assert.equal(res.status, 422, 'a name is needed to accept');
  res = await anna.postForm('/coauthor', { _csrf: annaCsrf, token: links['anna@example.org'], answer: 'accept', name: 'Anna Schmidt' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/ideas/${id}`);
  res = await anna.postForm('/coauthor', { _csrf: annaCsrf, token: links['anna@example.org'], answer: 'decline' });
  assert.equal(res.status, 409, 'answered once only');

  const ben = new Client(server.url);
  res = await ben.get(`/coauthor?token=${links['ben@example.org']}`);
  res = await ben.postForm('/coauthor', { _csrf: csrfFromHtml(res.bodyText, '/coauthor'), token: links['ben@example.org'], answer: 'decline' });
  assert.equal(res.status, 303);
  res = await ben.get(res.headers.get('location'));
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /Sie haben abgelehnt|You have declined/);

  // the idea page (also from the anonymous cache) names Anna only
  res = await new Client(server.url).get(`/ideas/${id}`);
  assert.match(res.bodyText, /Anna Schmidt/);
  assert.ok(!/ben@example/i.test(res.bodyText));
  res = await new Client(server.url).getJson(`/api/v1/ideas/${id}`);
  assert.deepEqual(res.data.co_authors, [{ name: 'Anna Schmidt' }]);

  res = await new Client(server.url).get('/coauthor?token=' + 'A'.repeat(43));
  assert.equal(res.status, 404);
  res = await new Client(server.url).getJson('/api/v1/coauthor?token=bad');
  assert.equal(res.status, 404);
});
