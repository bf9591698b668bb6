// Lists the translatable texts of un:box: {{_Text}} in templates and N_("Text")
// in C. With --check FILE.po: exits 1 and names every text FILE.po does not translate.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');

function walk(dir, ext, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

const ids = new Set();
for (const f of walk(path.join(root, 'templates'), '.html'))
  for (const m of fs.readFileSync(f, 'utf8').matchAll(/\{\{_\s*([^}]+?)\s*\}\}/g)) ids.add(m[1]);
for (const f of walk(path.join(root, 'src'), '.c'))
  for (const m of fs.readFileSync(f, 'utf8').matchAll(/N_\(\s*"((?:[^"\\]|\\.)*)"\s*\)/g))
    ids.add(JSON.parse('"' + m[1] + '"'));

function poEntries(file) {
  const map = new Map();
  let id = null, str = null, cur = null;
  const flush = () => { if (id !== null) map.set(id, str || ''); id = str = cur = null; };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const l = line.trim();
    if (l.startsWith('msgid ')) { flush(); id = JSON.parse(l.slice(6)); cur = 'id'; }
    else if (l.startsWith('msgstr ')) { str = JSON.parse(l.slice(7)); cur = 'str'; }
    else if (l.startsWith('"')) { if (cur === 'id') id += JSON.parse(l); else if (cur === 'str') str += JSON.parse(l); }
  }
  flush();
  return map;
}

const args = process.argv.slice(2);
if (args[0] === '--check') {
  const po = poEntries(args[1]);
  const missing = [...ids].filter(id => !po.get(id));
  for (const m of missing) console.log('untranslated: ' + JSON.stringify(m));
  process.exit(missing.length ? 1 : 0);
} else {
  for (const id of [...ids].sort()) console.log(id);
}
