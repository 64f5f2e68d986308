// A recording reverse proxy in front of Prism, for scripts/prism-check.
//
//   node record.js PRISM_URL MOCK_URL OUT.jsonl
//
// Every exchange goes through Prism (prism proxy, which validates the request
// and the answer and reports what it finds in the sl-violations header) unless
// one of the BYPASS rules below says Prism can't carry it; it is then sent
// straight to the mock and recorded as not judged by Prism. One JSON line per
// exchange: method, path, query, status, via (prism|direct), why (a bypass or
// drop reason), violations (sl-violations parsed), scenario and session.
// Prints "listening PORT" when ready.
'use strict';
const http = require('http');
const fs = require('fs');

const [prismURL, mockURL, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: node record.js PRISM_URL MOCK_URL OUT.jsonl');
  process.exit(2);
}
const prism = new URL(prismURL);
const mock = new URL(mockURL);
const out = fs.openSync(outFile, 'w');
const agent = new http.Agent({ keepAlive: true });
// PRISM_TIMEOUT_MS: an answer Prism has not started by then is recorded as
// a timeout and answered 504 (the step then fails, visibly).
const timeoutMs = Number(process.env.PRISM_TIMEOUT_MS || 10000);

// A media type as RFC 9110 §8.3.1 writes it: type/subtype, then parameters
// whose values are tokens or quoted strings.
const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const mediaType = new RegExp(`^${token}/${token}(\\s*;\\s*${token}=(${token}|"([^"\\\\]|\\\\.)*"))*\\s*$`);

// BYPASS: requests Prism 5.16 can't carry, each with the reason. Narrow on
// purpose: each matches only a malformed request, which Prism has no
// contract to judge it by anyway (the mock's answer to it is still checked
// by replay's own validator).
const bypass = [
  {
    why: 'malformed JSON body: Prism never answers (its body parser, micri, throws; stoplightio/prism#2664, #1745)',
    test: (req, body) => /^application\/([a-z0-9.+-]*\+)?json\b/i.test(req.headers['content-type'] || '') &&
      body.length > 0 && !parses(body),
  },
  {
    why: 'unparsable Content-Type header: Prism answers its own 500 (micri\'s content-type parser throws)',
    test: (req) => req.headers['content-type'] !== undefined && !mediaType.test(req.headers['content-type']),
  },
];

function parses(body) {
  try { JSON.parse(body.toString('utf8')); return true; } catch { return false; }
}

function record(entry) {
  fs.writeSync(out, JSON.stringify(entry) + '\n');
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const u = new URL(req.url, 'http://x');
    const entry = {
      method: req.method, path: u.pathname, query: u.search,
      scenario: req.headers['x-fruxon-mock-scenario'], session: req.headers['x-fruxon-mock-session'],
      via: 'prism',
    };
    const rule = bypass.find((r) => r.test(req, body));
    const to = rule ? mock : prism;
    if (rule) {
      entry.via = 'direct';
      entry.why = rule.why;
    }
    const headers = { ...req.headers, host: to.host };
    const up = http.request({
      host: to.hostname, port: to.port, method: req.method, path: req.url, headers, agent,
    }, (upRes) => {
      const rb = [];
      upRes.on('data', (c) => rb.push(c));
      upRes.on('end', () => {
        const answer = Buffer.concat(rb);
        entry.status = upRes.statusCode;
        // A JSON-RPC error in a 2xx (mcp:call, mcp:test answer a body that
        // isn't a JSON-RPC request so): the mock refused it, in JSON-RPC.
        try {
          const m = JSON.parse(answer.toString('utf8'));
          if (m && m.jsonrpc === '2.0' && m.error && typeof m.error.code === 'number') entry.rpcError = m.error.code;
        } catch { /* not JSON */ }
        const v = upRes.headers['sl-violations'];
        if (v) {
          try { entry.violations = JSON.parse(v); } catch { entry.violations = [{ location: ['?'], message: v }]; }
        }
        // The mock dropped the connection (a fault stub): Prism reports it as
        // its own 500 FetchError problem. Give the client what the mock gave:
        // a dropped connection.
        if (!rule && upRes.statusCode === 500 && /"type":"FetchError".*socket hang up/.test(answer.toString('utf8'))) {
          entry.status = 0;
          entry.why = 'the mock dropped the connection (Prism reports it as its own 500 FetchError): dropped here too';
          record(entry);
          req.socket.destroy();
          return;
        }
        record(entry);
        const h = { ...upRes.headers };
        delete h['transfer-encoding'];
        h['content-length'] = String(answer.length);
        res.writeHead(upRes.statusCode, h);
        res.end(answer);
      });
      upRes.on('error', () => req.socket.destroy());
    });
    up.setTimeout(timeoutMs, () => {
      entry.status = 504;
      entry.why = `no answer from ${rule ? 'the mock' : 'Prism'} in ${timeoutMs} ms`;
      record(entry);
      up.destroy();
      if (!res.headersSent) {
        res.writeHead(504, { 'content-type': 'text/plain' });
        res.end(entry.why + '\n');
      }
    });
    up.on('error', (err) => {
      if (entry.status) return; // the timeout above already answered
      entry.status = 0;
      entry.why = `${rule ? 'the mock' : 'Prism'} dropped the connection: ${err.message}`;
      record(entry);
      req.socket.destroy();
    });
    up.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
