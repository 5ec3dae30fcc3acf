// The screening page: one work at a time, a key per decision, every decision written by the server
// into the reviewer's own CSV. Text from the records is only ever set as text (never as HTML).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const page = { busy: false, renders: 0, errors: 0 };
  window.reviewflowPage = page;
  let token = new URLSearchParams(location.search).get("token") || "";
  if (token) history.replaceState(null, "", "/");
  let state = null;      // what the server last said
  let viewing = null;    // the work on screen: the next one, or an earlier decision
  let chosen = [];       // reason codes chosen for the next decision
  let excludeWaiting = false;
  let highlighter = null;
  let retry = null;
  let searched = null;   // the decisions the search found, or null: the latest ones

  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };

  function buildHighlighter(terms) {
    const parts = terms.map((t) => t.replace(/["“”]/g, "").trim()).filter(Boolean).map((t) => {
      const open = t.endsWith("*");
      const core = t.replace(/\*+$/, "").split(/[\s-]+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\*/g, "[\\p{L}\\p{N}]*")).join("[\\s-]*");
      return core + (open ? "[\\p{L}\\p{N}]*" : "(?![\\p{L}\\p{N}])");
    });
    parts.sort((a, b) => b.length - a.length);
    return parts.length ? new RegExp("(?<![\\p{L}\\p{N}])(?:" + parts.join("|") + ")", "giu") : null;
  }

  function highlighted(text) {
    const box = document.createDocumentFragment();
    if (!highlighter) { box.append(text); return box; }
    let last = 0;
    for (const m of text.matchAll(highlighter)) {
      if (!m[0]) continue;
      box.append(text.slice(last, m.index));
      box.append(el("mark", "", m[0]));
      last = m.index + m[0].length;
    }
    box.append(text.slice(last));
    return box;
  }

  function describe(d) { return d ? d.decision + (d.reason ? " (" + d.reason + ")" : "") + (d.note ? " — " + d.note : "") : ""; }

  function showError(text) { const box = $("error"); box.textContent = text || ""; box.hidden = !text; if (text) page.errors += 1; }
  function showNotice(text) { const box = $("notice"); box.textContent = text || ""; box.hidden = !text; }

  function renderWork() {
    const w = viewing;
    $("done").hidden = !!w;
    for (const id of ["record-id", "title", "fields", "mode"]) $(id).hidden = !w;
    $("back").hidden = !(w && state.current && w.record_id !== state.current.record_id) && !(w && !state.current);
    if (!w) { $("fields").replaceChildren(); $("conflict").hidden = true; $("fulltext").hidden = true; $("current").hidden = true; return; }
    $("mode").textContent = w.decision ? "Changing an earlier decision" : (state.adjudicating ? "Open conflict" : "Next by priority");
    $("record-id").textContent = w.record_id;
    $("title").replaceChildren(highlighted(w.title || "(no title)"));
    const fields = $("fields"); fields.replaceChildren();
    for (const f of w.fields) {
      if (f.name === "title") continue;
      const box = el("div", "field " + f.name);
      box.append(el("div", "label", f.label));
      const value = el("div", "value");
      if (f.name === "url" && /^https?:\/\//i.test(f.value)) {
        const a = el("a", "", f.value); a.href = f.value; a.rel = "noopener noreferrer"; a.target = "_blank"; value.append(a);
      } else value.append(highlighted(f.value));
      box.append(value); fields.append(box);
    }
    const ft = $("fulltext");
    ft.hidden = !state.stage_full_text;
    ft.replaceChildren();
    if (w.fulltext) {
      const a = el("a", "", "Open the full text (" + w.fulltext + ")");
      a.href = "/fulltext/" + encodeURIComponent(w.record_id); a.target = "_blank"; a.rel = "noopener"; ft.append(a);
    } else ft.append("No full text in data/raw/fulltexts/ for this work (name it " + w.record_id + ".pdf)");
    const c = $("conflict"); c.replaceChildren(); c.hidden = !w.conflict;
    if (w.conflict) {
      c.append(el("h2", "", "The reviewers' decisions"));
      const grid = el("div", "side-by-side");
      for (const d of w.conflict) {
        const box = el("div");
        box.append(el("strong", "", d.reviewer + (d.name ? " (" + d.name + ")" : "")), el("br"));
        box.append(el("span", "d-" + d.decision, describe(d)));
        grid.append(box);
      }
      c.append(grid);
    }
    $("current").hidden = !w.decision;
    $("current").textContent = w.decision ? "Your decision now: " + describe(w.decision) + ". Press a key to change it." : "";
  }

  function renderReasons() {
    const list = $("reason-list"); list.replaceChildren();
    state.reasons.forEach((r, i) => {
      const key = i < 9 ? String(i + 1) : i === 9 ? "0" : "";
      const line = el("label", "reason" + (chosen.includes(r.code) ? " chosen" : ""));
      line.dataset.code = r.code;
      if (key) line.append(el("kbd", "", key), " ");
      line.append(el("strong", "", r.code), " " + r.label);
      line.addEventListener("click", () => toggleReason(r.code));
      list.append(line);
    });
    $("reasons").querySelector("legend").textContent = "Reasons to exclude" + (state.reasons_required ? " (required)" : " (optional)") + ": the digit, then e";
  }

  function render() {
    $("stage").textContent = state.stage.label + (state.adjudicating ? " — adjudication" : "");
    $("reviewer").textContent = state.reviewer.name + " (" + state.reviewer.code + ")";
    $("file").textContent = state.file;
    const p = state.progress;
    $("decided").textContent = p.decided; $("left").textContent = p.left; $("included").textContent = p.included;
    $("maybe").textContent = p.maybe; $("maybe-box").hidden = state.adjudicating;
    $("estimate-box").hidden = !p.estimate;
    if (p.estimate) {
      $("estimate").textContent = p.estimate.at_most === null ? "not yet known" : "at most " + p.estimate.at_most;
      $("estimate-box").title = p.estimate.message;
    }
    $("bar-done").style.width = (p.decided + p.left ? (100 * p.decided) / (p.decided + p.left) : 100) + "%";
    const buttons = $("buttons"); buttons.replaceChildren();
    for (const d of state.decisions) {
      const b = el("button", d); b.type = "button"; b.dataset.decision = d;
      b.append(el("kbd", "", d[0]), " " + d[0].toUpperCase() + d.slice(1));
      b.addEventListener("click", () => decide(d)); buttons.append(b);
    }
    $("undo").disabled = !state.can_undo;
    renderReasons();
    renderHistory(searched === null ? state.history : searched);
    renderWork();
    page.renders += 1;
  }

  function renderHistory(items) {
    const list = $("history"); list.replaceChildren();
    for (const h of items) {
      const li = el("li"); li.dataset.record = h.record_id;
      li.append(el("span", "d-" + h.decision, h.decision + (h.reason ? " (" + h.reason + ")" : "")), " " + (h.title || h.record_id));
      li.title = h.record_id + (h.note ? " — " + h.note : "");
      li.addEventListener("click", () => open(h.record_id));
      list.append(li);
    }
  }

  async function search() {
    const q = $("history-search").value.trim();
    if (!q) { searched = null; renderHistory(state.history); return; }
    const { status, data } = await call("GET", "/api/history?q=" + encodeURIComponent(q));
    if (status === 200) { searched = data; renderHistory(data); }
  }

  async function call(method, url, body) {
    const options = { method, headers: { [ "X-Reviewflow-Token" ]: token, "Content-Type": "application/json" }, credentials: "same-origin" };
    if (body !== undefined) options.body = JSON.stringify(body);
    const response = await fetch(url, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = { error: response.status + " " + response.statusText }; }
    return { status: response.status, data };
  }

  function accept(data) {
    state = data; if (data.token) token = data.token;
    if (!highlighter) highlighter = buildHighlighter(state.keywords);
    viewing = state.current; chosen = []; excludeWaiting = false; $("note").value = "";
    showNotice(state.notice); render();
  }

  async function load() {
    page.busy = true;
    const { status, data } = await call("GET", "/api/state");
    page.busy = false;
    if (status === 200) { showError(""); accept(data); } else showError(data.error);
  }

  async function open(recordId) {
    page.busy = true;
    const { status, data } = await call("GET", "/api/work/" + encodeURIComponent(recordId));
    page.busy = false;
    if (status !== 200) { showError(data.error); return; }
    viewing = data; chosen = data.decision && data.decision.reason ? data.decision.reason.split(";") : [];
    $("note").value = data.decision ? data.decision.note : "";
    excludeWaiting = false; showError(""); renderReasons(); renderWork(); page.renders += 1;
  }

  function toggleReason(code) {
    chosen = chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code];
    renderReasons();
    if (excludeWaiting && chosen.length) decide("exclude");
  }

  async function decide(decision) {
    if (!viewing || page.busy) return;
    if (decision === "exclude" && state.reasons_required && !chosen.length) {
      excludeWaiting = true;
      showError("An exclusion at this stage needs a reason: press its digit.");
      return;
    }
    const body = { record_id: viewing.record_id, decision, reasons: decision === "include" ? [] : chosen,
                   note: $("note").value, expected: viewing.decision };
    page.busy = true;
    const { status, data } = await call("POST", "/api/decide", body);
    if (status === 423) {  // the file is open in a spreadsheet: say so, and try again until it is closed
      showNotice(data.error);
      retry = setTimeout(() => { page.busy = false; decide(decision); }, 2000);
      return;
    }
    page.busy = false;
    if (status === 200) { showError(""); accept(data); }
    else { showError(data.error); if (status === 409) { const keep = $("note").value; await load(); $("note").value = keep; showError(data.error); } }
  }

  async function undo() {
    if (page.busy || !state.can_undo) return;
    page.busy = true;
    const { status, data } = await call("POST", "/api/undo");
    page.busy = false;
    if (status === 200) { showError(""); accept(data); }
    else { showError(data.error); if (status === 409) await load(); }
  }

  document.addEventListener("keydown", (event) => {
    const note = $("note");
    if (document.activeElement === $("history-search")) { if (event.key === "Escape") $("history-search").blur(); return; }
    if (document.activeElement === note) {
      if (event.key === "Enter" || event.key === "Escape") { event.preventDefault(); note.blur(); }
      return;
    }
    if (event.ctrlKey && event.key.toLowerCase() === "z") { event.preventDefault(); undo(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || !state) return;
    const key = event.key.toLowerCase();
    const decision = state.decisions.find((d) => d[0] === key);
    if (decision) { event.preventDefault(); decide(decision); }
    else if (/^[0-9]$/.test(key)) {
      const at = key === "0" ? 9 : Number(key) - 1;
      if (state.reasons[at]) { event.preventDefault(); toggleReason(state.reasons[at].code); }
    } else if (key === "u") { event.preventDefault(); undo(); }
    else if (key === "n") { event.preventDefault(); note.focus(); }
    else if (key === "escape") { viewing = state.current; chosen = []; note.value = ""; renderReasons(); renderWork(); }
  });
  $("undo").addEventListener("click", undo);
  $("history-search").addEventListener("input", search);
  $("back").addEventListener("click", () => { viewing = state.current; chosen = []; $("note").value = ""; renderReasons(); renderWork(); });
  window.addEventListener("beforeunload", () => { if (retry) clearTimeout(retry); });
  page.reload = load;
  load();
})();
