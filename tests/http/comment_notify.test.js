// Notifications about comments: the followers of an idea hear of a new
// comment and of an answer, the author of the comment answered hears of the
// answer even without following, once per person, never the writer.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { Client, demo, stopServer } = require('../lib/http');

let server;
const users = {};
let ideas;

before(async () => {
  server = await startServer();
  for (const role of ['resident', 'team', 'spurgruppe']) {
    const client = new Client(server.url, { lang: 'en' });
    assert.equal((await client.login(demo(role).email, demo(role).password)).status, 303, `${role} login`);
    users[role] = { client, csrf: await client.apiCsrf() };
  }
  ideas = (await new Client(server.url).getJson('/api/v1/ideas?limit=5')).data.items.map((i) => i.id);
});
after(async () => { await stopServer(server); });

async function comment(role, idea, body, parent) {
  const u = users[role];
  const res = await u.client.postJson(`/api/v1/ideas/${idea}/comments`, parent ? { body, parent } : { body }, { csrf: u.csrf });
  assert.equal(res.status, 201, res.bodyText);
  return res.data.id;
}

async function notes(role) {
  const res = await users[role].client.getJson('/api/v1/notifications?limit=100');   // the demo brings some already
  assert.equal(res.status, 200);
  return res.data.items;
}

test('followers hear of comments and answers; the answered author too; once each, never the writer', async () => {
  const idea = ideas[0];
  const r = users.resident;
  assert.equal((await r.client.postJson(`/api/v1/ideas/${idea}/follow`, {}, { csrf: r.csrf })).status, 200);
  const before = { resident: (await notes('resident')).length, team: (await notes('team')).length,
    spurgruppe: (await notes('spurgruppe')).length };

  // a new comment: the follower hears of it, the writer does not
  const c1 = await comment('team', idea, 'A question from the team.');
  let list = await notes('resident');
  assert.equal(list.length, before.resident + 1);
  assert.equal(list[0].kind, 'idea.comment');
  assert.equal(list[0].data.comment_id, c1);
  assert.equal(list[0].read, false);
  assert.equal((await notes('team')).length, before.team);

  // an answer to someone who does not follow: the author of the comment hears of it
  const c2 = await comment('spurgruppe', idea, 'An expert view.');
  const a1 = await comment('resident', idea, 'Thanks for the expert view.', c2);
  list = await notes('spurgruppe');
  assert.equal(list.length, before.spurgruppe + 1);
  assert.equal(list[0].kind, 'comment.reply');
  assert.equal(list[0].data.comment_id, a1);
  // the writer of the answer, though following, hears nothing of it
  assert.equal((await notes('resident')).length, before.resident + 2, 'the resident got c2 only');

  // the answered author who also follows gets one notification, not two
  const t = users.team;
  assert.equal((await t.client.postJson(`/api/v1/ideas/${idea}/follow`, {}, { csrf: t.csrf })).status, 200);
  const a2 = await comment('resident', idea, 'And an answer to the team.', c1);
  list = await notes('team');
  const about = list.filter((n) => n.data.comment_id === a2);
  assert.equal(about.length, 1);
  assert.equal(about[0].kind, 'comment.reply');
});
