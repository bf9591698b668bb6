// Attachments in the browser, without JavaScript of our own: a member of the
// team attaches a PDF to an idea through the form on its page, sees it listed
// and downloads it, is told next to the field when a file has the wrong type
// (with the title kept), and deletes it after confirming; visitors see the
// list without the form. Every page and state is checked with axe-core.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../../lib/server.js');
const { launch, axeCheck, watchPage } = require('../../lib/browser.js');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let server;
const b = {};
const pages = {};
const problems = {};

// The form sent with a file of the wrong type answers 422 on purpose.
function expectedError(url, status) {
  return status === 422 && /^\/ideas\/\d+\/attachments$/.test(new URL(url).pathname);
}

async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

before(async () => {
  server = await startServer();
  for (const who of ['team', 'anon']) {
    b[who] = await launch({ locale: 'de-DE' });
    pages[who] = await b[who].newPage();
    problems[who] = watchPage(pages[who], { expected: expectedError });
  }
  const page = pages.team;
  await page.goto(server.url + '/login');
  await page.fill('#email', 'team@demo.unbox.invalid');
  await page.fill('#password', 'unbox-demo-team');
  await follow(page, page.locator('form[action="/login"] button[type=submit]'));
});

after(async () => {
  for (const who of Object.keys(b)) await b[who].close();
  if (server) await server.stop();
});

test('attach, list, download and delete a document on an idea page', { timeout: 90000 }, async () => {
  const page = pages.team;
  await page.goto(server.url + '/ideas');
  const ideaPath = await page.locator('main .card-list > li h3 a').first().getAttribute('href');
  await page.goto(server.url + ideaPath);
  const form = page.locator('#attachments form[enctype="multipart/form-data"]');
  assert.equal(await form.count(), 1);
  assert.match(await page.locator('#file-hint').innerText(), /PDF, PNG oder JPEG, bis zu 10 MB pro Datei/);
  await axeCheck(page, 'idea page with the attachment form');

  // a text file: refused next to the field, the title kept
  await page.setInputFiles('#file', { name: 'notizen.txt', mimeType: 'application/pdf', buffer: Buffer.from('nur Text\n') });
  await page.fill('#title', 'Projektskizze');
  await follow(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, `${ideaPath}/attachments`);
  assert.ok(await page.locator('#file-error').isVisible());
  assert.match(await page.locator('#file-error').innerText(), /Dateien dieses Typs/);
  assert.equal(await page.locator('#file').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.inputValue('#title'), 'Projektskizze');
  assert.deepEqual(await page.locator('#form-errors li a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#file']);
  await axeCheck(page, 'attachment form with an error');

  // the PDF, from the same page
  await page.setInputFiles('#file', { name: 'Skizze für Köln.pdf', mimeType: 'application/pdf', buffer: PDF });
  await follow(page, page.locator('#attachments form[enctype="multipart/form-data"] button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, ideaPath);
  assert.equal(new URL(page.url()).hash, '#attachments');
  const link = page.locator('#attachments table a', { hasText: 'Projektskizze' });
  assert.equal(await link.count(), 1);
  assert.match(await page.locator('#attachments table tbody tr').first().innerText(), /PDF/);
  await axeCheck(page, 'idea page with an attachment');

  const href = await link.getAttribute('href');
  const res = await page.request.get(server.url + href);
  assert.equal(res.status(), 200);
  assert.ok(Buffer.from(await res.body()).equals(PDF), 'the same bytes');
  assert.match(res.headers()['content-disposition'], /^attachment; /);

  // visitors see it, without a form or delete buttons
  const anon = pages.anon;
  await anon.goto(server.url + ideaPath);
  assert.equal(await anon.locator('#attachments table a', { hasText: 'Projektskizze' }).count(), 1);
  assert.equal(await anon.locator('#attachments form').count(), 0);
  await axeCheck(anon, 'idea page with an attachment, anonymous');

  // deleting asks first
  const del = page.locator('#attachments details.attachment-delete');
  await del.locator('summary').click();
  assert.ok(await del.locator('button[type=submit]').isVisible());
  await axeCheck(page, 'delete confirmation open');
  await follow(page, del.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, ideaPath);
  assert.equal(await page.locator('#attachments table').count(), 0);
  assert.match(await page.locator('#attachments').innerText(), /Noch keine Anhänge/);

  for (const who of Object.keys(problems)) assert.deepEqual(problems[who], [], `${who}: problems while loading pages`);
});
