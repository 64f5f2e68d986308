// fruxon-mock dashboard: plain JavaScript, no build step. Every value shown
// goes through textContent, never innerHTML.
(function () {
  "use strict";
  var TOKEN_KEY = "fruxon-mock-control-token";
  var MAX_ROWS = 200; // the list samples the newest; the journal keeps more
  var ui = { view: "traffic", session: "", entries: [], selected: 0, paused: false, timer: 0 };
  window.dashboard = { firstRender: 0, renders: 0, maxRenderMs: 0, ui: ui }; // read by the tests

  function $(id) { return document.getElementById(id); }
  function el(tag, props) {
    var e = document.createElement(tag);
    for (var k in props || {}) {
      if (k === "text") e.textContent = props[k];
      else if (k === "class") e.className = props[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), props[k]);
      else e.setAttribute(k, props[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) e.append(c);
    }
    return e;
  }
  function flash(msg, isError) {
    var f = $("flash");
    f.textContent = msg;
    f.className = isError ? "error" : "";
  }
  function when(ms) { return ms ? new Date(ms).toLocaleString() : "–"; }
  function clock(ms) { var d = new Date(ms); return d.toTimeString().slice(0, 8) + "." + String(d.getMilliseconds()).padStart(3, "0"); }

  // api calls the control plane; a 401 asks for the control token, unless
  // the token changed while the call was on its way: then the call goes
  // again, once, with the new one (a late answer to a call sent without the
  // token must not ask for the token the user just gave).
  async function api(method, path, body, again) {
    var headers = { "Accept": "application/json" };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    var resp = await fetch(path, { method: method, headers: headers, cache: "no-store", credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (resp.status === 401) {
      var now = sessionStorage.getItem(TOKEN_KEY);
      if (!again && now && now !== token) return api(method, path, body, true);
      $("auth").hidden = false;
      throw new Error("the control plane answered 401: enter its control token above");
    }
    var data = null;
    if (resp.status !== 204) {
      var text = await resp.text();
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    }
    if (!resp.ok) throw new Error(method + " " + path + ": " + resp.status + " " + ((data && (data.detail || data.title)) || ""));
    return data;
  }
  function scoped(path) {
    if (!ui.session) return path;
    return path + (path.indexOf("?") < 0 ? "?" : "&") + "session=" + encodeURIComponent(ui.session);
  }

  // ---- Traffic ----
  // The list polls with since=<last id> and keeps at most MAX_KEEP entries
  // (newest first). New rows reach the DOM a frame at a time, at most
  // ROWS_PER_FRAME per frame; when more arrive than the list shows, only the
  // newest are drawn (it samples) so the page never stalls behind the mock.
  var MAX_KEEP = 1000, ROWS_PER_FRAME = 50;
  ui.lastID = 0; ui.queue = []; ui.frame = 0; ui.skipped = 0; ui.gen = 0; ui.polling = false; ui.pollAgain = false;
  // The journal tells a broken contract (a request or answer that fails
  // validation: findings of kind "violation", red) from a refusal the
  // contract declares (a 401's reason, a business rule's 400, a 404:
  // neutral) and from notes (nothing broken).
  function requestBroken(e) { return e.findings.some(function (f) { return f.where === "request" && f.kind === "violation"; }); }
  function broken(e) { return e.violation || requestBroken(e); }
  function refused(e) { return !broken(e) && e.status >= 400 && e.status < 500; }
  function contract(e) {
    if (e.violation) return "✗ response";
    if (requestBroken(e)) return "✗ request";
    if (refused(e)) return "refused as declared";
    return "✓";
  }
  function contractClass(e) { return broken(e) ? "bad" : refused(e) ? "refused" : "good"; }
  function matcher() {
    var p = $("f-path").value.trim(), st = $("f-status").value.trim(), se = $("f-session").value.trim(),
      op = $("f-op").value.trim().toLowerCase(), onlyBroken = $("f-broken").checked, control = $("f-control").checked;
    return function (e) {
      if (!control && e.path.indexOf("/_mock/") === 0) return false;
      if (p && e.path.indexOf(p) < 0) return false;
      if (st && String(e.status).indexOf(st) !== 0) return false;
      if (se && (e.session || "-").indexOf(se) < 0) return false;
      if (op && (e.operationId || "").toLowerCase().indexOf(op) < 0) return false;
      return !onlyBroken || broken(e);
    };
  }
  function rowFor(e) {
    var tr = el("tr", { role: "row", tabindex: "-1", "data-id": e.id, "data-trace": e.traceId, "data-status": e.status, "aria-selected": String(e.id === ui.selected) },
      el("td", { class: "mono", text: clock(e.time) }), el("td", { text: e.method }), el("td", { class: "path", text: e.path }),
      el("td", { text: e.operationId || "–" }), el("td", { class: "s" + String(e.status)[0], text: e.status }),
      el("td", { text: e.durationMs.toFixed(1) }), el("td", { text: e.session || "–" }), el("td", { text: e.scenario || "–" }),
      el("td", { class: contractClass(e), text: contract(e) + (e.findings.length ? " (" + e.findings.length + ")" : "") }));
    for (var c = tr.firstChild; c; c = c.nextSibling) c.setAttribute("role", "cell");
    if (broken(e)) tr.classList.add("broken");
    tr.setAttribute("data-contract", broken(e) ? "broken" : refused(e) ? "refused" : "kept");
    return tr;
  }
  function stats(started) {
    window.dashboard.renders++;
    window.dashboard.maxRenderMs = Math.max(window.dashboard.maxRenderMs, performance.now() - started);
    if (!window.dashboard.firstRender) window.dashboard.firstRender = performance.now();
  }
  function counts() {
    var shown = $("traffic-rows").children.length;
    $("count").textContent = shown + " listed of " + ui.entries.length + " kept" + (ui.skipped ? "; " + ui.skipped + " skipped to keep up" : "");
  }
  function focusRow(body) {
    var sel = body.querySelector('tr[aria-selected="true"]') || body.firstElementChild;
    Array.prototype.forEach.call(body.children, function (r) { r.tabIndex = r === sel ? 0 : -1; });
    return sel;
  }
  // renderTraffic redraws the whole list (filters changed, session changed).
  function renderTraffic() {
    var started = performance.now();
    ui.queue = [];
    var keep = matcher(), rows = document.createDocumentFragment(), n = 0;
    for (var i = 0; i < ui.entries.length && n < MAX_ROWS; i++) {
      if (keep(ui.entries[i])) { rows.append(rowFor(ui.entries[i])); n++; }
    }
    var body = $("traffic-rows");
    var focused = document.activeElement && document.activeElement.parentNode === body;
    body.replaceChildren(rows);
    var sel = focusRow(body);
    if (focused && sel) sel.focus();
    counts();
    stats(started);
  }
  // paint draws the oldest ROWS_PER_FRAME queued entries (the queue is
  // newest first) above the list, drops rows past MAX_ROWS, and asks for another frame if any
  // are left.
  function paint() {
    ui.frame = 0;
    var started = performance.now();
    var batch = ui.queue.splice(Math.max(0, ui.queue.length - ROWS_PER_FRAME), ROWS_PER_FRAME);
    var keep = matcher(), rows = document.createDocumentFragment();
    for (var i = 0; i < batch.length; i++) if (keep(batch[i])) rows.append(rowFor(batch[i])); // newest first
    var body = $("traffic-rows");
    body.prepend(rows);
    while (body.children.length > MAX_ROWS) {
      var last = body.lastElementChild;
      if (last === document.activeElement) break;
      last.remove();
    }
    focusRow(body);
    counts();
    stats(started);
    if (ui.queue.length) ui.frame = requestAnimationFrame(paint);
  }
  // arrive takes a page of new entries (newest first).
  function arrive(items) {
    if (!items.length) return;
    ui.lastID = Math.max(ui.lastID, items[0].id);
    ui.entries = items.concat(ui.entries);
    if (ui.entries.length > MAX_KEEP) ui.entries.length = MAX_KEEP;
    for (var i = items.length - 1; i >= 0; i--) ui.queue.unshift(items[i]);
    if (ui.queue.length > MAX_ROWS) { ui.skipped += ui.queue.length - MAX_ROWS; ui.queue.length = MAX_ROWS; }
    if (!ui.frame) ui.frame = requestAnimationFrame(paint);
    var ops = $("ops"), known = {};
    Array.prototype.forEach.call(ops.children, function (o) { known[o.value] = true; });
    items.forEach(function (e) { if (e.operationId && !known[e.operationId]) { known[e.operationId] = true; ops.append(el("option", { value: e.operationId })); } });
  }
  function resetTraffic() {
    ui.entries = []; ui.queue = []; ui.lastID = 0; ui.skipped = 0; ui.selected = 0; ui.gen++;
    if (ui.frame) { cancelAnimationFrame(ui.frame); ui.frame = 0; }
    $("traffic-rows").replaceChildren();
    $("detail").replaceChildren(el("p", { class: "muted", text: "Select a request (click, or Enter / ↑ ↓ in the list) to see its findings, headers and bodies; Tab moves into them, Escape back to the list." }));
  }
  // pollJournal runs one poll at a time: called while one is on its way, it
  // asks that one to poll again as soon as it lands (two loops would fetch the
  // same entries twice). An answer that lands after the list was reset
  // (another session) is dropped.
  async function pollJournal() {
    clearTimeout(ui.timer);
    if (ui.polling) { ui.pollAgain = true; return; }
    ui.polling = true; ui.pollAgain = false;
    var behind = false, gen = ui.gen;
    if (ui.view === "traffic" && !ui.paused && !document.hidden) {
      try {
        var first = ui.lastID === 0;
        var data = await api("GET", scoped("/_mock/journal?limit=" + (first ? MAX_KEEP : MAX_ROWS) + (first ? "" : "&since=" + ui.lastID)));
        if (gen !== ui.gen) throw null;
        var items = data.items;
        // A full page means more arrived than asked for: the gap is skipped.
        if (!first && items.length === MAX_ROWS && items[items.length - 1].id > ui.lastID + 1) ui.skipped += items[items.length - 1].id - ui.lastID - 1;
        if (first) { arrive(items); renderTraffic(); } else arrive(items);
        // Behind (a full page): every poll redraws the whole list, so
        // poll less often; a layout costs the same for 50 rows as for 1.
        behind = !first && items.length === MAX_ROWS;
      } catch (err) { if (err) flash(err.message, true); }
    }
    ui.polling = false;
    ui.timer = setTimeout(pollJournal, ui.pollAgain ? 0 : behind ? 1000 : 500);
  }
  function shellQuote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }
  var SKIP_HEADERS = { "host": 1, "content-length": 1, "connection": 1, "accept-encoding": 1, "user-agent": 1 };
  function curlFor(e, d) {
    var req = d && d.request;
    var url = location.origin + e.path + (req && req.query ? "?" + req.query : "");
    var lines = ["curl -X " + e.method + " " + shellQuote(url)];
    if (req) {
      Object.keys(req.headers).sort().forEach(function (k) {
        var v = req.headers[k], lk = k.toLowerCase();
        if (SKIP_HEADERS[lk]) return;
        if (lk === "authorization" && /^Bearer \[redacted\]$/.test(v)) { lines.push("-H \"Authorization: Bearer $FRUXON_TOKEN\""); return; }
        lines.push("-H " + shellQuote(k + ": " + v));
      });
      if (req.body) lines.push("--data-raw " + shellQuote(req.body));
    } else {
      if (e.path.indexOf("/v1/") === 0) lines.push("-H \"Authorization: Bearer $FRUXON_TOKEN\"");
      if (e.session) lines.push("-H " + shellQuote("X-Fruxon-Mock-Session: " + e.session));
    }
    return lines.join(" \\\n  ");
  }
  function pretty(text) {
    if (!text) return "";
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (err) { return text; }
  }
  function sideView(title, side, id) {
    if (!side) return [el("h3", { text: title }), el("p", { class: "muted", text: "Not kept (the control plane's own calls keep no headers or bodies)." })];
    var rows = Object.keys(side.headers).sort().map(function (k) { return el("tr", null, el("th", { scope: "row", class: "mono", text: k }), el("td", { class: "mono", text: side.headers[k] })); });
    if (side.query) rows.unshift(el("tr", null, el("th", { scope: "row", text: "(query)" }), el("td", { class: "mono", text: side.query })));
    var note = side.withheld ? side.bodySize + " bytes, withheld: cut off or not JSON, so its secrets can't be redacted by position" :
      side.binary ? side.bodySize + " bytes of binary data, not shown" : !side.bodySize ? "no body" :
      side.bodySize + " bytes" + (side.truncated ? " — truncated: the first " + side.body.length + " characters shown" : "");
    return [el("h3", { text: title }),
      el("table", { class: "kv", id: id + "-headers", "aria-label": title + " headers" }, el("tbody", null, ...rows)),
      el("p", { class: side.truncated ? "bad" : "muted", text: "Body: " + note }),
      side.body ? el("pre", { id: id + "-body", tabindex: "0", "aria-label": title + " body", text: pretty(side.truncated ? "" : side.body) || side.body }) : null];
  }
  function showDetail(e, d) {
    var box = $("detail");
    if (!e) { box.replaceChildren(el("p", { class: "muted", text: "That request is no longer in the journal." })); return; }
    var dl = el("dl");
    [["Status", e.status + (broken(e) ? " — contract broken" : refused(e) ? " — refused as the contract says" : "")], ["Operation", e.operationId || "–"], ["Time", when(e.time)],
      ["Duration", e.durationMs.toFixed(2) + " ms"], ["Tenant", e.tenant || "–"], ["Session", (e.session || "(shared)") + (e.sessionNote ? " — " + e.sessionNote : "")],
      ["Scenario", e.scenario || "–"], ["Trace id", e.traceId]].forEach(function (p) { dl.append(el("dt", { text: p[0] }), el("dd", { text: p[1] })); });
    var findings = e.findings.length === 0 ? el("p", { class: "good", text: "✓ No findings: request and response match the contract." }) :
      el("table", { id: "findings", "aria-label": "Findings" }, el("thead", null, el("tr", null, el("th", { text: "Side" }), el("th", { text: "JSON path" }), el("th", { text: "Rule / message" }))),
        el("tbody", null, ...e.findings.map(function (f) {
          var mark = f.kind === "violation" ? ["broken", "bad", "✗ " + f.where] : f.kind === "refusal" ? ["", "refused", "refused: " + f.where] : ["", "muted", "note: " + f.where];
          return el("tr", { class: mark[0], "data-kind": f.kind }, el("td", { class: mark[1], text: mark[2] }), el("td", { class: "mono", text: f.field || "(whole)" }), el("td", { text: f.message }));
        })));
    var curl = curlFor(e, d);
    var copy = el("button", { type: "button", id: "copy-curl", text: "Copy as curl", onclick: function () { copyText(curl, "curl command copied (secrets stay redacted)"); } });
    var parts = [el("h2", { class: "mono", text: e.method + " " + e.path }), dl, el("h3", { text: "Findings" }), findings];
    if (d === undefined) parts.push(el("p", { class: "muted", text: "Loading headers and bodies…" }));
    else if (d === null) parts.push(el("p", { class: "muted", text: "Headers and bodies are no longer kept for this request." }));
    else parts = parts.concat(sideView("Request", d.request, "req"), sideView("Response", d.response, "resp"),
      [el("p", { class: "muted", text: "Secrets are redacted: masked headers, auth parameters and secret values show as [redacted]." })]);
    parts.push(el("h3", { text: "Replay" }), el("pre", { id: "curl", tabindex: "0", text: curl }), copy);
    box.replaceChildren(...parts);
  }
  async function select(tr, focus) {
    if (!tr) return;
    var id = Number(tr.getAttribute("data-id"));
    ui.selected = id;
    Array.prototype.forEach.call($("traffic-rows").children, function (r) { r.setAttribute("aria-selected", String(r === tr)); r.tabIndex = r === tr ? 0 : -1; });
    if (focus) tr.focus();
    var e = ui.entries.find(function (x) { return x.id === id; });
    showDetail(e, undefined);
    if (!e) return;
    var d = null;
    try { d = await api("GET", scoped("/_mock/journal/" + id)); } catch (err) { d = null; }
    if (ui.selected === id) showDetail(e, d);
  }
  async function copyText(text, done) {
    try { await navigator.clipboard.writeText(text); flash(done); } catch (err) {
      var ta = el("textarea", { class: "offscreen" }); ta.value = text; document.body.append(ta); ta.select();
      var ok = document.execCommand("copy"); ta.remove();
      flash(ok ? done : "Copy failed: select the text and copy it by hand", !ok);
    }
  }

  // ---- State ----
  function redact(v, key) {
    if (key === "secrets" && v && typeof v === "object") {
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = "set"; });
      return out;
    }
    if (typeof v === "string" && v.indexOf("enc:") === 0) return "set";
    if (Array.isArray(v)) return v.map(function (x) { return redact(x, ""); });
    if (v && typeof v === "object") {
      var o = {};
      Object.keys(v).forEach(function (k) { o[k] = redact(v[k], k); });
      return o;
    }
    return v;
  }
  function flatten(v, prefix, out) {
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length) {
      Object.keys(v).forEach(function (k) { flatten(v[k], prefix ? prefix + "." + k : k, out); });
    } else if (prefix) out[prefix] = JSON.stringify(v);
    return out;
  }
  function diffTable(draft, published) {
    var a = flatten(draft, "", {}), b = published ? flatten(published, "", {}) : {};
    var keys = Object.keys(Object.assign({}, a, b)).sort();
    return el("table", { class: "diff", "aria-label": "Draft beside published" },
      el("thead", null, el("tr", null, el("th", { text: "Field" }), el("th", { text: "Draft" }), el("th", { text: published ? "Published" : "Published (none yet)" }), el("th", { text: "" }))),
      el("tbody", null, ...keys.map(function (k) {
        var same = !published || a[k] === b[k];
        return el("tr", { class: same ? "" : "changed" }, el("td", { class: "mono", text: k }), el("td", { class: "mono", text: a[k] === undefined ? "–" : a[k] }),
          el("td", { class: "mono", text: b[k] === undefined ? "–" : b[k] }), el("td", { text: same ? "" : "≠ differs" }));
      })));
  }
  // deliveriesView lists a config's accepted webhook deliveries (the
  // control plane's list, newest first), loaded when its config is opened.
  function deliveriesView(tenant, integration, c) {
    var box = el("div", { "data-deliveries": c.id }, el("p", { class: "muted", text: "open to load" }));
    box.load = async function () {
      var path = "/_mock/tenants/" + encodeURIComponent(tenant) + "/integrations/" + encodeURIComponent(integration) +
        "/configs/" + encodeURIComponent(c.id) + "/webhook/deliveries";
      var items;
      try { items = (await api("GET", scoped(path))).items; } catch (err) { box.replaceChildren(el("p", { class: "muted", text: err.message })); return; }
      box.replaceChildren(items.length ? el("table", { "aria-label": "Webhook deliveries" },
        el("thead", null, el("tr", null, ...["Delivery", "Received", "Provider", "Key", "Type", "Bytes", "Subscribers", "Body"].map(function (h) { return el("th", { text: h }); }))),
        el("tbody", null, ...items.map(function (d) {
          var body = d.body == null ? "–" : JSON.stringify(d.body);
          if (body.length > 120) body = body.slice(0, 119) + "…";
          return el("tr", { "data-delivery": d.id }, ...[d.id, when(d.receivedAt), d.webhookProvider, d.keyPrefix + "…", d.contentType || "–", d.size, d.subscribers, body]
            .map(function (v) { return el("td", { class: "mono", text: v == null ? "–" : String(v) }); }));
        }))) : el("p", { class: "muted", text: "none (deliveries to the config's inbound webhook URL appear here)" }));
    };
    return box;
  }
  function configView(c, runs, tenant, integration) {
    var revs = (c.revisions || []).slice().sort(function (x, y) { return y.number - x.number; });
    var pub = revs[0];
    var changed = pub && JSON.stringify(flatten(c.draft, "", {})) !== JSON.stringify(flatten(pub.draft, "", {}));
    var deliveries = deliveriesView(tenant, integration, c);
    var view = el("details", { "data-config": c.id },
      el("summary", { text: "Config " + c.id + " — " + (c.draft.displayName || "unnamed") + " · sandboxMode " + c.draft.sandboxMode +
        " · " + (pub ? "published r" + pub.number + (changed ? ", draft differs" : ", draft = published") : "never published") + " · " + runs.length + " runs" }),
      diffTable(c.draft, pub && pub.draft),
      el("h3", { text: "Revisions" }),
      revs.length ? el("ul", null, ...revs.map(function (r) { return el("li", { class: "mono", text: "r" + r.number + " " + r.id + " · " + when(r.createdAt) }); })) : el("p", { class: "muted", text: "none" }),
      el("h3", { text: "Runs" }),
      runs.length ? el("table", { "aria-label": "Runs" }, el("thead", null, el("tr", null, ...["Run", "Tool", "Mode", "sandboxMode", "Route", "Vendor status", "When"].map(function (h) { return el("th", { text: h }); }))),
        el("tbody", null, ...runs.slice().reverse().map(function (r) {
          return el("tr", null, ...[r.runId, r.toolId, r.executionMode, r.sandboxMode, r.route, r.response && r.response.status, when(r.createdAt)].map(function (v) { return el("td", { class: "mono", text: v == null ? "–" : v }); }));
        }))) : el("p", { class: "muted", text: "none" }),
      el("h3", { text: "Webhook deliveries" }), deliveries);
    view.addEventListener("toggle", function () { if (view.open) deliveries.load(); });
    return view;
  }
  async function loadState() {
    var doc = redact(await api("GET", scoped("/_mock/state")), "");
    var sec = $("state");
    var tenants = Object.keys(doc.tenants).sort();
    sec.replaceChildren(el("p", { class: "summary muted", text: tenants.length + " tenant(s) in " + (ui.session ? "session " + ui.session : "the shared state") + ". Secrets show only as \u201cset\u201d." }));
    tenants.forEach(function (t) {
      var integ = doc.tenants[t].integrations || [];
      // Tools and runs are the tools room's section of the tenant, keyed by integration (and config).
      var toolSec = doc.tenants[t].tools || {};
      sec.append(el("details", { open: "", "data-tenant": t }, el("summary", { text: "Tenant " + t + " · " + integ.length + " integrations" }),
        ...integ.map(function (is) {
          var i = is.integration;
          var tools = (toolSec.tools || []).filter(function (ts) { return ts.tool.integrationId === i.id; });
          var runsOf = function (c) {
            var log = (toolSec.runs || []).find(function (l) { return l.integrationId === i.id && l.configId === c.id; });
            return log ? log.runs : [];
          };
          return el("details", { "data-integration": i.id }, el("summary", { text: i.id + " — " + i.displayName + " (" + i.type + ") · " + is.configs.length + " configs · " + tools.length + " tools" }),
            ...is.configs.map(function (c) { return configView(c, runsOf(c), t, i.id); }),
            tools.length ? el("table", { "aria-label": "Tools" }, el("thead", null, el("tr", null, ...["Tool", "Name", "Action type", "Request"].map(function (h) { return el("th", { text: h }); }))),
              el("tbody", null, ...tools.map(function (ts) {
                var tl = ts.tool, api2 = tl.descriptor && tl.descriptor.apiTool;
                return el("tr", null, el("td", { class: "mono", text: tl.id }), el("td", { text: tl.displayName }), el("td", { text: tl.actionType }),
                  el("td", { class: "mono", text: api2 ? api2.httpMethod + " " + api2.url : "–" }));
              }))) : null);
        })));
    });
  }

  // ---- Scenarios ----
  async function loadScenarios() {
    var data = await api("GET", "/_mock/scenarios");
    var q = $("sc-filter").value.trim().toLowerCase();
    $("sc-rows").replaceChildren(...data.items.filter(function (s) { return !q || s.name.toLowerCase().indexOf(q) >= 0; }).map(function (s) {
      function act(verb) {
        return el("button", { type: "button", "data-action": verb, "aria-label": verb + " " + s.name, text: verb, onclick: async function () {
          try { await api("POST", scoped("/_mock/scenarios/" + encodeURIComponent(s.name) + ":" + verb)); flash(s.name + ": " + verb + "d"); await loadScenarios(); } catch (err) { flash(err.message, true); }
        } });
      }
      return el("tr", { class: s.active ? "active" : "", "data-scenario": s.name }, el("td", { class: "mono", text: s.name }), el("td", { text: s.description }),
        el("td", { text: s.active ? "● active" : "○ inactive" }), el("td", { class: "mono", text: s.state == null ? "–" : s.state }),
        el("td", null, s.active ? act("deactivate") : act("activate"), " ", act("reset")));
    }));
  }

  // ---- Coverage ----
  async function loadCoverage() {
    var c = await api("GET", scoped("/_mock/coverage"));
    var sec = $("coverage");
    sec.replaceChildren(el("p", { class: "summary", text: "Covered " + c.totals.covered + " of " + c.totals.pairs + " declared (operation, status) pairs — " + c.totals.percent + "%" +
      (c.totals.forcedOnly ? "; " + c.totals.forcedOnly + " more only forced by Prefer or a stub" : "") +
      (c.totals.missingInSpec ? "; " + c.totals.missingInSpec + " answered but not declared" : "") + ". ✓ covered (count), ⚑ forced by Prefer or a stub (count, not coverage), ✗ not covered, ! not in the spec." }));
    c.apiCoverage.forEach(function (spec) {
      var byOp = {};
      spec.operations.forEach(function (o) { (byOp[o.operationId] = byOp[o.operationId] || { o: o, rows: [] }).rows.push(o); });
      sec.append(el("table", { "aria-label": "Coverage of " + spec.specification },
        el("thead", null, el("tr", null, el("th", { text: "Operation" }), el("th", { text: "Method and path" }), el("th", { text: "Statuses" }))),
        el("tbody", null, ...Object.keys(byOp).map(function (id) {
          var g = byOp[id];
          return el("tr", { "data-operation": id }, el("td", { class: "mono", text: id }), el("td", { class: "mono", text: g.o.method + " " + g.o.path }),
            el("td", null, ...g.rows.map(function (r) {
              var cls = r.coverageStatus === "covered" ? "covered" : r.coverageStatus === "missing in spec" ? "missing" : r.forced ? "forced" : "";
              var mark = cls === "covered" ? "✓" : cls === "missing" ? "!" : cls === "forced" ? "⚑" : "✗";
              var forced = r.forced ? " ⚑" + r.forced : "";
              return el("span", { class: "chip " + cls, title: r.coverageStatus + (r.forced ? "; " + r.forced + " forced by Prefer or a stub" : ""),
                "data-forced": String(r.forced || 0), text: r.responseCode + " " + mark + (r.count ? " " + r.count : "") + (cls === "forced" ? " " + r.forced : forced) });
            })));
        }))));
    });
    if (c.toolRuns && c.toolRuns.length) {
      sec.append(el("table", { "aria-label": "Tool runs by route" }, el("thead", null, el("tr", null, ...["executionMode", "sandboxMode", "route", "count"].map(function (h) { return el("th", { text: h }); }))),
        el("tbody", null, ...c.toolRuns.map(function (r) { return el("tr", null, ...[r.executionMode, r.sandboxMode, r.route, r.count].map(function (v) { return el("td", { text: v }); })); }))));
    }
  }

  // ---- Sessions ----
  async function loadSessions(render) {
    var data = await api("GET", "/_mock/sessions");
    var sel = $("session");
    sel.replaceChildren(el("option", { value: "", text: "(shared default)" }), ...data.sessions.map(function (s) { return el("option", { value: s.id, text: s.id }); }));
    if (ui.session && !data.sessions.some(function (s) { return s.id === ui.session; })) sel.append(el("option", { value: ui.session, text: ui.session + " (gone)" }));
    sel.value = ui.session;
    if (!render) return;
    $("sessions").replaceChildren(data.sessions.length === 0 ? el("p", { class: "summary muted", text: "No sessions: requests with X-Fruxon-Mock-Session create them." }) :
      el("table", { "aria-label": "Sessions" }, el("thead", null, el("tr", null, ...["Session", "Created", "Last used", "Requests", "Tenants", "Actions"].map(function (h) { return el("th", { text: h }); }))),
        el("tbody", null, ...data.sessions.map(function (s) {
          return el("tr", { "data-session": s.id }, el("td", { class: "mono", text: s.id }), el("td", { text: when(s.createdAt) }), el("td", { text: when(s.lastUsedAt) }),
            el("td", { text: s.requests }), el("td", { text: (s.tenants || []).join(", ") || "–" }),
            el("td", null, el("button", { type: "button", text: "Show", onclick: function () { setSession(s.id); } }), " ",
              el("button", { type: "button", text: "Delete", onclick: async function () {
                try { await api("DELETE", "/_mock/sessions/" + encodeURIComponent(s.id)); flash("session " + s.id + " deleted"); if (ui.session === s.id) ui.session = ""; await loadSessions(true); } catch (err) { flash(err.message, true); }
              } })));
        }))));
  }
  function setSession(id) { ui.session = id; $("session").value = id; resetTraffic(); refresh(); }

  // ---- Views and actions ----
  var loaders = { traffic: pollJournal, state: loadState, scenarios: loadScenarios, coverage: loadCoverage, sessions: function () { return loadSessions(true); } };
  async function refresh() {
    try { await loaders[ui.view](); } catch (err) { flash(err.message, true); }
  }
  function show(view, focus) {
    ui.view = view;
    document.querySelectorAll("nav [role=tab]").forEach(function (t) {
      var on = t.getAttribute("aria-controls") === view;
      t.setAttribute("aria-selected", String(on)); t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) t.focus();
    });
    location.hash = view;
    refresh();
  }
  function wire() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll("nav [role=tab]"));
    tabs.forEach(function (t, i) {
      t.addEventListener("click", function () { show(t.getAttribute("aria-controls")); });
      t.addEventListener("keydown", function (ev) {
        var d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
        if (d) { ev.preventDefault(); show(tabs[(i + d + tabs.length) % tabs.length].getAttribute("aria-controls"), true); }
      });
    });
    var body = $("traffic-rows");
    body.addEventListener("click", function (ev) { select(ev.target.closest("tr"), false); });
    body.addEventListener("keydown", function (ev) {
      var tr = ev.target.closest("tr");
      if (!tr) return;
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(tr, true); }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") { ev.preventDefault(); select(ev.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling, true); }
      if (ev.key === "Home" || ev.key === "End") { ev.preventDefault(); select(ev.key === "Home" ? body.firstElementChild : body.lastElementChild, true); }
    });
    // Escape in the detail pane goes back to the selected request.
    $("detail").addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape") return;
      var tr = $("traffic-rows").querySelector('tr[aria-selected="true"]');
      if (tr) { ev.preventDefault(); tr.focus(); }
    });
    $("filters").addEventListener("input", function () { renderTraffic(); });
    $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
    $("pause").addEventListener("click", function () {
      ui.paused = !ui.paused; this.setAttribute("aria-pressed", String(ui.paused)); this.textContent = ui.paused ? "Resume" : "Pause";
    });
    $("sc-filter").addEventListener("input", function () { loadScenarios().catch(function (err) { flash(err.message, true); }); });
    $("session").addEventListener("change", function () { setSession(this.value); });
    $("reset-state").addEventListener("click", async function () {
      try { await api("POST", scoped("/_mock/reset")); flash("State reset to the fixtures" + (ui.session ? " in session " + ui.session : "")); refresh(); } catch (err) { flash(err.message, true); }
    });
    $("clear-journal").addEventListener("click", async function () {
      try { await api("DELETE", scoped("/_mock/journal")); var last = ui.lastID; resetTraffic(); ui.lastID = last || 0; flash("Journal cleared"); } catch (err) { flash(err.message, true); }
    });
    $("mint-open").addEventListener("click", function () {
      var f = $("mint"); f.hidden = !f.hidden; this.setAttribute("aria-expanded", String(!f.hidden));
      if (!f.hidden) $("mint-tenant").focus();
    });
    $("mint").addEventListener("submit", async function (ev) {
      ev.preventDefault();
      var req = { ttlSeconds: Number($("mint-ttl").value) || 3600 };
      if ($("mint-tenant").value.trim()) req.tenant = $("mint-tenant").value.trim();
      try {
        var t = await api("POST", "/_mock/tokens", req);
        $("mint-token").value = t.token; $("mint-copy").disabled = false; $("mint-expiry").textContent = "expires " + when(t.expiresAt);
        flash("Token minted");
      } catch (err) { flash(err.message, true); }
    });
    $("mint-copy").addEventListener("click", function () { copyText($("mint-token").value, "Token copied"); });
    $("auth").addEventListener("submit", function (ev) {
      ev.preventDefault(); sessionStorage.setItem(TOKEN_KEY, $("auth-token").value); $("auth").hidden = true; flash("Control token set"); refresh();
    });
    $("auth-forget").addEventListener("click", function () { sessionStorage.removeItem(TOKEN_KEY); $("auth-token").value = ""; flash("Control token forgotten"); });
  }
  wire();
  loadSessions(false).catch(function (err) { flash(err.message, true); });
  var first = location.hash.slice(1);
  show(loaders[first] ? first : "traffic");
})();
