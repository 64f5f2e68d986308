// Judges what Prism found over a replay, for scripts/prism-check.
//
//   node findings.js SPEC.json EXCHANGES.jsonl [LOGGED]
//
// SPEC.json is the contract as the mock serves it (/openapi.json), used to
// name each exchange's operation. EXCHANGES.jsonl is record.js's output.
// Prints every response finding (operation, status, JSON path, message),
// the request findings grouped, and the exchanges Prism did not judge.
// LOGGED, when given, is how many violations Prism's log shows: the headers
// must carry as many. The exchanges must hold the canary (operation
// prismCheckCanary, added to Prism's copy of the spec by prism-check) with a
// response finding: otherwise Prism is not judging answers.
// Exit 0 when no response finding is left after the ALLOW list, 1 otherwise.
'use strict';
const fs = require('fs');

const [specFile, exchangesFile, logged] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const exchanges = fs.readFileSync(exchangesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// ALLOW: response findings that are Prism's limitations, not the mock's or
// the spec's mistakes. Each entry is narrow: one operation (or a list), the
// violation's location and a message pattern, with the reason and, where one
// exists, Prism's issue. Nothing here may hide a whole operation or a whole
// kind of finding.
const ALLOW = [
  {
    operation: 'getConfig', status: 405, location: 'response',
    path: /\/configs\/[^/]+:publish$/,
    message: /^Unable to match the returned status code with those defined in the document/,
    why: 'GET on the colon-verb path .../configs/{config}:publish (declared for POST only; the mock answers 405 ' +
      'with Allow: POST, as library scenario errors-405 asks). Prism finds no GET for the verb path and falls ' +
      'back to GET .../configs/{config} with config = "<uuid>:publish": it lets a path variable swallow the ' +
      ':verb, then judges the 405 against getConfig, which rightly does not declare it. Prism\'s colon support ' +
      '(stoplightio/prism#1785, fixed for same-method matches by #1871) does not cover a method mismatch.',
    issue: 'https://github.com/stoplightio/prism/issues/1785',
  },
];

// Operations by path template; the template with the most literal
// characters wins, so /configs/{config}:publish beats /configs/{config}.
const routes = [];
// Operations whose body is a JSON-RPC message (x-fruxon-jsonrpc): they
// refuse a bad one with a JSON-RPC error in a 200, not with a 4xx.
const jsonrpcOps = new Set();
for (const [template, item] of Object.entries(spec.paths || {})) {
  const literal = template.replace(/\{[^}]+\}/g, '').length;
  const re = new RegExp('^' + template.split(/(\{[^}]+\})/).map((part) =>
    part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('') + '$');
  for (const [method, op] of Object.entries(item)) {
    if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) {
      routes.push({ method: method.toUpperCase(), re, literal, template, id: op.operationId || `${method.toUpperCase()} ${template}` });
      if (op['x-fruxon-jsonrpc'] === true) jsonrpcOps.add(op.operationId);
    }
  }
}
routes.sort((a, b) => b.literal - a.literal);
function operation(method, path) {
  const r = routes.find((r) => r.method === method && r.re.test(path));
  return r ? r.id : null;
}

const where = (v) => (v.location || []).join('.');
const n = { total: exchanges.length, prism: 0, direct: 0, dropped: 0, timeout: 0, control: 0, v1: 0 };
const response = []; // [{x, v, allow}]
const request = new Map(); // "op | location | message" -> {count, statuses:Set}
const unjudged = new Map(); // why -> count
const unknownRoute = []; // /v1 exchanges Prism found no route for
let canary = 0;
let headerViolations = 0;
for (const x of exchanges) {
  x.op = operation(x.method, x.path);
  headerViolations += (x.violations || []).length;
  if (x.op === 'prismCheckCanary') {
    canary += (x.violations || []).filter((v) => (v.location || [])[0] === 'response').length;
    continue;
  }
  if (x.via === 'direct') n.direct++;
  else n.prism++;
  if (x.why) unjudged.set(x.why, [...(unjudged.get(x.why) || []), `${x.op || x.method + ' ' + x.path} → ${x.status || 'dropped'}`]);
  if (x.status === 0) n.dropped++;
  if (x.status === 504 && x.why) n.timeout++;
  if (!x.path.startsWith('/v1/')) {
    // The control plane (/_mock/...) and the mock's own pages are not in
    // the contract: Prism forwards them with "Selected route not found".
    n.control++;
    continue;
  }
  n.v1++;
  for (const v of x.violations || []) {
    const loc = v.location || [];
    if (loc[0] === 'response') {
      const allow = ALLOW.find((a) => a.operation === x.op && a.status === x.status &&
        a.location === where(v) && a.path.test(x.path) && a.message.test(v.message));
      response.push({ x, v, allow });
    } else if (loc[0] === 'request' && v.message === 'Selected route not found') {
      unknownRoute.push(x);
    } else {
      const key = `${x.op || x.method + ' ' + x.path} | ${where(v)} | ${v.message}`;
      const e = request.get(key) || { count: 0, statuses: new Set() };
      e.count++;
      // Refused in JSON-RPC: a 200 whose body is a JSON-RPC error, on an
      // operation that refuses so; not an acceptance.
      e.statuses.add(x.rpcError && jsonrpcOps.has(x.op) ? `${x.status} (JSON-RPC error ${x.rpcError})` : x.status);
      request.set(key, e);
    }
  }
}

console.log(`exchanges: ${n.v1 + n.control} (${n.v1} /v1, ${n.control} control plane and mock pages, not in the contract), ` +
  `through Prism ${n.prism}, straight to the mock ${n.direct}; and ${n.total - n.v1 - n.control} of the canary`);
if (unjudged.size) {
  console.log('not judged by Prism, or not carried as is:');
  for (const [why, list] of unjudged) console.log(`  ${list.length}× ${why}: ${list.join(', ')}`);
}
const reqTotal = [...request.values()].reduce((s, e) => s + e.count, 0);
// A request Prism refuses that the mock answered 2xx: the mock accepts what
// the contract forbids (as validator/independent/kin checks too).
let accepted = 0;
console.log(`request findings: ${reqTotal} (the library sends bad requests on purpose; one the mock answered 2xx is marked !)`);
for (const [key, e] of [...request].sort()) {
  const ok = [...e.statuses].some((s) => typeof s === 'number' && s >= 200 && s < 300);
  if (ok) accepted++;
  console.log(`  ${ok ? '!' : ' '} ${e.count}× ${key} → ${[...e.statuses].sort().join(',')}`);
}
if (unknownRoute.length) {
  console.log(`/v1 exchanges Prism matched to no operation: ${unknownRoute.length}`);
  const by = new Map();
  for (const x of unknownRoute) {
    const k = `${x.method} ${x.op || x.path} → ${x.status}`;
    by.set(k, (by.get(k) || 0) + 1);
  }
  for (const [k, c] of by) console.log(`  ${c}× ${k}`);
}
const allowed = response.filter((f) => f.allow);
const left = response.filter((f) => !f.allow);
console.log(`response findings: ${response.length} (${allowed.length} allowed as Prism limitations, ${left.length} left)`);
for (const { x, v, allow } of response) {
  console.log(`  ${allow ? 'allowed' : 'FINDING'} ${x.op || x.method + ' ' + x.path} ${x.status} ${where(v)}: ${v.message}` +
    ` [${x.session || '-'}]` + (allow ? `\n      because ${allow.why}${allow.issue ? ' ' + allow.issue : ''}` : ''));
}
// An /v1 exchange Prism matched to no operation is not judged at all: count
// it with the findings, unless it is a path the contract doesn't have (a 404
// or 405 the library asks for on purpose).
const unjudgedV1 = unknownRoute.filter((x) => x.op);
if (unjudgedV1.length) console.log(`FINDING: ${unjudgedV1.length} exchanges of declared operations that Prism matched to no route (not judged)`);
if (accepted) console.log(`FINDING: ${accepted} kinds of request Prism refuses were answered 2xx by the mock (marked ! above)`);
if (logged !== undefined && Number(logged) !== headerViolations) {
  console.log(`FINDING: Prism's log shows ${logged} violations, its sl-violations headers ${headerViolations}`);
  process.exit(1);
}
if (canary === 0) {
  console.log('FINDING: no response finding on the canary (/_mock/health, declared with a member it never has): Prism is not judging answers');
  process.exit(1);
}
console.log(`canary: found (${canary} response findings on /_mock/health); violations in Prism's headers ${headerViolations}` +
  (logged !== undefined ? `, in its log ${logged}` : ''));
if (n.prism === 0 || n.v1 === 0) {
  console.log('FINDING: Prism judged no /v1 exchange');
  process.exit(1);
}
process.exit(left.length || unjudgedV1.length || accepted ? 1 : 0);
