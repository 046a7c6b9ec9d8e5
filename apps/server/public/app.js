// BEAR web UI: plain ES modules, no CDN, no external fonts. Every value from the server is put in
// the page with textContent (never innerHTML), so document text cannot inject markup.
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

let apiKey = sessionStorage.getItem("bear.apiKey") ?? "";
let me = null;

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { authorization: `Bearer ${apiKey}`, ...(options.body && typeof options.body === "string" ? { "content-type": "application/json" } : {}), ...options.headers } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      message = body.error.message + (body.error.hint ? ` — ${body.error.hint}` : "");
    } catch { /* not JSON */ }
    const error = new Error(message);
    error.status = res.status;
    throw error;
  }
  return res;
}
const json = async (path, options) => (await api(path, options)).json();
const matter = () => $("matter").value.trim();

// --- sign in -------------------------------------------------------------------------------
async function signIn() {
  try {
    me = await json("/api/v1/me");
  } catch (error) {
    sessionStorage.removeItem("bear.apiKey");
    $("signin-error").textContent = error.status === 401 ? "This API key was not accepted." : error.message;
    return;
  }
  sessionStorage.setItem("bear.apiKey", apiKey);
  $("signin").hidden = true;
  $("workspace").hidden = false;
  $("signout").hidden = false;
  $("who").textContent = `Signed in as ${me.id} (${me.roles.join(", ") || "no role"})`;
  const list = $("matters");
  list.replaceChildren(...me.matters.map((m) => el("option", { value: m })));
  if (!matter() && me.matters.length > 0) $("matter").value = me.matters[0];
  await loadDocuments();
}

$("signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  apiKey = $("apikey").value.trim();
  $("apikey").value = "";
  void signIn();
});
$("signout").addEventListener("click", () => {
  sessionStorage.removeItem("bear.apiKey");
  location.reload();
});

// --- tabs ----------------------------------------------------------------------------------
const tabs = ["documents", "ask", "review", "redact", "workflows", "models"];
function showTab(name) {
  for (const t of tabs) {
    $(`tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`panel-${t}`).hidden = t !== name;
  }
  if (name === "documents") void loadDocuments();
  if (name === "redact") void loadDocumentOptions("redact-doc");
  if (name === "review") void loadDocumentOptions("review-doc");
  if (name === "workflows") void loadWorkflows();
  if (name === "models") void loadModels();
}
for (const t of tabs) $(`tab-${t}`).addEventListener("click", () => showTab(t));
$("matter").addEventListener("change", () => void loadDocuments());

// --- documents -----------------------------------------------------------------------------
let documents = [];
async function loadDocuments() {
  const m = matter();
  try {
    documents = (await json(`/api/v1/documents${m ? `?matter=${encodeURIComponent(m)}` : ""}`)).documents;
  } catch (error) {
    $("upload-status").textContent = error.message;
    documents = [];
  }
  $("documents").replaceChildren(
    ...documents.map((d) =>
      el(
        "tr",
        {},
        el("td", { textContent: d.title }),
        el("td", { textContent: d.fileName }),
        el("td", { textContent: d.type }),
        el("td", { textContent: String(d.chunkCount) }),
        el("td", {}, el("button", { type: "button", className: "secondary", textContent: "Read", ariaLabel: `Read ${d.title}`, onclick: () => void showPassage(d.id, 0, 0) })),
      ),
    ),
  );
}

function uploadOne(file, m, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/documents?matter=${encodeURIComponent(m)}`);
    xhr.setRequestHeader("authorization", `Bearer ${apiKey}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* empty */ }
      if (xhr.status === 201) resolve(body);
      else reject(new Error(body.error ? body.error.message : `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error("upload failed: the server closed the connection"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const m = matter();
  if (!m) {
    $("upload-status").textContent = "Pick a matter first.";
    $("matter").focus();
    return;
  }
  const files = [...$("file").files];
  const bar = $("upload-progress");
  bar.hidden = false;
  const messages = [];
  for (const [i, file] of files.entries()) {
    try {
      const r = await uploadOne(file, m, (f) => (bar.value = ((i + f) / files.length) * 100));
      messages.push(`${file.name}: ${r.status} (${r.chunks} passages)`);
    } catch (error) {
      messages.push(`${file.name}: ${error.message}`);
    }
  }
  bar.value = 100;
  $("upload-status").textContent = messages.join("; ");
  $("file").value = "";
  await loadDocuments();
});

// --- passages ------------------------------------------------------------------------------
async function showPassage(documentId, start, end) {
  const { text } = await json(`/api/v1/documents/${encodeURIComponent(documentId)}/text`);
  const box = $("passage-text");
  if (end > start) {
    const mark = el("mark", { textContent: text.slice(start, end) });
    box.replaceChildren(text.slice(0, start), mark, text.slice(end));
    $("passage").showModal();
    mark.scrollIntoView({ block: "center" });
  } else {
    box.replaceChildren(text);
    $("passage").showModal();
  }
  box.focus();
}

// --- search and ask ------------------------------------------------------------------------
function renderHits(hits) {
  $("hits").replaceChildren(
    ...hits.map((h) =>
      el(
        "li",
        {},
        el("div", { className: "meta", textContent: `${h.title} · ${h.fileName} · page ${h.page}${h.sectionPath.length ? ` · ${h.sectionPath.join(" › ")}` : ""}` }),
        el("div", { textContent: h.snippet.replace(/\*\*/g, "") }),
        el("button", { type: "button", className: "secondary", textContent: "Show in document", onclick: () => void showPassage(h.documentId, h.start, h.end) }),
      ),
    ),
  );
}

$("ask-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const mode = e.submitter?.value ?? "ask";
  const q = $("question").value.trim();
  const m = matter();
  const scope = m ? { matters: [m] } : {};
  $("answer").replaceChildren(el("p", { textContent: "Working…" }));
  try {
    if (mode === "search") {
      const { hits } = await json("/api/v1/search", { method: "POST", body: JSON.stringify({ query: q, k: 10, ...scope }) });
      $("answer").replaceChildren(el("p", { textContent: `${hits.length} passages` }));
      renderHits(hits);
      return;
    }
    const { answer, passages } = await json("/api/v1/ask", { method: "POST", body: JSON.stringify({ question: q, ...scope }) });
    const p = el("p");
    // [n] markers become buttons that open the cited sentence in its document.
    for (const part of answer.text.split(/(\[\d+\])/)) {
      const n = /^\[(\d+)\]$/.exec(part);
      const c = n && answer.citations.find((x) => x.marker === Number(n[1]));
      if (c) p.append(el("button", { type: "button", className: "cite", textContent: part, ariaLabel: `Citation ${c.marker}: ${c.title}, page ${c.page}`, onclick: () => void showPassage(c.documentId, c.start, c.end) }));
      else p.append(part);
    }
    const sources = el("ol", {}, ...answer.citations.map((c) => el("li", {}, el("button", { type: "button", className: "cite", textContent: `${c.title} (${c.fileName}, page ${c.page})`, onclick: () => void showPassage(c.documentId, c.start, c.end) }))));
    $("answer").replaceChildren(p, sources);
    renderHits(passages);
  } catch (error) {
    $("answer").replaceChildren(el("p", { className: "error", textContent: error.message }));
  }
});

// --- redact --------------------------------------------------------------------------------
async function loadDocumentOptions(selectId) {
  await loadDocuments();
  $(selectId).replaceChildren(...documents.map((d) => el("option", { value: d.id, textContent: `${d.title} (${d.fileName})` })));
}

// --- contract review -----------------------------------------------------------------------
$("review-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const documentId = $("review-doc").value;
  $("review-summary").replaceChildren(el("p", { textContent: "Reviewing…" }));
  try {
    const report = await json("/api/v1/review", { method: "POST", body: JSON.stringify({ documentId }) });
    const s = report.summary;
    $("review-summary").replaceChildren(
      el("p", { textContent: `Parties: ${s.parties.join("; ") || "—"}. Governing law: ${s.governingLaw ?? "—"}. ${s.clauseCount} clauses, ${report.risks.length} risks (${report.method}).` }),
    );
    $("review-risks").replaceChildren(
      ...report.risks.map((r) =>
        el(
          "li",
          {},
          el("strong", { textContent: `[${r.severity}] ${r.title}` }),
          el("div", { textContent: r.fix }),
          ...r.citations.slice(0, 3).map((c) => el("button", { type: "button", className: "cite", textContent: `“${c.quote.slice(0, 80)}”`, onclick: () => void showPassage(documentId, c.start, c.end) })),
        ),
      ),
    );
  } catch (error) {
    $("review-summary").replaceChildren(el("p", { className: "error", textContent: error.message }));
  }
});
const redactRequest = (format) => ({ method: "POST", body: JSON.stringify({ documentId: $("redact-doc").value, policy: $("redact-policy").value, format }) });
$("redact-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    const r = await json("/api/v1/redact", redactRequest("json"));
    $("redact-summary").textContent = `${r.entities} personal data items replaced (policy ${r.policy}).`;
    $("redact-preview").textContent = r.text;
    $("redact-download").disabled = false;
  } catch (error) {
    $("redact-summary").textContent = error.message;
  }
});
$("redact-download").addEventListener("click", async () => {
  const res = await api("/api/v1/redact", redactRequest("text"));
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "redacted.txt";
  const a = el("a", { href: URL.createObjectURL(await res.blob()), download: name });
  a.click();
  URL.revokeObjectURL(a.href);
});

// --- workflows and models ------------------------------------------------------------------
async function loadWorkflows() {
  try {
    const { runs } = await json("/api/v1/workflows?limit=50");
    $("workflows").replaceChildren(...runs.map((r) => el("tr", {}, el("td", { textContent: r.id }), el("td", { textContent: r.workflow }), el("td", { textContent: r.status }), el("td", { textContent: r.startedAt ? new Date(r.startedAt).toLocaleString() : "—" }))));
  } catch (error) {
    $("workflows").replaceChildren(el("tr", {}, el("td", { colSpan: 4, className: "error", textContent: error.message })));
  }
}
async function loadModels() {
  try {
    const { models } = await json("/api/v1/models");
    $("models").replaceChildren(...models.map((m) => el("tr", {}, el("td", { textContent: m.id }), el("td", { textContent: m.kind ?? m.format }), el("td", { textContent: `${(m.sizeBytes / 1e6).toFixed(1)} MB` }), el("td", { textContent: m.error ? `${m.status}: ${m.error.message}` : m.status }))));
  } catch (error) {
    $("models").replaceChildren(el("tr", {}, el("td", { colSpan: 4, className: "error", textContent: error.message })));
  }
}
$("workflows-refresh").addEventListener("click", () => void loadWorkflows());
$("models-refresh").addEventListener("click", () => void loadModels());

if (apiKey) void signIn();
