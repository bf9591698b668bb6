// Attachments of ideas through real multipart/form-data bodies (node's
// FormData and Blob with fetch, and hand-made ones over a socket): the same
// bytes back, one file on disk per content, the size limits (413 before the
// body when Content-Length is over the route's limit, a field error for a file
// over its own), types told from the content, CSRF inside the multipart body,
// who may attach (author, accepted co-author, team) and who may not, a hidden
// idea's files refused to visitors, deleting, and the page cache following
// every change. On SQLite or (with UNBOX_TEST_PG) PostgreSQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../../lib/server');
const { Client, csrfFromHtml, inputValue, demo, validIdea, rawRequest, stopServer } = require('../../lib/http');

const MB = 1024 * 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), crypto.randomBytes(64)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), crypto.randomBytes(64)]);

let server;
let author, coauthor, team, other, visitor;
const tokens = new Map();   // client -> the CSRF token of its session
const tokenOf = (c) => tokens.get(c);
let idea;

before(async () => {
  server = await startServer();
  const login = async (email, password) => {
    const c = new Client(server.url, { lang: 'de' });
    assert.equal((await c.login(email, password)).status, 303, `login ${email}`);
    tokens.set(c, await c.apiCsrf());
    return c;
  };
  author = await login(demo('resident').email, demo('resident').password);
  team = await login(demo('team').email, demo('team').password);
  // a second resident who has nothing to do with the idea
  execFileSync(server.bin, ['user', 'add', '--email', 'other@example.org', '--name', 'Otto Other', '--role', 'resident',
    '--password-stdin'], { cwd: server.root, env: { ...process.env, UNBOX_DB: server.dsn }, input: 'ein langes passwort 42\n' });
  other = await login('other@example.org', 'ein langes passwort 42');
  coauthor = await login(demo('supporter').email, demo('supporter').password);
  visitor = new Client(server.url, { lang: 'de' });

  // the resident's idea, with the supporter invited as co-author, who accepts while logged in
  const logStart = server.log().length;
  const res = await author.postJson('/api/v1/ideas', validIdea({ title: 'Idee mit Anhängen', co_authors: demo('supporter').email }),
    { csrf: tokenOf(author) });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  idea = res.data.id;
  const m = await server.waitForLog(/to=supporter@demo\.unbox\.invalid[\s\S]*?\/coauthor\?token=([A-Za-z0-9_-]{43})/, { from: logStart });
  const form = await coauthor.get(`/coauthor?token=${m[1]}`);
  const answer = await coauthor.postForm('/coauthor', { _csrf: csrfFromHtml(form.bodyText, '/coauthor'), token: m[1],
    answer: 'accept', name: 'Sabine Support' });
  assert.equal(answer.status, 303, answer.bodyText.slice(0, 300));
});
after(async () => { await stopServer(server); });

// A multipart form post of one file (and the CSRF token and a title, unless left out).
async function upload(c, { bytes = PDF, name = 'Skizze.pdf', type = 'application/pdf', title, token = tokenOf(c),
  json = false, id = idea, extra = {} } = {}) {
  const fd = new FormData();
  if (token !== null) fd.append('_csrf', token);
  if (title !== undefined) fd.append('title', title);
  for (const [k, v] of Object.entries(extra)) fd.append(k, v);
  if (bytes !== null) fd.append('file', new Blob([bytes], { type }), name);
  const res = await c.request(`/ideas/${id}/attachments`, { method: 'POST', body: fd, accept: json ? 'application/json' : undefined });
  if ((res.headers.get('content-type') || '').startsWith('application/json')) res.data = JSON.parse(res.bodyText);
  return res;
}

// The raw bytes of a GET (Client.request reads text).
async function download(c, url, headers = {}) {
  const h = { ...headers };
  if (c.cookieHeader()) h.Cookie = c.cookieHeader();
  const res = await fetch(server.url + url, { headers: h, redirect: 'manual' });
  res.bytes = Buffer.from(await res.arrayBuffer());
  return res;
}

// Files in the store, and in its temporary directory.
function storeFiles() {
  const root = path.join(server.dir, 'files');
  const out = { stored: [], temp: [] };
  if (!fs.existsSync(root)) return out;
  for (const d of fs.readdirSync(root)) {
    for (const f of fs.readdirSync(path.join(root, d))) (d === 'tmp' ? out.temp : out.stored).push(path.join(d, f));
  }
  return out;
}

async function list(c, id = idea) {
  const res = await c.getJson(`/api/v1/ideas/${id}/attachments`);
  assert.equal(res.status, 200, res.bodyText.slice(0, 300));
  return res.data;
}

async function removeAll() {
  for (const item of (await list(team)).items) {
    const res = await team.postJson(`/api/v1/ideas/${idea}/attachments/${item.id}/delete`, {}, { csrf: tokenOf(team) });
    assert.equal(res.status, 200, res.bodyText);
  }
}

test('upload, list and download the same bytes; the same content is stored once', async () => {
  const before = await visitor.get(`/ideas/${idea}`);   // an anonymous page, now in the page cache
  assert.match(before.bodyText, /Noch keine Anhänge/);

  let res = await upload(author, { title: 'Unsere Skizze', name: 'Skizze für Köln.pdf' });
  assert.equal(res.status, 303, res.bodyText.slice(0, 500));
  assert.equal(res.headers.get('location'), `/ideas/${idea}#attachments`);
  const page = await list(visitor);
  assert.equal(page.count, 1);
  assert.equal(page.max_count, 10);
  assert.equal(page.paging.limit, 20);
  const [item] = page.items;
  assert.equal(item.title, 'Unsere Skizze');
  assert.equal(item.file_name, 'Skizze für Köln.pdf');
  assert.equal(item.type, 'application/pdf');
  assert.equal(item.size, PDF.length);
  assert.equal(item.url, `/ideas/${idea}/attachments/${item.id}`);
  assert.equal(item.delete_url, undefined, 'visitors get no delete link');
  assert.equal(page.form, undefined, 'nor a form');

  // the anonymous idea page shows it at once (the cache follows the content version)
  const after = await visitor.get(`/ideas/${idea}`);
  assert.match(after.bodyText, /Unsere Skizze/);
  assert.match(after.bodyText, /PDF/);
  assert.doesNotMatch(after.bodyText, /enctype="multipart\/form-data"/);

  const got = await download(visitor, item.url);
  assert.equal(got.status, 200);
  assert.ok(got.bytes.equals(PDF), 'the same bytes');
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-disposition'),
    "attachment; filename=\"Skizze f_r K_ln.pdf\"; filename*=UTF-8''Skizze%20f%C3%BCr%20K%C3%B6ln.pdf");
  const sha = crypto.createHash('sha256').update(PDF).digest('hex');
  assert.equal(got.headers.get('etag'), `"${sha}"`);
  assert.match(got.headers.get('cache-control'), /no-cache/);
  const again = await download(visitor, item.url, { 'If-None-Match': `"${sha}"` });
  assert.equal(again.status, 304);
  assert.equal(again.bytes.length, 0);
  const head = await fetch(server.url + item.url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(PDF.length));
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  // the JSON mirror gives the facts, not the file
  res = await visitor.getJson(`/api/v1${item.url}`);
  assert.equal(res.status, 200);
  assert.equal(res.data.sha256, sha);
  assert.deepEqual(res.data.target, { kind: 'idea', id: idea });

  // the team attaches the same bytes under another name: two rows, one file
  res = await upload(team, { name: 'kopie.pdf', json: true });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.file_name, 'kopie.pdf');
  assert.equal(res.data.sha256, sha);
  assert.equal((await list(visitor)).count, 2);
  const files = storeFiles();
  assert.deepEqual(files.stored, [path.join(sha.slice(0, 2), sha)]);
  assert.deepEqual(files.temp, [], 'no temporary file is left');
  const onDisk = fs.readFileSync(path.join(server.dir, 'files', sha.slice(0, 2), sha));
  assert.ok(onDisk.equals(PDF));
  await removeAll();
});

test('the type comes from the content, never from the name or the Content-Type sent', async () => {
  // a PNG called .pdf and sent as application/pdf is a PNG
  let res = await upload(author, { bytes: PNG, name: 'bild.pdf', type: 'application/pdf', json: true });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.type, 'image/png');
  let got = await download(visitor, res.data.url);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.ok(got.bytes.equals(PNG));
  res = await upload(author, { bytes: JPEG, name: 'foto', type: 'text/plain', json: true });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal(res.data.type, 'image/jpeg');
  // a program called .pdf, and text, are refused: errors next to the field, the title kept
  res = await upload(author, { bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), name: 'rechnung.pdf', json: true });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.file.code, 'type');
  res = await upload(author, { bytes: Buffer.from('Name;Stadtteil\nAnna;Deutz\n'), name: 'liste.csv', type: 'text/csv',
    title: 'Meine Liste <b>' });
  assert.equal(res.status, 422);
  assert.match(res.bodyText, /<p class="kern-error" id="file-error">[\s\S]*?Dateien dieses Typs können hier nicht angehängt werden/);
  assert.match(res.bodyText, /PDF, PNG oder JPEG, bis zu 10 MB pro Datei; höchstens 10 Dateien pro Idee\./);
  assert.equal(inputValue(res.bodyText, 'title'), 'Meine Liste <b>');
  assert.match(res.bodyText, /aria-invalid="true"/);
  // no file at all, as a multipart body and as a plain form: "required"
  res = await upload(author, { bytes: null, title: 'Ohne Datei', json: true });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.file.code, 'required');
  res = await author.postForm(`/ideas/${idea}/attachments`, { _csrf: tokenOf(author), title: 'x' }, { accept: 'application/json' });
  assert.equal(res.status, 422);
  // an empty file input, as browsers send it
  res = await upload(author, { bytes: Buffer.alloc(0), name: '', json: true });
  assert.equal(res.status, 422);
  assert.equal(JSON.parse(res.bodyText).error.fields.file.code, 'required');
  // a title that is too long
  res = await upload(author, { title: 'x'.repeat(121), json: true });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.title.code, 'too_long');
  assert.equal((await list(visitor)).count, 2);
  assert.deepEqual(storeFiles().temp, []);
  got = await download(visitor, `/ideas/${idea}/attachments/987654`);
  assert.equal(got.status, 404);
  await removeAll();
});

test('size limits: 413 before the body is read, a field error for a file over its own cap', async () => {
  // Content-Length over the route's limit: answered before any body byte is sent
  const boundary = 'xYzBoundary';
  let res = await rawRequest(server.port,
    `POST /ideas/${idea}/attachments HTTP/1.1\r\nHost: x\r\nCookie: ${author.cookieHeader()}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${11 * MB}\r\n\r\n`);
  assert.equal(res.status, 413);
  // a file of 10 MB and one byte: the body is within the route's limit, the file is not
  const big = Buffer.concat([PDF, Buffer.alloc(10 * MB + 1 - PDF.length, 0x41)]);
  res = await upload(author, { bytes: big, name: 'gross.pdf', title: 'Zu groß' });
  assert.equal(res.status, 422, res.bodyText.slice(0, 300));
  assert.match(res.bodyText, /id="file-error"[\s\S]*?Diese Datei ist zu groß/);
  assert.equal(inputValue(res.bodyText, 'title'), 'Zu groß');
  // exactly 10 MB is fine
  res = await upload(author, { bytes: big.subarray(0, 10 * MB), name: 'genau.pdf', json: true });
  assert.equal(res.status, 201, res.bodyText.slice(0, 300));
  assert.equal(res.data.size, 10 * MB);
  const got = await download(visitor, res.data.url);
  assert.ok(got.bytes.equals(big.subarray(0, 10 * MB)));
  // a chunked body without Content-Length is cut at the limit
  const head = `POST /ideas/${idea}/attachments HTTP/1.1\r\nHost: x\r\nCookie: ${author.cookieHeader()}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const part = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`);
  const chunk = (b) => Buffer.concat([Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')]);
  const body = [Buffer.from(head), chunk(part)];
  for (let i = 0; i < 11; i++) body.push(chunk(Buffer.alloc(MB, 0x42)));
  body.push(Buffer.from('0\r\n\r\n'));
  res = await rawRequest(server.port, Buffer.concat(body), { timeout: 20000 });
  assert.equal(res.status, 413);
  // the text fields have caps of their own
  res = await upload(author, { extra: { note: 'n'.repeat(17 * 1024) }, json: true });
  assert.equal(res.status, 413);
  assert.equal(res.data.error.code, 'too_large');
  assert.equal((await list(visitor)).count, 1);
  assert.deepEqual(storeFiles().temp, [], 'what was refused left nothing behind');
  await removeAll();
});

test('malformed multipart bodies are refused with 400 and leave nothing behind', async () => {
  const boundary = 'b0undary';
  const start = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${tokenOf(author)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n${PDF.toString('latin1')}`;
  // body is a string of bytes (latin1), sent as they are
  const send = (body, type = `multipart/form-data; boundary=${boundary}`) => rawRequest(server.port, Buffer.from(
    `POST /ideas/${idea}/attachments HTTP/1.1\r\nHost: x\r\nCookie: ${author.cookieHeader()}\r\nAccept: application/json\r\n` +
    `Content-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'latin1'));
  let res = await send(start);   // cut off before the final boundary
  assert.equal(res.status, 400, res.raw.slice(0, 300));
  res = await send(start, 'multipart/form-data');   // no boundary
  assert.equal(res.status, 400);
  // a text field that is not UTF-8
  res = await send(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${tokenOf(author)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n\xff\xfe\r\n--${boundary}--\r\n`);
  assert.equal(res.status, 400);
  // nested multipart/mixed (deprecated by RFC 7578; libmicrohttpd 0.9.75 leaks on it) is refused
  res = await send(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${tokenOf(author)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n` +
    `--inner\r\nContent-Disposition: file; filename="a.pdf"\r\n\r\n${PDF.toString('latin1')}\r\n--inner--\r\n--${boundary}--\r\n`);
  assert.equal(res.status, 400, res.raw.slice(0, 300));
  // and a whole one is fine, in a body made by hand, even with those words in the file
  res = await send(`${start}\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--${boundary}--\r\n`);
  assert.equal(res.status, 201, res.raw.slice(0, 500));
  // other routes keep refusing multipart bodies
  const fd = new FormData();
  fd.append('_csrf', tokenOf(author));
  fd.append('body', 'Ein Kommentar mit genug Text.');
  res = await author.request(`/ideas/${idea}/comments`, { method: 'POST', body: fd, accept: 'application/json' });
  assert.equal(res.status, 415);
  assert.deepEqual(storeFiles().temp, []);
  await removeAll();
});

test('CSRF: the token inside the multipart body is required', async () => {
  let res = await upload(author, { token: null, json: true });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'csrf');
  res = await upload(author, { token: tokenOf(team), json: true });   // somebody else's token
  assert.equal(res.status, 403);
  // the header works as for every other write
  const fd = new FormData();
  fd.append('file', new Blob([PDF]), 'kopf.pdf');
  res = await author.request(`/api/v1/ideas/${idea}/attachments`, { method: 'POST', body: fd,
    headers: { 'X-CSRF-Token': tokenOf(author) } });
  assert.equal(res.status, 201, res.bodyText);
  assert.equal((await list(visitor)).count, 1);
  assert.deepEqual(storeFiles().temp, []);
  await removeAll();
});

test('who may attach and delete: the author, an accepted co-author and the team; visitors log in, others get 403', async () => {
  // visitors are sent to log in, and nothing of their file is written
  let res = await upload(visitor, { token: await visitor.apiCsrf() });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  res = await upload(visitor, { token: await visitor.apiCsrf(), json: true });
  assert.equal(res.status, 401);
  res = await upload(other, { json: true });
  assert.equal(res.status, 403);
  assert.equal(res.data.error.code, 'forbidden');
  for (const c of [author, coauthor, team]) {
    res = await upload(c, { name: `von-${c === author ? 'autor' : c === coauthor ? 'ko' : 'team'}.pdf`, json: true });
    assert.equal(res.status, 201, res.bodyText);
  }
  const page = await list(other);
  assert.equal(page.count, 3);
  assert.equal(page.form, undefined, 'no form for someone who may not attach');
  // the form and the delete buttons are there for those who may
  for (const c of [author, coauthor, team]) {
    const html = (await c.get(`/ideas/${idea}`)).bodyText;
    assert.match(html, /<form method="post" action="\/ideas\/\d+\/attachments" enctype="multipart\/form-data"/);
    assert.match(html, /PDF, PNG oder JPEG, bis zu 10 MB pro Datei; höchstens 10 Dateien pro Idee\./);
    assert.match(html, /<details class="attachment-delete">/);
  }
  assert.doesNotMatch((await other.get(`/ideas/${idea}`)).bodyText, /attachment-delete|multipart\/form-data/);
  // deleting
  const [first] = page.items;
  res = await other.postJson(`/api/v1/ideas/${idea}/attachments/${first.id}/delete`, {}, { csrf: tokenOf(other) });
  assert.equal(res.status, 403);
  res = await visitor.postForm(`/ideas/${idea}/attachments/${first.id}/delete`, { _csrf: await visitor.apiCsrf() });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login/);
  const anon = await visitor.get(`/ideas/${idea}`);   // cached anonymous page with the attachment
  assert.match(anon.bodyText, new RegExp(first.url));
  const html = (await coauthor.get(`/ideas/${idea}`)).bodyText;
  res = await coauthor.postForm(first.delete_url || `/ideas/${idea}/attachments/${first.id}/delete`,
    { _csrf: csrfFromHtml(html, `/ideas/${idea}/attachments/${first.id}/delete`) });
  assert.equal(res.status, 303, res.bodyText.slice(0, 300));
  assert.equal(res.headers.get('location'), `/ideas/${idea}#attachments`);
  assert.equal((await list(visitor)).count, 2);
  assert.equal((await download(visitor, first.url)).status, 404);
  assert.doesNotMatch((await visitor.get(`/ideas/${idea}`)).bodyText, new RegExp(`${first.url}"`));
  res = await author.postJson(`/api/v1/ideas/${idea}/attachments/${first.id}/delete`, {}, { csrf: tokenOf(author) });
  assert.equal(res.status, 404, 'deleted already');
  // an attachment is reached only through its own idea
  const [second] = (await list(visitor)).items;
  assert.equal((await download(visitor, `/ideas/1/attachments/${second.id}`)).status, 404);
  res = await team.postJson(`/api/v1/ideas/1/attachments/${second.id}/delete`, {}, { csrf: tokenOf(team) });
  assert.equal(res.status, 404);
  await removeAll();
});

test('at most ten attachments per idea', async () => {
  for (let i = 0; i < 10; i++) {
    const res = await upload(author, { bytes: Buffer.concat([PDF, Buffer.from(String(i))]), name: `teil-${i}.pdf`, json: true });
    assert.equal(res.status, 201, res.bodyText);
  }
  let res = await upload(author, { name: 'elf.pdf', json: true });
  assert.equal(res.status, 422);
  assert.equal(res.data.error.fields.file.code, 'too_many');
  const html = (await author.get(`/ideas/${idea}`)).bodyText;
  assert.match(html, /Hier sind bereits so viele Anhänge, wie es geben darf/);
  const page = await list(visitor);
  assert.equal(page.count, 10);
  // paged: three per page
  res = await visitor.getJson(`/api/v1/ideas/${idea}/attachments?limit=3`);
  assert.equal(res.data.items.length, 3);
  assert.ok(res.data.paging.next);
  const next = await visitor.getJson(res.data.paging.next);
  assert.equal(next.data.items[0].id, page.items[3].id);
  assert.equal((await visitor.getJson(`/api/v1/ideas/${idea}/attachments?limit=51`)).status, 400);
  await removeAll();
  res = await upload(author, { name: 'wieder.pdf', json: true });
  assert.equal(res.status, 201, 'room again after deleting');
  await removeAll();
});

test("a hidden idea's attachments are served to the team only", async () => {
  let res = await upload(author, { json: true });
  assert.equal(res.status, 201);
  const url = res.data.url;
  res = await team.postJson(`/api/v1/ideas/${idea}/hide`, { reason: 'Verstößt gegen die Regeln' }, { csrf: tokenOf(team) });
  assert.ok(res.status < 300, res.bodyText);
  for (const c of [visitor, other, author]) {
    assert.equal((await download(c, url)).status, 404);
    assert.equal((await c.getJson(`/api/v1/ideas/${idea}/attachments`)).status, 404);
    assert.doesNotMatch((await c.get(`/ideas/${idea}`)).bodyText, /id="attachments"/);
  }
  res = await upload(author, { json: true });
  assert.equal(res.status, 404);
  const got = await download(team, url);
  assert.equal(got.status, 200);
  assert.ok(got.bytes.equals(PDF));
  res = await team.postJson(`/api/v1/ideas/${idea}/unhide`, {}, { csrf: tokenOf(team) });
  assert.ok(res.status < 300, res.bodyText);
  assert.equal((await download(visitor, url)).status, 200);
  await removeAll();
});

test('the list page in English, with an upload form that works without JavaScript', async () => {
  const en = new Client(server.url);
  en.jar = new Map(author.jar);   // the author's session, in English
  await upload(author, { name: 'plan.pdf' });
  const res = await en.get(`/ideas/${idea}/attachments?lang=en`);
  assert.equal(res.status, 200);
  assert.match(res.bodyText, /<h1 class="kern-heading-large">Attachments<\/h1>/);
  assert.match(res.bodyText, /PDF, PNG or JPEG, up to 10 MB per file; at most 10 files per idea\./);
  assert.match(res.bodyText, /<input type="hidden" name="_csrf" value="[^"]+">/);
  assert.match(res.bodyText, /<input class="kern-form-input__input" type="file" id="file" name="file" accept="application\/pdf,image\/png,image\/jpeg"/);
  assert.match(res.bodyText, /plan\.pdf/);
  assert.equal((await visitor.get('/ideas/987654321/attachments')).status, 404);
  await removeAll();
});
