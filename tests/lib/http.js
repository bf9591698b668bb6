// HTTP helpers for the tests in tests/http: a client with a cookie jar that
// never follows redirects, CSRF tokens from forms or from GET /api/v1/session,
// and small parsers for the cookies and HTML the server sends.
'use strict';
const assert = require('node:assert/strict');
const net = require('node:net');

// Parses one Set-Cookie header into { name, value, attrs } (attribute names lower-case).
function parseSetCookie(header) {
  const parts = header.split(';').map((p) => p.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const attrs = {};
  for (const a of rest) {
    if (!a) continue;
    const i = a.indexOf('=');
    if (i < 0) attrs[a.toLowerCase()] = true;
    else attrs[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return { name: nv.slice(0, eq), value: nv.slice(eq + 1), attrs, raw: header };
}

// All Set-Cookie headers of a response, parsed.
function setCookies(res) {
  return res.headers.getSetCookie().map(parseSetCookie);
}

// The Set-Cookie for one name, or undefined.
function setCookie(res, name) {
  return setCookies(res).find((c) => c.name === name);
}

// HTML entities as the templates write them.
function unescapeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (m, e) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    return String.fromCodePoint(parseInt(k.slice(1), 10));
  });
}

// The value attribute of <input name="NAME">, unescaped; undefined when absent.
function inputValue(html, name) {
  const tags = html.match(/<input\b[^>]*>/gi) || [];
  for (const tag of tags) {
    if (!new RegExp(`\\bname="${name}"`).test(tag)) continue;
    const m = tag.match(/\bvalue="([^"]*)"/);
    return m ? unescapeHtml(m[1]) : '';
  }
  return undefined;
}

// The text of <textarea name="NAME">, unescaped; undefined when absent.
function textareaValue(html, name) {
  const m = html.match(new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`, 'i'));
  return m ? unescapeHtml(m[1]) : undefined;
}

// The hidden _csrf field of the first form whose action is `action` (or of any form).
function csrfFromHtml(html, action) {
  const forms = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/gi) || [];
  for (const f of forms) {
    if (action && !new RegExp(`\\baction="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(f)) continue;
    const v = inputValue(f, '_csrf');
    if (v) return v;
  }
  return undefined;
}

// The options of <select name="NAME">: [{ value, label, selected }].
function selectOptions(html, name) {
  const m = html.match(new RegExp(`<select\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</select>`, 'i'));
  if (!m) return [];
  const out = [];
  const re = /<option\b([^>]*)>([^<]*)<\/option>/gi;
  let o;
  while ((o = re.exec(m[1]))) {
    const v = o[1].match(/\bvalue="([^"]*)"/);
    out.push({ value: v ? unescapeHtml(v[1]) : '', label: unescapeHtml(o[2]), selected: /\bselected\b/.test(o[1]) });
  }
  return out;
}

// The hrefs of the idea cards (/ideas/ID) in page order.
function ideaLinks(html) {
  const out = [];
  const re = /<h3 class="kern-heading-small"><a class="kern-link" href="\/ideas\/(\d+)">/g;
  let m;
  while ((m = re.exec(html))) out.push(Number(m[1]));
  return out;
}

function encodeForm(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) p.append(k, String(v));
  return p.toString();
}

// A browser-like client: keeps cookies, sends them back, does not follow redirects.
class Client {
  constructor(base, { lang } = {}) {
    this.base = base;
    this.jar = new Map();
    this.lang = lang;
  }

  cookie(name) {
    return this.jar.get(name);
  }

  setCookieValue(name, value) {
    if (value === undefined) this.jar.delete(name);
    else this.jar.set(name, value);
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  absorb(res) {
    for (const c of setCookies(res)) {
      if (c.attrs['max-age'] === '0' || c.value === '') this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
  }

  async request(path, { method = 'GET', headers = {}, body, json, accept } = {}) {
    const h = { ...headers };
    const ck = this.cookieHeader();
    if (ck && !('Cookie' in h)) h.Cookie = ck;
    if (accept) h.Accept = accept;
    if (this.lang && !('Accept-Language' in h)) h['Accept-Language'] = this.lang;
    let payload = body;
    if (json !== undefined) {
      h['Content-Type'] = 'application/json';
      payload = typeof json === 'string' ? json : JSON.stringify(json);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    this.absorb(res);
    const text = await res.text();
    res.bodyText = text;
    return res;
  }

  get(path, opts = {}) {
    return this.request(path, { ...opts, method: 'GET' });
  }

  // GET with Accept: application/json; returns the response with .data parsed.
  async getJson(path, opts = {}) {
    const res = await this.get(path, { ...opts, accept: 'application/json' });
    res.data = parseJson(res);
    return res;
  }

  // An HTML form post (application/x-www-form-urlencoded).
  postForm(path, fields, opts = {}) {
    return this.request(path, {
      ...opts,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
      body: encodeForm(fields),
    });
  }

  // A JSON post to /api/v1 + path with the session's CSRF token in X-CSRF-Token.
  async postJson(path, obj, { csrf, headers = {} } = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (csrf) h['X-CSRF-Token'] = csrf;
    const res = await this.request(path, { method: 'POST', headers: h, json: obj });
    res.data = parseJson(res);
    return res;
  }

  // Loads an HTML page and returns the _csrf of its form (action optional).
  async csrfFrom(path, action) {
    const res = await this.get(path);
    assert.equal(res.status, 200, `GET ${path}: ${res.bodyText.slice(0, 300)}`);
    const token = csrfFromHtml(res.bodyText, action);
    assert.ok(token, `no _csrf field in ${path}`);
    return token;
  }

  // The CSRF token the server expects from this client, from GET /api/v1/session.
  async apiCsrf() {
    const res = await this.getJson('/api/v1/session');
    assert.equal(res.status, 200);
    assert.equal(typeof res.data.csrf, 'string');
    assert.ok(res.data.csrf.length > 20);
    return res.data.csrf;
  }

  // Logs in through the HTML form; returns the response (303 on success).
  async login(email, password, extra = {}) {
    const csrf = await this.csrfFrom('/login', '/login');
    return this.postForm('/login', { _csrf: csrf, email, password, ...extra });
  }
}

function parseJson(res) {
  const type = res.headers.get('content-type') || '';
  if (!type.startsWith('application/json')) return undefined;
  return JSON.parse(res.bodyText);
}

const demo = (role) => ({ email: `${role}@demo.unbox.invalid`, password: `unbox-demo-${role}` });

// Logs each demo role in through the form (303 expected); returns, by role,
// its client and the CSRF token the server expects from it.
async function loginRoles(url, roles) {
  const clients = {};
  const csrf = {};
  for (const role of roles) {
    const c = new Client(url);
    const { email, password } = demo(role);
    const res = await c.login(email, password);
    assert.equal(res.status, 303, `login ${role}: ${res.bodyText.slice(0, 200)}`);
    clients[role] = c;
    csrf[role] = await c.apiCsrf();
  }
  return { clients, csrf };
}

// Checks the headers every answer must carry.
function assertSecurityHeaders(res, what = '') {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [k, ...v] = d.split(/\s+/);
    return [k.toLowerCase(), v];
  }));
  const script = directives['script-src'] || directives['default-src'];
  assert.ok(script, `${what}: no script-src or default-src in ${csp}`);
  assert.ok(!script.includes("'unsafe-inline'"), `${what}: script allows 'unsafe-inline': ${csp}`);
  assert.ok(!script.includes("'unsafe-eval'"), `${what}: script allows 'unsafe-eval': ${csp}`);
  assert.deepEqual(directives['frame-ancestors'], ["'none'"], `${what}: ${csp}`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  const rp = res.headers.get('referrer-policy');
  assert.ok(rp && /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/.test(rp), `${what}: Referrer-Policy ${rp}`);
}

// An idea that passes validation.
function validIdea(overrides = {}) {
  return {
    title: 'Offene Bänke im Veedel',
    summary: 'Eine Karte mit allen öffentlichen Sitzbänken, damit ältere Menschen Pausen planen können.',
    description: 'Viele Menschen gehen weniger aus dem Haus, weil sie nicht wissen, wo sie sich ausruhen können.\n\n- Karte\n- Meldungen für kaputte Bänke',
    field: 'mobilitaet-infrastruktur',
    stadtteil: '101',
    applicant_type: 'private',
    consent: '1',
    ...overrides,
  };
}

// Sends raw bytes over a new connection and collects what comes back until
// the server closes it or `timeout` ms pass. Resolves with
// { status, headers (lower-case names), body, raw, closed }.
function rawRequest(port, data, { timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const head = raw.split('\r\n\r\n')[0];
      const lines = head.split('\r\n');
      const m = lines[0].match(/^HTTP\/1\.[01] (\d{3})/);
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: m ? Number(m[1]) : 0, headers, body: raw.slice(head.length + 4), raw, closed });
    };
    const timer = setTimeout(() => finish(false), timeout);
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', (e) => { if (chunks.length) finish(true); else if (!done) { done = true; clearTimeout(timer); reject(e); } });
    sock.write(data);
  });
}

const SANITIZER_RE = /(ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer|runtime error:|SUMMARY: \w+Sanitizer)/;

// Fails when the server log holds a sanitizer report (ASan/UBSan builds).
function assertCleanLog(server) {
  const log = server.log();
  const i = log.search(SANITIZER_RE);
  assert.equal(i, -1, `sanitizer report in the server log:\n${i >= 0 ? log.slice(Math.max(0, i - 200), i + 4000) : ''}`);
}

// Stops the server (SIGTERM) and checks it ended cleanly: exit 0, no sanitizer report.
async function stopServer(server) {
  if (!server) return;
  const exit = await server.stop();
  if (server.closed) await server.closed;
  assertCleanLog(server);
  assert.deepEqual(exit, { code: 0, signal: null }, `server exit:\n${server.log().slice(-2000)}`);
}

module.exports = {
  Client,
  loginRoles,
  assertCleanLog,
  stopServer,
  rawRequest,
  parseSetCookie,
  setCookies,
  setCookie,
  unescapeHtml,
  inputValue,
  textareaValue,
  csrfFromHtml,
  selectOptions,
  ideaLinks,
  encodeForm,
  demo,
  assertSecurityHeaders,
  validIdea,
};
