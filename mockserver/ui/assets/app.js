// fruxon-mock dashboard: plain JavaScript, no build step. Every value shown
// goes through textContent, never innerHTML.
(function () {
  "use strict";
  var TOKEN_KEY = "fruxon-mock-control-token";
  var MAX_ROWS = 200; // the list samples the newest; the journal keeps more
  var ui = { view: "traffic", session: "", entries: [], selected: "", key: "", paused: false, timer: 0 };
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

  // api calls the control plane; a 401 asks for the control token.
  async function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    var resp = await fetch(path, { method: method, headers: headers, cache: "no-store", credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (resp.status === 401) {
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
  function contract(e) {
    var req = e.findings.some(function (f) { return f.where === "request"; });
    if (e.violation) return "✗ response";
    if (req) return "✗ request";
    return "✓";
  }
  function broken(e) { return e.violation || e.findings.length > 0; }
  function filtered() {
    var p = $("f-path").value.trim(), st = $("f-status").value.trim(), se = $("f-session").value.trim(),
      op = $("f-op").value.trim().toLowerCase(), onlyBroken = $("f-broken").checked, control = $("f-control").checked;
    return ui.entries.filter(function (e) {
      if (!control && e.path.indexOf("/_mock/") === 0) return false;
      if (p && e.path.indexOf(p) < 0) return false;
      if (st && String(e.status).indexOf(st) !== 0) return false;
      if (se && (e.session || "-").indexOf(se) < 0) return false;
      if (op && (e.operationId || "").toLowerCase().indexOf(op) < 0) return false;
      return !onlyBroken || broken(e);
    });
  }
  function renderTraffic(force) {
    var list = filtered();
    var key = list.length + "|" + (list[0] ? list[0].traceId : "") + "|" + ui.selected;
    if (!force && key === ui.key) return;
    ui.key = key;
    var started = performance.now();
    var rows = document.createDocumentFragment();
    list.slice(0, MAX_ROWS).forEach(function (e) {
      var tr = el("tr", { tabindex: "-1", "data-trace": e.traceId, "data-status": e.status, "aria-selected": String(e.traceId === ui.selected) },
        el("td", { class: "mono", text: clock(e.time) }), el("td", { text: e.method }), el("td", { class: "path", text: e.path }),
        el("td", { text: e.operationId || "–" }), el("td", { class: "s" + String(e.status)[0], text: e.status }),
        el("td", { text: e.durationMs.toFixed(1) }), el("td", { text: e.session || "–" }), el("td", { text: e.scenario || "–" }),
        el("td", { class: broken(e) ? "bad" : "good", text: contract(e) + (e.findings.length ? " (" + e.findings.length + ")" : "") }));
      if (broken(e)) tr.classList.add("broken");
      rows.append(tr);
    });
    var body = $("traffic-rows");
    var focused = document.activeElement && document.activeElement.parentNode === body;
    body.replaceChildren(rows);
    var sel = body.querySelector('tr[aria-selected="true"]') || body.firstElementChild;
    if (sel) sel.tabIndex = 0;
    if (focused && sel) sel.focus();
    $("count").textContent = list.length + " shown" + (list.length > MAX_ROWS ? " (newest " + MAX_ROWS + " listed)" : "") + " of " + ui.entries.length;
    var ops = {};
    ui.entries.forEach(function (e) { if (e.operationId) ops[e.operationId] = true; });
    $("ops").replaceChildren.apply($("ops"), Object.keys(ops).sort().map(function (o) { return el("option", { value: o }); }));
    window.dashboard.renders++;
    window.dashboard.maxRenderMs = Math.max(window.dashboard.maxRenderMs, performance.now() - started);
    if (!window.dashboard.firstRender) window.dashboard.firstRender = performance.now();
  }
  async function pollJournal() {
    clearTimeout(ui.timer);
    if (ui.view === "traffic" && !ui.paused && !document.hidden) {
      try {
        // Unfiltered, the newest rows are all the list shows; filtered, a
        // deeper look (the journal keeps at most --journal-size anyway).
        var filtering = ["f-path", "f-status", "f-session", "f-op"].some(function (id) { return $(id).value.trim() !== ""; }) || $("f-broken").checked;
        var data = await api("GET", scoped("/_mock/journal?limit=" + (filtering ? 1000 : MAX_ROWS * 2)));
        ui.entries = data.items;
        renderTraffic(false);
      } catch (err) { flash(err.message, true); }
    }
    ui.timer = setTimeout(pollJournal, 1000);
  }
  function curlFor(e) {
    var lines = ["curl -X " + e.method + " '" + location.origin + e.path + "'"];
    if (e.path.indexOf("/v1/") === 0) lines.push("-H \"Authorization: Bearer $FRUXON_TOKEN\"");
    if (e.session) lines.push("-H 'X-Fruxon-Mock-Session: " + e.session + "'");
    if (e.scenario) lines.push("-H 'X-Fruxon-Mock-Scenario: " + e.scenario + "'");
    if (["POST", "PUT", "PATCH"].indexOf(e.method) >= 0) lines.push("-H 'Content-Type: application/json' --data @body.json");
    return lines.join(" \\\n  ");
  }
  function showDetail(e) {
    var d = $("detail");
    if (!e) { d.replaceChildren(el("p", { class: "muted", text: "That request is no longer in the journal." })); return; }
    var dl = el("dl");
    [["Status", e.status + (broken(e) ? " — contract broken" : "")], ["Operation", e.operationId || "–"], ["Time", when(e.time)],
      ["Duration", e.durationMs.toFixed(2) + " ms"], ["Tenant", e.tenant || "–"], ["Session", (e.session || "(shared)") + (e.sessionNote ? " — " + e.sessionNote : "")],
      ["Scenario", e.scenario || "–"], ["Trace id", e.traceId]].forEach(function (p) { dl.append(el("dt", { text: p[0] }), el("dd", { text: p[1] })); });
    var findings = e.findings.length === 0 ? el("p", { class: "good", text: "✓ No findings: request and response match the contract." }) :
      el("table", { id: "findings", "aria-label": "Findings" }, el("thead", null, el("tr", null, el("th", { text: "Side" }), el("th", { text: "JSON path" }), el("th", { text: "Rule / message" }))),
        el("tbody", null, ...e.findings.map(function (f) {
          return el("tr", { class: "broken" }, el("td", { class: "bad", text: "✗ " + f.where }), el("td", { class: "mono", text: f.field || "(whole)" }), el("td", { text: f.message }));
        })));
    var curl = curlFor(e);
    var copy = el("button", { type: "button", text: "Copy as curl", onclick: function () { copyText(curl, "curl command copied"); } });
    d.replaceChildren(el("h2", { class: "mono", text: e.method + " " + e.path }), dl, el("h3", { text: "Findings" }), findings,
      el("h3", { text: "Headers and bodies" }),
      el("p", { class: "muted", text: "The journal keeps no header values or bodies, so no secret can leak through it; the body is kept sealed for POST /_mock/verify only." }),
      el("h3", { text: "Replay" }), el("pre", { id: "curl", text: curl }), copy);
  }
  function select(tr, focus) {
    if (!tr) return;
    ui.selected = tr.getAttribute("data-trace");
    Array.prototype.forEach.call($("traffic-rows").children, function (r) { r.setAttribute("aria-selected", String(r === tr)); r.tabIndex = r === tr ? 0 : -1; });
    if (focus) tr.focus();
    showDetail(ui.entries.find(function (e) { return e.traceId === ui.selected; }));
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
    if (key === "sandboxVariant" && v) return "set";
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
  function configView(c) {
    var revs = (c.revisions || []).slice().sort(function (x, y) { return y.number - x.number; });
    var pub = revs[0];
    var changed = pub && JSON.stringify(flatten(c.draft, "", {})) !== JSON.stringify(flatten(pub.draft, "", {}));
    var runs = c.runs || [];
    return el("details", { "data-config": c.id },
      el("summary", { text: "Config " + c.id + " — " + (c.draft.displayName || "unnamed") + " · sandboxMode " + c.draft.sandboxMode +
        " · " + (pub ? "published r" + pub.number + (changed ? ", draft differs" : ", draft = published") : "never published") + " · " + runs.length + " runs" }),
      diffTable(c.draft, pub && pub.draft),
      el("h3", { text: "Revisions" }),
      revs.length ? el("ul", null, ...revs.map(function (r) { return el("li", { class: "mono", text: "r" + r.number + " " + r.id + " · " + when(r.createdAt) }); })) : el("p", { class: "muted", text: "none" }),
      el("h3", { text: "Runs" }),
      runs.length ? el("table", { "aria-label": "Runs" }, el("thead", null, el("tr", null, ...["Run", "Tool", "Mode", "sandboxMode", "Route", "Vendor status", "When"].map(function (h) { return el("th", { text: h }); }))),
        el("tbody", null, ...runs.slice().reverse().map(function (r) {
          return el("tr", null, ...[r.runId, r.toolId, r.executionMode, r.sandboxMode, r.route, r.response && r.response.status, when(r.createdAt)].map(function (v) { return el("td", { class: "mono", text: v == null ? "–" : v }); }));
        }))) : el("p", { class: "muted", text: "none" }));
  }
  async function loadState() {
    var doc = redact(await api("GET", scoped("/_mock/state")), "");
    var sec = $("state");
    var tenants = Object.keys(doc.tenants).sort();
    sec.replaceChildren(el("p", { class: "summary muted", text: tenants.length + " tenant(s) in " + (ui.session ? "session " + ui.session : "the shared state") + ". Secrets show only as \u201cset\u201d." }));
    tenants.forEach(function (t) {
      var integ = doc.tenants[t].integrations || [];
      sec.append(el("details", { open: "", "data-tenant": t }, el("summary", { text: "Tenant " + t + " · " + integ.length + " integrations" }),
        ...integ.map(function (is) {
          var i = is.integration, tools = is.tools || [];
          return el("details", { "data-integration": i.id }, el("summary", { text: i.id + " — " + i.displayName + " (" + i.type + ") · " + is.configs.length + " configs · " + tools.length + " tools" }),
            ...is.configs.map(configView),
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
      (c.totals.missingInSpec ? "; " + c.totals.missingInSpec + " answered but not declared" : "") + ". ✓ covered (count), ✗ not covered, ! not in the spec." }));
    c.apiCoverage.forEach(function (spec) {
      var byOp = {};
      spec.operations.forEach(function (o) { (byOp[o.operationId] = byOp[o.operationId] || { o: o, rows: [] }).rows.push(o); });
      sec.append(el("table", { "aria-label": "Coverage of " + spec.specification },
        el("thead", null, el("tr", null, el("th", { text: "Operation" }), el("th", { text: "Method and path" }), el("th", { text: "Statuses" }))),
        el("tbody", null, ...Object.keys(byOp).map(function (id) {
          var g = byOp[id];
          return el("tr", { "data-operation": id }, el("td", { class: "mono", text: id }), el("td", { class: "mono", text: g.o.method + " " + g.o.path }),
            el("td", null, ...g.rows.map(function (r) {
              var cls = r.coverageStatus === "covered" ? "covered" : r.coverageStatus === "missing in spec" ? "missing" : "";
              var mark = cls === "covered" ? "✓" : cls === "missing" ? "!" : "✗";
              return el("span", { class: "chip " + cls, title: r.coverageStatus, text: r.responseCode + " " + mark + (r.count ? " " + r.count : "") });
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
  function setSession(id) { ui.session = id; $("session").value = id; ui.key = ""; refresh(); }

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
    });
    $("filters").addEventListener("input", function () { renderTraffic(true); });
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
      try { await api("DELETE", scoped("/_mock/journal")); ui.entries = []; ui.selected = ""; renderTraffic(true); flash("Journal cleared"); } catch (err) { flash(err.message, true); }
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
