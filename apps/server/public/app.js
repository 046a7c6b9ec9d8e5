// BEAR web UI: plain ES modules, no CDN, no external fonts. Every value from the server is put in
// the page with textContent (never innerHTML), so document text cannot inject markup.
const $ = (id) => document.getElementById(id);
// Props are DOM properties (textContent, className, onclick…); names with a dash ("aria-label",
// "data-id") are set as attributes. null/undefined/false children are left out.
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.includes("-")) node.setAttribute(key, String(value));
    else node[key] = value;
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
};

let apiKey = sessionStorage.getItem("bear.apiKey") ?? "";
let me = null;

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { authorization: `Bearer ${apiKey}`, ...(options.body && typeof options.body === "string" ? { "content-type": "application/json" } : {}), ...options.headers } });
  if (!res.ok) {
    // Every API error is { error: { name, code, message, hint?, details? } }; a schema failure has
    // details.field (body.inputs…), a workflow validation failure details.issues[{ path, message }].
    let info = { message: `${res.status} ${res.statusText}` };
    try {
      const body = await res.json();
      if (body && body.error && typeof body.error.message === "string") info = body.error;
    } catch { /* not JSON */ }
    const error = new Error(info.message + (info.hint ? ` — ${info.hint}` : ""));
    error.status = res.status;
    error.code = info.code;
    error.summary = info.message;
    error.hint = info.hint;
    error.details = info.details;
    throw error;
  }
  return res;
}
const json = async (path, options) => (await api(path, options)).json();
const matter = () => $("matter").value.trim();
const isAdmin = () => Boolean(me && me.roles.includes("admin"));
const enc = encodeURIComponent;
const when = (ms) => (typeof ms === "number" ? new Date(ms).toLocaleString() : "—");
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** An API error as readable text: the message, each validation problem, the failing field and the hint. */
function errorView(error, title) {
  const lines = String(error.summary ?? error.message).split("\n");
  const box = el("div", { className: "problem" });
  box.append(el("p", {}, title ? el("strong", { textContent: `${title}: ` }) : null, lines[0], error.code ? el("span", { className: "code", textContent: ` (${error.status ?? "error"} ${error.code})` }) : null));
  const issues = Array.isArray(error.details?.issues) ? error.details.issues : [];
  if (issues.length > 0) {
    box.append(el("ul", { "aria-label": "Problems" }, ...issues.map((i) => el("li", {}, el("code", { textContent: i.path || "(whole value)" }), `: ${i.message}`))));
  } else if (lines.length > 1) {
    box.append(el("ul", {}, ...lines.slice(1).map((l) => el("li", { textContent: l.trim() }))));
  }
  if (typeof error.details?.field === "string") box.append(el("p", {}, "Failing field: ", el("code", { textContent: error.details.field })));
  if (error.hint) box.append(el("p", { className: "hint", textContent: error.hint }));
  return box;
}

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
  // Admin-only controls (model load/unload, agent removal) are shown to admins; the API decides anyway.
  $("models-admin").hidden = !isAdmin();
  $("models-admin-hint").hidden = isAdmin();
  $("models-actions-head").hidden = !isAdmin();
  $("agents-admin-hint").hidden = isAdmin();
  $("agents-actions-head").hidden = !isAdmin();
  $("tab-users").hidden = !isAdmin();
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
const allTabs = ["documents", "ask", "review", "redact", "workflows", "models", "agents", "users"];
const visibleTabs = () => allTabs.filter((t) => !$(`tab-${t}`).hidden);
function showTab(name) {
  for (const t of allTabs) {
    $(`tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`tab-${t}`).tabIndex = t === name ? 0 : -1; // roving tabindex: Tab enters the tab list once, arrows move
    $(`panel-${t}`).hidden = t !== name;
  }
  // A "pick a matter first" mark belongs to the act that needed a matter: it does not follow the
  // user to other tabs (Models and Agents do not use the matter at all).
  $("matter").removeAttribute("aria-invalid");
  if (name === "documents") void loadDocuments();
  if (name === "ask") void loadAskPanel();
  if (name === "redact") void loadDocumentOptions("redact-doc");
  if (name === "review") void loadDocumentOptions("review-doc");
  if (name === "workflows") {
    void loadWorkflows();
    void loadBuiltIns();
    void loadDocuments(); // a built-in reads a document of the current matter
  }
  if (name === "models") void loadModels();
  if (name === "agents") void loadAgents();
  if (name === "users") void loadUsers();
}
for (const t of allTabs) {
  $(`tab-${t}`).addEventListener("click", () => showTab(t));
  $(`tab-${t}`).tabIndex = $(`tab-${t}`).getAttribute("aria-selected") === "true" ? 0 : -1;
}
// Arrow keys, Home and End move between tabs (the WAI-ARIA tabs pattern).
document.querySelector("[role=tablist]").addEventListener("keydown", (e) => {
  const tabs = visibleTabs();
  const at = tabs.findIndex((t) => $(`tab-${t}`) === document.activeElement);
  if (at < 0) return;
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  const name = tabs[(next + tabs.length) % tabs.length];
  showTab(name);
  $(`tab-${name}`).focus();
});
$("matter").addEventListener("change", () => {
  startConversation([]); // a conversation belongs to one matter
  void loadDocuments();
  if (!$("panel-ask").hidden) void loadAskPanel();
});
// A "pick a matter first" mark goes as soon as one is typed.
$("matter").addEventListener("input", () => {
  if ($("matter").value.trim()) $("matter").removeAttribute("aria-invalid");
});
/** The current matter, or undefined after marking the field and saying why it is needed. */
function requireMatter(statusNode, why) {
  const m = matter();
  if (m) return m;
  statusNode.replaceChildren(el(statusNode.tagName === "UL" ? "li" : "p", { className: "error", textContent: `Pick a matter first: ${why}` }));
  $("matter").setAttribute("aria-invalid", "true");
  $("matter").focus();
  return undefined;
}

// --- documents -----------------------------------------------------------------------------
let documents = [];
async function loadDocuments() {
  const m = matter();
  try {
    documents = (await json(`/api/v1/documents${m ? `?matter=${encodeURIComponent(m)}` : ""}`)).documents;
  } catch (error) {
    $("upload-status").replaceChildren(el("li", { className: "error", textContent: error.message }));
    documents = [];
  }
  $("documents").replaceChildren(
    ...documents.map((d) =>
      el(
        "tr",
        {},
        el("td", { className: "title-cell", textContent: d.title }),
        el("td", { textContent: d.fileName }),
        el("td", { textContent: d.ocr ? `${d.type} · OCR ${d.ocr.pages.length} page(s), ${Math.round(d.ocr.pages.reduce((s, p) => s + p.confidence, 0) / d.ocr.pages.length)}%` : d.type, title: ocrStatus(d) }),
        el("td", { textContent: String(d.chunkCount) }),
        el(
          "td",
          { className: "actions" },
          el("button", { type: "button", className: "secondary", textContent: "Read", ariaLabel: `Read ${d.title}`, onclick: () => void showPassage(d.id, 0, 0, d) }),
          el("button", { type: "button", className: "secondary", textContent: "Ask this document", ariaLabel: `Ask ${d.title}`, onclick: () => askThisDocument(d) }),
        ),
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

/** Uploads files one after the other into the current matter, with one progress bar and a line per file. */
async function uploadFiles(files) {
  const status = $("upload-status");
  const m = requireMatter(status, "uploads go into the current matter.");
  if (!m || files.length === 0) return;
  const bar = $("upload-progress");
  bar.hidden = false;
  bar.value = 0;
  const lines = [];
  for (const [i, file] of files.entries()) {
    try {
      const r = await uploadOne(file, m, (f) => (bar.value = ((i + f) / files.length) * 100));
      lines.push(el("li", {}, `${file.name}: ${r.status} (${r.chunks} passages)`, r.formatNote ? el("div", { className: "notice", textContent: `Format sniffed: ${r.formatNote.message}.` }) : null));
    } catch (error) {
      lines.push(el("li", { className: "error", textContent: `${file.name}: ${error.message}` }));
    }
  }
  bar.value = 100;
  status.replaceChildren(...lines);
  await loadDocuments();
}

$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const files = [...$("file").files];
  $("file").value = "";
  await uploadFiles(files);
});
// Drag and drop: files dropped on the zone (or anywhere on the Documents panel) are uploaded.
const dropzone = $("dropzone");
for (const type of ["dragenter", "dragover"]) {
  $("panel-documents").addEventListener(type, (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    dropzone.classList.add("over");
  });
}
$("panel-documents").addEventListener("dragleave", (e) => {
  if (!$("panel-documents").contains(e.relatedTarget)) dropzone.classList.remove("over");
});
$("panel-documents").addEventListener("drop", (e) => {
  e.preventDefault();
  dropzone.classList.remove("over");
  void uploadFiles([...(e.dataTransfer?.files ?? [])]);
});
dropzone.addEventListener("click", () => $("file").click());
dropzone.addEventListener("keydown", (e) => {
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    $("file").click();
  }
});
$("file").addEventListener("change", () => {
  // Chosen through the drop zone's file dialog: upload at once, as a drop does.
  if (document.activeElement === dropzone && $("file").files.length > 0) $("upload-form").requestSubmit();
});

// --- passages ------------------------------------------------------------------------------
/** Opens a document in the Read pop-up, titled with the document's title, the span [start, end) highlighted. */
async function showPassage(documentId, start, end, about = {}) {
  const { text } = await json(`/api/v1/documents/${encodeURIComponent(documentId)}/text`);
  if ($("passage").open) $("passage").close();
  const known = documents.find((d) => d.id === documentId);
  const title = about.title ?? known?.title ?? "Document";
  const fileName = about.fileName ?? known?.fileName;
  $("passage-title").textContent = title;
  preparePageImage(known ?? { type: about.type ?? about.documentType, title }, documentId, about.page);
  $("passage-meta").textContent = [fileName, about.page ? `page ${about.page}` : "", end > start ? "the cited passage is highlighted" : ""].filter(Boolean).join(" · ");
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

// --- page images (OCR check) ----------------------------------------------------------------
/** OCR status of a document in words: which pages OCR read and how sure it was, or that none was. */
function ocrStatus(d) {
  if (!d.ocr || d.ocr.pages.length === 0) return d.type === "pdf" || d.type === "image" ? "text layer (no OCR)" : "";
  const mean = Math.round(d.ocr.pages.reduce((s, p) => s + p.confidence, 0) / d.ocr.pages.length);
  return `OCR (${d.ocr.engine}) on ${d.ocr.pages.length} page(s), mean confidence ${mean}%`;
}

let pageImageUrl;
let pageImageDoc;
/** Sets up the Read pop-up's page picker: PDFs and images can show a page's image beside the text. */
function preparePageImage(doc, documentId, page) {
  hidePageImage();
  const paged = doc.type === "pdf" || doc.type === "image";
  pageImageDoc = paged ? { ...doc, id: documentId } : undefined;
  $("passage-pages").hidden = !paged;
  if (!paged) return;
  const input = $("passage-page");
  if (doc.pageCount) input.max = String(doc.pageCount);
  else input.removeAttribute("max");
  input.value = String(page ?? doc.ocr?.pages[0]?.page ?? 1);
  $("passage-ocr").textContent = ocrStatus(doc);
}

function hidePageImage() {
  $("passage").classList.remove("with-image");
  $("passage-figure").hidden = true;
  $("passage-image").removeAttribute("src");
  if (pageImageUrl) URL.revokeObjectURL(pageImageUrl);
  pageImageUrl = undefined;
}

async function showPageImage() {
  const doc = pageImageDoc;
  if (!doc) return;
  const page = Number($("passage-page").value);
  const caption = $("passage-image-caption");
  try {
    const res = await api(`/api/v1/documents/${enc(doc.id)}/pages/${enc(String(page))}/image`);
    const url = URL.createObjectURL(await res.blob());
    hidePageImage();
    pageImageUrl = url;
    const ocrPage = doc.ocr?.pages.find((p) => p.page === page);
    $("passage-image").src = url;
    $("passage-image").alt = `Page ${page} of ${doc.title ?? "the document"}`;
    caption.textContent = `Page ${page} of ${res.headers.get("x-page-count") ?? doc.pageCount} · ${ocrPage ? `OCR text, confidence ${Math.round(ocrPage.confidence)}%` : "text layer"}`;
    caption.classList.remove("error");
  } catch (error) {
    hidePageImage();
    caption.textContent = error.message;
    caption.classList.add("error");
  }
  $("passage-figure").hidden = false;
  $("passage").classList.add("with-image");
}
$("passage-show-image").addEventListener("click", () => void showPageImage());
$("passage-page").addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    e.preventDefault();
    void showPageImage();
  }
});
$("passage").addEventListener("close", hidePageImage);

// --- search and ask ------------------------------------------------------------------------
/** A snippet with the query terms the engine found (wrapped in ** … **) shown highlighted. */
function highlighted(snippet) {
  const node = el("div", { className: "snippet" });
  snippet.split(/\*\*(.+?)\*\*/g).forEach((part, i) => node.append(i % 2 === 1 ? el("mark", { textContent: part }) : part));
  return node;
}

function renderHits(hits, cited = new Map()) {
  $("hits").replaceChildren(
    ...hits.map((h) =>
      el(
        "li",
        { className: cited.has(h.chunkId) ? "cited" : "" },
        el("div", { className: "meta", textContent: `${cited.has(h.chunkId) ? `cited ${cited.get(h.chunkId)} · ` : ""}${h.title} · ${h.fileName} · page ${h.page}${h.ocr ? ` (OCR, ${Math.round(h.ocr.confidence)}%)` : ""}${h.sectionPath.length ? ` · ${h.sectionPath.join(" › ")}` : ""}` }),
        highlighted(h.snippet),
        el("button", { type: "button", className: "secondary", textContent: "Show in document", ariaLabel: `Show passage in ${h.title}`, onclick: () => void showPassage(h.documentId, h.start, h.end, h) }),
      ),
    ),
  );
}

/** The conversation on screen: { id?, title, documentIds, turns } (id once the first question created it). */
let conversation = { title: "New conversation", documentIds: [], turns: [] };

function citationLabel(c) {
  return `${c.title} (${c.fileName}, page ${c.page}${c.ocr ? `, OCR ${Math.round(c.ocr.confidence)}%` : ""})`;
}

/** An answer: its text with [n] markers as buttons, then its numbered sources (long titles wrap beside their number). */
function answerView(answer) {
  const box = el("div", { className: answer.notFound ? "answer not-found" : "answer" });
  const p = el("p", { className: "answer-text" });
  for (const part of answer.text.split(/(\[\d+\])/)) {
    const n = /^\[(\d+)\]$/.exec(part);
    const c = n && answer.citations.find((x) => x.marker === Number(n[1]));
    if (c) p.append(el("button", { type: "button", className: "cite", textContent: part, ariaLabel: `Citation ${c.marker}: ${c.title}, page ${c.page}`, onclick: () => void showPassage(c.documentId, c.start, c.end, c) }));
    else p.append(part);
  }
  box.append(p);
  if (answer.citations.length > 0) {
    box.append(
      el(
        "ol",
        { className: "sources", "aria-label": "Sources" },
        ...answer.citations.map((c) =>
          el(
            "li",
            {},
            el("span", { className: "num", textContent: `[${c.marker}]`, "aria-hidden": "true" }),
            el(
              "div",
              { className: "source" },
              el("button", { type: "button", className: "cite source-title", textContent: citationLabel(c), ariaLabel: `Source ${c.marker}: ${citationLabel(c)}`, onclick: () => void showPassage(c.documentId, c.start, c.end, c) }),
              el("blockquote", { className: "quote" }, el("mark", { textContent: c.quote.replace(/\s+/g, " ").slice(0, 400) })),
            ),
          ),
        ),
      ),
    );
  }
  return box;
}

function turnView(question, answerNode) {
  return el("li", { className: "turn" }, el("p", { className: "question" }, el("strong", { textContent: "Q: " }), question), answerNode);
}

function renderThread() {
  $("thread-title").textContent = conversation.id ? conversation.title : "New conversation";
  $("thread").replaceChildren(...conversation.turns.map((t) => turnView(t.question, answerView(t.answer))));
  renderScope();
}

/** Starts a new (not yet saved) conversation over these documents; the first question saves it. */
function startConversation(documentIds) {
  conversation = { title: "New conversation", documentIds: [...documentIds], turns: [] };
  $("hits").replaceChildren();
  $("answer").replaceChildren();
  renderThread();
  markCurrentConversation();
}

function askThisDocument(d) {
  showTab("ask");
  startConversation([d.id]);
  $("scope").open = true;
  $("question").focus();
}

// The document picker: checkboxes over the matter's documents. Changing it after a question
// starts a new conversation, since a conversation keeps one scope.
function renderScope() {
  const chosen = new Set(conversation.documentIds);
  $("doc-picker").replaceChildren(
    ...documents.map((d) =>
      el(
        "label",
        { className: "pick" },
        el("input", { type: "checkbox", value: d.id, checked: chosen.has(d.id), onchange: onScopeChange }),
        ` ${d.title} `,
        el("span", { className: "meta", textContent: `(${d.fileName})` }),
      ),
    ),
  );
  if (documents.length === 0) $("doc-picker").replaceChildren(el("p", { className: "hint", textContent: "No documents in this matter yet." }));
  const names = conversation.documentIds.map((id) => documents.find((d) => d.id === id)?.title ?? id);
  $("scope-summary").textContent = names.length === 0 ? "all documents in the matter" : names.length === 1 ? names[0] : `${names.length} documents`;
}

function onScopeChange() {
  const ids = [...$("doc-picker").querySelectorAll("input:checked")].map((i) => i.value);
  if (conversation.turns.length > 0) startConversation(ids);
  else {
    conversation.documentIds = ids;
    renderScope();
  }
}
$("scope-all").addEventListener("click", () => {
  if (conversation.turns.length > 0) startConversation([]);
  else {
    conversation.documentIds = [];
    renderScope();
  }
});
$("conversation-new").addEventListener("click", () => {
  startConversation(conversation.documentIds);
  $("question").focus();
});

async function loadAskPanel() {
  await loadDocuments();
  renderScope();
  await loadConversations();
}

function markCurrentConversation() {
  for (const b of $("conversations").querySelectorAll("button.conversation")) b.setAttribute("aria-current", String(b.dataset.id === conversation.id));
}

async function loadConversations() {
  const m = matter();
  if (!m) {
    $("conversations").replaceChildren(el("li", { className: "hint", textContent: "Pick a matter to see its conversations." }));
    return;
  }
  try {
    const { conversations } = await json(`/api/v1/conversations?matter=${enc(m)}`);
    $("conversations").replaceChildren(
      ...conversations.map((c) =>
        el(
          "li",
          {},
          el("button", { type: "button", className: "conversation", "data-id": c.id, textContent: c.title, title: `${c.turnCount} question${c.turnCount === 1 ? "" : "s"}, updated ${new Date(c.updatedAt).toLocaleString()}`, onclick: () => void openConversation(c.id) }),
          el("button", { type: "button", className: "danger small", textContent: "Delete", ariaLabel: `Delete conversation ${c.title}`, onclick: () => void deleteConversation(c) }),
        ),
      ),
    );
    if (conversations.length === 0) $("conversations").replaceChildren(el("li", { className: "hint", textContent: "No conversations yet: ask a question." }));
    markCurrentConversation();
  } catch (error) {
    $("conversations").replaceChildren(el("li", {}, errorView(error, "Could not list conversations")));
  }
}

async function openConversation(id) {
  try {
    const c = await json(`/api/v1/conversations/${enc(id)}`);
    conversation = { id: c.id, title: c.title, documentIds: c.documentIds, turns: c.turns.map((t) => ({ question: t.question, answer: t.answer })) };
    $("hits").replaceChildren();
    $("answer").replaceChildren();
    renderThread();
    markCurrentConversation();
  } catch (error) {
    $("answer").replaceChildren(errorView(error, "Could not open the conversation"));
  }
}

async function deleteConversation(c) {
  if (!window.confirm(`Delete the conversation "${c.title}"?`)) return;
  try {
    await api(`/api/v1/conversations/${enc(c.id)}`, { method: "DELETE" });
    if (conversation.id === c.id) startConversation(conversation.documentIds);
  } catch (error) {
    $("answer").replaceChildren(errorView(error, "Could not delete the conversation"));
  }
  await loadConversations();
}

/** Asks in the current conversation (creating it first), streaming: passages, then text, then the checked answer. */
async function ask(question, m) {
  // Without a matter (an admin asking across every matter) the answer is shown but not kept.
  if (m && !conversation.id) {
    const created = await json("/api/v1/conversations", { method: "POST", body: JSON.stringify({ matter: m, documentIds: conversation.documentIds }) });
    conversation = { ...conversation, id: created.id, title: created.title };
  }
  const pendingText = el("p", { className: "answer-text streaming", textContent: "" });
  const pending = el("div", { className: "answer" }, pendingText);
  const turn = turnView(question, pending);
  turn.setAttribute("aria-busy", "true");
  $("thread").append(turn);
  $("answer").replaceChildren(el("p", { className: "hint", textContent: "Finding passages…" }));
  const scope = m ? { conversationId: conversation.id } : conversation.documentIds.length > 0 ? { documentIds: conversation.documentIds } : {};
  const res = await api("/api/v1/ask", { method: "POST", body: JSON.stringify({ question, stream: true, k: 8, ...scope }), headers: { accept: "text/event-stream" } });
  let passages = [];
  for await (const { event, data } of sseEvents(res)) {
    if (event === "passages") {
      passages = data;
      renderHits(passages);
      $("answer").replaceChildren(el("p", { className: "hint", textContent: `${passages.length} passages found; writing the answer…` }));
    } else if (event === "text") {
      pendingText.textContent += data.text; // a model's tokens as they come (an extractive answer arrives whole)
    } else if (event === "answer") {
      conversation.turns.push({ question, answer: data });
      if (conversation.turns.length === 1 && conversation.title === "New conversation") conversation.title = question.replace(/\s+/g, " ").slice(0, 120); // as the server titles it
      turn.replaceWith(turnView(question, answerView(data)));
      const cited = new Map();
      for (const c of data.citations) cited.set(c.chunkId, `${cited.get(c.chunkId) ?? ""}[${c.marker}]`);
      renderHits(passages, cited);
      $("answer").replaceChildren(el("p", { className: "hint", textContent: data.notFound ? "Nothing in the selected documents answers this; the closest passages are below." : `Answered from ${data.citations.length} cited passage${data.citations.length === 1 ? "" : "s"}.` }));
    } else if (event === "error") {
      throw Object.assign(new Error(data.message), { summary: data.message, code: data.code, hint: data.hint });
    }
  }
  turn.removeAttribute("aria-busy");
  if (turn.isConnected) turn.remove(); // the stream ended without an answer (server stopping): the error below says so
  $("thread-title").textContent = conversation.id ? conversation.title : "Not kept: pick a matter to keep conversations";
  if (m) await loadConversations();
}

$("ask-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const mode = e.submitter?.value ?? "ask";
  const q = $("question").value.trim();
  const m = matter();
  if (!q) return;
  const submit = [...$("ask-form").querySelectorAll("button")];
  for (const b of submit) b.disabled = true;
  $("answer").replaceChildren(el("p", { className: "hint", textContent: "Working…" }));
  try {
    if (mode === "search") {
      const scope = conversation.documentIds.length > 0 ? { documentIds: conversation.documentIds } : {};
      const { hits } = await json("/api/v1/search", { method: "POST", body: JSON.stringify({ query: q, k: 10, ...(m ? { matters: [m] } : {}), ...scope }) });
      $("answer").replaceChildren(el("p", { textContent: `${hits.length} passages` }));
      renderHits(hits);
      return;
    }
    await ask(q, m);
    $("question").value = "";
  } catch (error) {
    $("answer").replaceChildren(errorView(error, "The question was not answered"));
  } finally {
    for (const b of submit) b.disabled = false;
    $("question").focus();
  }
});

// --- redact --------------------------------------------------------------------------------
async function loadDocumentOptions(selectId) {
  await loadDocuments();
  $(selectId).replaceChildren(...documents.map((d) => el("option", { value: d.id, textContent: `${d.title} (${d.fileName})` })));
}

// --- contract review -----------------------------------------------------------------------
// The full report, as the CLI renders it: summary, key terms, clause map with scores, risks and
// checklists; every finding opens its quote highlighted in the document; downloads in three formats.
let reviewedDocument = null;
const citeButton = (documentId, span, label) =>
  el("button", { type: "button", className: "cite", textContent: label ?? `“${span.quote.replace(/\s+/g, " ").slice(0, 80)}”`, onclick: () => void showPassage(documentId, span.start, span.end) });
const table = (caption, headers, rows) =>
  el("table", { "aria-label": caption }, el("caption", { textContent: caption }), el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", textContent: h })))), el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c))))));

function reviewSummary(report) {
  const s = report.summary;
  const sev = ["critical", "high", "medium", "low", "info"].map((v) => `${s.risks[v]} ${v}`).join(", ");
  const checklists = report.compliance.length === 0 ? "no checklist run" : `${report.compliance.map((c) => c.checklist).join(", ")}: ${s.compliance.met} met, ${s.compliance.contradicted} contradicted, ${s.compliance.unclear} unclear, ${s.compliance.missing} missing`;
  return table("Summary", ["Item", "Value"], [
    ["Parties", s.parties.join("; ") || "not found"],
    ["Governing law", s.governingLaw ?? "not found"],
    ["Agreement date", s.agreementDate ?? "not found"],
    ["Effective date", s.effectiveDate ?? "not found"],
    ["Expiration", s.expirationDate ?? "not found"],
    ["Document type", report.documentType?.type ?? "—"],
    ["Playbook", report.playbook],
    ["Risks", sev],
    ["Checklist results", checklists],
    ["Clauses", `${s.clauseCount} (${s.labelledClauseCount} labelled)`],
    ["Method", report.method],
  ]);
}

function reviewKeyTerms(documentId, kt) {
  const rows = [];
  for (const p of kt.parties) rows.push(["Party", p.role ? `${p.name} ("${p.role}")` : p.name, citeButton(documentId, p.span, "show")]);
  for (const [name, d] of Object.entries(kt.keyDates)) rows.push([`${name} date`, `${d.iso ?? "—"}${d.note ? ` (${d.note})` : ""}`, citeButton(documentId, d.span, "show")]);
  for (const g of kt.governingLaw) rows.push(["Governing law", g.law, citeButton(documentId, g.clause, "show")]);
  for (const j of kt.jurisdiction) rows.push(["Forum", `${j.forum} (${j.kind})`, citeButton(documentId, j.span, "show")]);
  if (kt.renewal) rows.push(["Renewal", kt.renewal.automatic ? "automatic" : "optional", citeButton(documentId, kt.renewal.span, "show")]);
  for (const m of kt.amounts.slice(0, 10)) rows.push(["Amount", `${m.currency} ${m.amount.toLocaleString("en-US")}`, citeButton(documentId, m.span, "show")]);
  return table("Key terms", ["Term", "Value", "Source"], rows);
}

function reviewClauseMap(documentId, clauses) {
  const rows = clauses
    .filter((c) => c.labels.length > 0 || (c.llmSuggestions ?? []).length > 0)
    .map((c) => [
      c.number ? `${c.number}${c.heading ? ` ${c.heading}` : ""}` : (c.heading ?? `#${c.index + 1}`),
      el(
        "span",
        {},
        ...c.labels.map((l) => el("span", { className: "label", textContent: `${l.category} (${l.score.toFixed(2)}${l.llmDisagreed ? `; the model disagreed: ${l.llmDisagreed.llmConfidence.toFixed(2)}` : ""}) ` })),
        ...(c.llmSuggestions ?? []).map((l) => el("span", { className: "label", textContent: `the model suggests ${l.category} (${l.score.toFixed(2)}; verify) ` })),
      ),
      citeButton(documentId, (c.labels[0] ?? c.llmSuggestions[0]).evidence[0].span),
    ]);
  return table("Clause map", ["Clause", "Categories (score)", "Evidence"], rows);
}

function reviewChecklists(documentId, compliance) {
  return compliance.map((c) =>
    table(`Checklist: ${c.checklist}`, ["Requirement", "Status", "Evidence"], c.results.map((r) => [r.title, r.status, r.citations[0] ? citeButton(documentId, r.citations[0]) : "—"])),
  );
}

$("review-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const documentId = $("review-doc").value;
  $("review-summary").replaceChildren(el("p", { textContent: "Reviewing…" }));
  $("review-details").replaceChildren();
  $("review-risks").replaceChildren();
  $("review-downloads").hidden = true;
  try {
    const report = await json("/api/v1/review", { method: "POST", body: JSON.stringify({ documentId }) });
    reviewedDocument = documentId;
    $("review-summary").replaceChildren(reviewSummary(report));
    $("review-risks-title").hidden = false;
    $("review-risks").replaceChildren(
      ...report.risks.map((r) =>
        el("li", {}, el("strong", { textContent: `[${r.severity}] ${r.title}` }), el("div", { textContent: r.fix }), ...r.citations.slice(0, 3).map((c) => citeButton(documentId, c))),
      ),
    );
    $("review-details").replaceChildren(reviewKeyTerms(documentId, report.keyTerms), reviewClauseMap(documentId, report.clauses), ...reviewChecklists(documentId, report.compliance));
    $("review-downloads").hidden = false;
  } catch (error) {
    $("review-summary").replaceChildren(el("p", { className: "error", textContent: error.message }));
  }
});
for (const button of $("review-downloads").querySelectorAll("button")) {
  button.addEventListener("click", async () => {
    const format = button.dataset.format;
    const res = await api("/api/v1/review", { method: "POST", body: JSON.stringify({ documentId: reviewedDocument, format }) });
    const blob = format === "json" ? new Blob([JSON.stringify(await res.json(), null, 2)], { type: "application/json" }) : await res.blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: `review.${{ html: "html", markdown: "md", json: "json" }[format]}` });
    a.click();
    URL.revokeObjectURL(a.href);
  });
}
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
// The download is an export (document.export: admins and attorneys); a paralegal previews but is told why not.
$("redact-download").addEventListener("click", async () => {
  try {
    const res = await api("/api/v1/redact", redactRequest("text"));
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "redacted.txt";
    const a = el("a", { href: URL.createObjectURL(await res.blob()), download: name });
    a.click();
    URL.revokeObjectURL(a.href);
  } catch (error) {
    $("redact-summary").textContent = error.message;
  }
});

// --- workflows -----------------------------------------------------------------------------
// A small workflow that runs on every server: only the built-in data_processing step type.
const EXAMPLE_WORKFLOW = {
  name: "clause-digest",
  description: "Distinct clause titles, how many there are, and the clauses at or above a risk level (data_processing steps only).",
  inputs: {
    clauses: { type: "array", required: true, description: "clauses as { title, risk }" },
    min_risk: { type: "number", default: 7 },
  },
  steps: [
    { id: "titles", type: "data_processing", parameters: { operation: "map", input: "{{ inputs.clauses }}", field: "title" } },
    { id: "distinct", type: "data_processing", depends_on: ["titles"], parameters: { operation: "unique", input: "{{ steps.titles.output }}" } },
    { id: "count", type: "data_processing", depends_on: ["distinct"], parameters: { operation: "count", input: "{{ steps.distinct.output }}" } },
    { id: "high_risk", type: "data_processing", parameters: { operation: "filter", input: "{{ inputs.clauses }}", where: { field: "risk", op: "gte", value: "{{ inputs.min_risk }}" } } },
  ],
};
const EXAMPLE_INPUTS = {
  clauses: [
    { title: "Confidentiality", risk: 3 },
    { title: "Termination for convenience", risk: 8 },
    { title: "Confidentiality", risk: 3 },
    { title: "Limitation of liability", risk: 9 },
  ],
};
const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const SETTLED = new Set(["completed", "failed", "skipped", "cancelled"]);

function markInvalid(id, invalid) {
  if (invalid) $(id).setAttribute("aria-invalid", "true");
  else $(id).removeAttribute("aria-invalid");
}
function workflowError(node, fieldId) {
  $("wf-error").replaceChildren(node);
  if (fieldId) {
    markInvalid(fieldId, true);
    $(fieldId).focus();
  }
}

$("wf-example").addEventListener("click", () => {
  $("wf-definition").value = JSON.stringify(EXAMPLE_WORKFLOW, null, 2);
  $("wf-inputs").value = JSON.stringify(EXAMPLE_INPUTS, null, 2);
  markInvalid("wf-definition", false);
  markInvalid("wf-inputs", false);
  $("wf-error").replaceChildren();
});

// The built-in workflows (contract review; delegation, pipeline and collaboration), loaded once.
let builtIns = null;
async function loadBuiltIns() {
  if (builtIns) return;
  try {
    builtIns = (await json("/api/v1/workflows/built-in")).workflows;
    $("wf-builtin").replaceChildren(
      el("option", { value: "", textContent: "Choose a built-in workflow…" }),
      ...builtIns.map((w) => el("option", { value: w.name, textContent: `${w.name}${w.pattern ? ` (${w.pattern})` : ""}: ${w.description}` })),
    );
  } catch (error) {
    $("wf-builtin-hint").replaceChildren(errorView(error, "Could not list the built-in workflows"));
  }
}

/** Inputs a built-in starts with: the current matter's first document where it reads one. */
function builtInInputs(w) {
  const first = documents[0];
  if (w.name === "contract_review") return { text: "Paste the contract text here." };
  if (w.name === "contract_folder_risks") return {};
  return first ? { document_id: first.id } : { text: "Paste the document text here." };
}

$("wf-builtin-load").addEventListener("click", () => {
  const w = (builtIns ?? []).find((x) => x.name === $("wf-builtin").value);
  if (!w) {
    workflowError(el("p", { textContent: "Choose a built-in workflow first." }), "wf-builtin");
    return;
  }
  $("wf-definition").value = w.definition;
  $("wf-inputs").value = JSON.stringify(builtInInputs(w), null, 2);
  $("wf-builtin-hint").textContent =
    w.name === "contract_folder_risks" ? "With no folder, every indexed document of the current matter is reviewed." : "Inputs name a document of the current matter by id (Documents tab), or give its text.";
  markInvalid("wf-definition", false);
  markInvalid("wf-inputs", false);
  $("wf-error").replaceChildren();
});

$("wf-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("wf-error").replaceChildren();
  markInvalid("wf-definition", false);
  markInvalid("wf-inputs", false);
  const m = matter();
  if (!m) {
    workflowError(el("p", { textContent: "Pick a matter first: the run belongs to the current matter." }), "matter");
    return;
  }
  const text = $("wf-definition").value.trim();
  if (!text) {
    workflowError(el("p", { textContent: "Paste a workflow definition first (or press Load example)." }), "wf-definition");
    return;
  }
  // JSON is parsed here so a syntax error is reported before sending; other text goes as YAML.
  let workflow = text;
  if (/^[{[]/.test(text)) {
    try {
      workflow = JSON.parse(text);
    } catch (error) {
      workflowError(el("p", { textContent: `The workflow definition is not valid JSON: ${error.message}` }), "wf-definition");
      return;
    }
  }
  const body = { workflow, matter: m };
  const inputText = $("wf-inputs").value.trim();
  if (inputText) {
    try {
      body.inputs = JSON.parse(inputText);
    } catch (error) {
      workflowError(el("p", { textContent: `The inputs are not valid JSON: ${error.message}` }), "wf-inputs");
      return;
    }
  }
  $("wf-start").disabled = true;
  try {
    const { runId } = await json("/api/v1/workflows", { method: "POST", body: JSON.stringify(body) });
    void loadWorkflows();
    void followRun(runId);
  } catch (error) {
    // Point at the control the API blamed: body.inputs / inputs problems, else the definition.
    const field = typeof error.details?.field === "string" ? error.details.field : "";
    const inputsAtFault = field.startsWith("body.inputs") || error.code === "WORKFLOW_INPUTS_INVALID";
    const definitionAtFault = field.startsWith("body.workflow") || ["WORKFLOW_INVALID", "WORKFLOW_PARSE_FAILED", "REFERENCE_INVALID", "CONDITION_INVALID", "STEP_HANDLER_MISSING"].includes(error.code);
    workflowError(errorView(error, "The run was not started"), inputsAtFault ? "wf-inputs" : definitionAtFault ? "wf-definition" : undefined);
  } finally {
    $("wf-start").disabled = false;
  }
});

/** Server-sent events read from a fetch response (EventSource cannot send the API key header). */
async function* sseEvents(res) {
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let at;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length === 0) continue;
      try {
        yield { event, data: JSON.parse(data.join("\n")) };
      } catch { /* not JSON: ignored */ }
    }
  }
}

function describeEvent(type, e) {
  const step = e.stepId === undefined ? "" : `Step ${e.stepId}${typeof e.index === "number" ? `[${e.index}]` : ""}`;
  const err = e.error ? `${e.error.code}: ${e.error.message}` : "";
  switch (type) {
    case "run.started": return `Run started (${e.workflow})${e.resumed ? ", resumed after a restart" : ""}`;
    case "step.started": return `${step} started (attempt ${e.attempt})`;
    case "step.progress": return `${step}: ${typeof e.fraction === "number" ? `${Math.round(e.fraction * 100)}%` : "working"}${e.message ? ` — ${e.message}` : ""}`;
    case "step.completed": return `${step} completed in ${Math.round(e.durationMs)} ms`;
    case "step.failed": return `${step} failed (attempt ${e.attempt}): ${err}`;
    case "step.retried": return `${step} will be retried in ${Math.round(e.delayMs)} ms after: ${err}`;
    case "step.assigned": return `${step} executed by ${e.assignment?.agentId ?? "?"}${typeof e.assignment?.score === "number" ? ` (score ${e.assignment.score})` : ""}${e.assignment?.verdict ? `, validator: ${e.assignment.verdict.valid ? "valid" : "rejected"}` : ""}`;
    case "step.skipped": return `${step} skipped: ${e.reason}`;
    case "step.cancelled": return `${step} cancelled`;
    case "run.completed": return `Run ${e.status} in ${Math.round(e.durationMs)} ms${err ? `: ${err}` : ""}`;
    default: return type;
  }
}

/** The run whose progress is shown: { runId, workflow, total, steps: Map(stepId → state), status, controller }. */
let followed = null;

function renderProgress(f) {
  const settled = [...f.steps.values()].filter((s) => SETTLED.has(s)).length;
  const total = Math.max(f.total, f.steps.size);
  $("wf-progress").max = Math.max(total, 1);
  $("wf-progress").value = f.status === "completed" ? Math.max(total, 1) : settled;
  $("wf-live-status").textContent = `Run ${f.runId}${f.workflow ? ` (${f.workflow})` : ""}: ${f.status} — ${settled} of ${total} steps done`;
  $("wf-cancel").disabled = TERMINAL.has(f.status);
}

async function followRun(runId) {
  followed?.controller.abort();
  const controller = new AbortController();
  const f = { runId, workflow: "", total: 0, steps: new Map(), status: "connecting", controller };
  followed = f;
  $("wf-live").hidden = false;
  $("wf-live-error").replaceChildren();
  $("wf-events").replaceChildren();
  renderProgress(f);
  try {
    const run = await json(`/api/v1/workflows/${enc(runId)}`, { signal: controller.signal });
    Object.assign(f, { workflow: run.workflow, total: run.progress.total, status: run.status });
    renderProgress(f);
    const res = await api(`/api/v1/workflows/${enc(runId)}/events`, { signal: controller.signal, headers: { accept: "text/event-stream" } });
    for await (const { event, data } of sseEvents(res)) {
      if (followed !== f) return;
      if (event === "error") {
        $("wf-live-error").replaceChildren(errorView(Object.assign(new Error(data.message), { summary: data.message, code: data.code, hint: data.hint }), "Progress stream failed"));
        continue;
      }
      if (event.startsWith("step.") && typeof data.index !== "number") f.steps.set(data.stepId, event.slice(5));
      if (event === "run.started") f.status = "running";
      if (event === "run.completed") f.status = data.status;
      const log = $("wf-events");
      log.append(el("li", { value: (Number(log.lastElementChild?.value) || 0) + 1 }, el("time", { textContent: new Date(data.at).toLocaleTimeString() }), " ", describeEvent(event, data)));
      while (log.childElementCount > 500) log.firstElementChild.remove(); // a big for_each: keep the latest 500
      renderProgress(f);
    }
  } catch (error) {
    if (controller.signal.aborted || followed !== f) return;
    $("wf-live-error").replaceChildren(errorView(error, "Could not follow the run"));
    return;
  }
  if (followed !== f) return;
  if (!TERMINAL.has(f.status)) {
    $("wf-live-error").replaceChildren(el("p", { textContent: "The progress stream ended before the run did (the server may be restarting). Refresh the runs for the latest status." }));
  }
  await loadWorkflows();
  await showRunDetail(runId, { focus: false });
}

async function cancelRun(runId) {
  $("workflows-error").replaceChildren();
  try {
    const { cancelled } = await json(`/api/v1/workflows/${enc(runId)}`, { method: "DELETE" });
    $("workflows-status").textContent = cancelled ? `Cancellation of run ${runId} requested.` : `Run ${runId} had already finished.`;
  } catch (error) {
    $("workflows-status").textContent = "";
    $("workflows-error").replaceChildren(errorView(error, `Could not cancel run ${runId}`));
  }
  await loadWorkflows();
}

$("wf-cancel").addEventListener("click", async () => {
  if (!followed) return;
  $("wf-cancel").disabled = true;
  await cancelRun(followed.runId);
  if (followed && !TERMINAL.has(followed.status)) renderProgress(followed);
});

async function loadWorkflows() {
  try {
    const { runs } = await json("/api/v1/workflows?limit=50");
    $("workflows").replaceChildren(
      ...runs.map((r) => {
        const open = !TERMINAL.has(r.status);
        return el(
          "tr",
          {},
          el("td", {}, el("code", { textContent: r.id })),
          el("td", { textContent: r.workflow }),
          el("td", { textContent: r.matter ?? "—" }),
          el("td", { textContent: r.status }),
          el("td", { textContent: when(r.startedAt) }),
          el(
            "td",
            { className: "actions" },
            el("button", { type: "button", className: "secondary", textContent: "Details", "aria-label": `Details of run ${r.id} (${r.workflow})`, onclick: () => void showRunDetail(r.id, { focus: true }) }),
            open ? el("button", { type: "button", className: "secondary", textContent: "Follow", "aria-label": `Follow progress of run ${r.id}`, onclick: () => void followRun(r.id) }) : null,
            open ? el("button", { type: "button", className: "danger", textContent: "Cancel", "aria-label": `Cancel run ${r.id}`, onclick: () => void cancelRun(r.id) }) : null,
          ),
        );
      }),
    );
    if (runs.length === 0) $("workflows").replaceChildren(el("tr", {}, el("td", { colSpan: 6, className: "hint", textContent: "No runs yet." })));
  } catch (error) {
    $("workflows").replaceChildren(el("tr", {}, el("td", { colSpan: 6, className: "error" }, errorView(error, "Could not list runs"))));
  }
}

function jsonBlock(value, label) {
  if (value === null || value === undefined) return "—";
  let text = JSON.stringify(value, null, 2);
  if (text.length > 4000) text = `${text.slice(0, 4000)}\n… (${text.length - 4000} more characters)`;
  return el("pre", { className: "output", tabIndex: 0, textContent: text, "aria-label": label });
}

/** Who executed a step's last attempt: the agent, the balancer's score and its parts, the validator's verdict. */
function agentCell(a) {
  if (!a) return el("td", { textContent: "—" });
  const b = a.breakdown;
  const v = a.verdict;
  const lines = [
    `${a.agentId}${typeof a.score === "number" ? ` (score ${a.score})` : " (pinned)"}`,
    b ? `capability ${b.capability} · history ${b.history} · load ${b.load} · time ${b.time} (weights ${b.weights.capability}/${b.weights.history}/${b.weights.load}/${b.weights.time})` : "",
    typeof a.candidates === "number" ? `${a.candidates} capable, ${a.skipped ?? 0} skipped as busy or unhealthy` : "",
    v ? `validator ${v.validator}: ${v.valid ? "valid" : "rejected"}${v.checked?.length ? ` (checked ${v.checked.join(", ")})` : " (nothing to check)"}${v.issues?.length ? ` — ${v.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}` : ""}` : "",
  ].filter(Boolean);
  return el("td", { className: "agent", "data-agent": a.agentId }, ...lines.map((t) => el("div", { textContent: t })));
}

async function showRunDetail(runId, { focus }) {
  let run;
  try {
    run = await json(`/api/v1/workflows/${enc(runId)}`);
  } catch (error) {
    $("wf-detail").hidden = false;
    $("wf-detail-summary").replaceChildren(errorView(error, `Could not load run ${runId}`));
    $("wf-detail-steps").replaceChildren();
    return;
  }
  const p = run.progress;
  const facts = [
    ["Run", run.id],
    ["Workflow", run.workflow],
    ["Matter", run.matter ?? "—"],
    ["Status", run.status],
    ["Started", when(run.startedAt)],
    ["Finished", when(run.finishedAt)],
    ["Steps", `${p.total} in all: ${p.completed} completed, ${p.failed} failed, ${p.skipped} skipped, ${p.cancelled} cancelled, ${p.running} running, ${p.pending} pending`],
    ...(run.error ? [["Error", `${run.error.code}: ${run.error.message}`]] : []),
  ];
  $("wf-detail-title").textContent = `Run detail: ${run.workflow}`;
  $("wf-detail-summary").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v, "data-fact": k.toLowerCase() })]));
  // In the order they started (steps not started yet last), then by key.
  const steps = [...run.steps].sort((a, b) => (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || a.key.localeCompare(b.key));
  $("wf-detail-steps").replaceChildren(
    ...steps.map((s) =>
      el(
        "tr",
        {},
        el("th", { scope: "row", textContent: s.stepId }),
        el("td", { textContent: s.index === null || s.index === undefined ? "—" : String(s.index) }),
        el("td", { textContent: s.status }),
        el("td", { textContent: String(s.attempt) }),
        agentCell(s.agent),
        el("td", {}, jsonBlock(s.output, `Output of step ${s.stepId}${typeof s.index === "number" ? ` item ${s.index}` : ""}`)),
        el("td", { className: s.error ? "error" : "", textContent: s.error ? `${s.error.code}: ${s.error.message}` : "—" }),
      ),
    ),
  );
  if (run.steps.length === 0) $("wf-detail-steps").replaceChildren(el("tr", {}, el("td", { colSpan: 7, className: "hint", textContent: "No step has started yet." })));
  $("wf-detail").hidden = false;
  if (focus) $("wf-detail-title").focus();
}
$("workflows-refresh").addEventListener("click", () => void loadWorkflows());

// --- models --------------------------------------------------------------------------------
async function loadModels() {
  const admin = isAdmin();
  try {
    const { models, loaded = [] } = await json("/api/v1/models");
    $("models").replaceChildren(
      ...models.map((m) => {
        const rt = loaded.find((l) => l.modelId === m.id);
        const runtime = rt
          ? [rt.contextSize ? `context ${rt.contextSize}` : "", rt.threads ? `${rt.threads} thread${rt.threads === 1 ? "" : "s"}` : "", rt.memoryBytes ? megabytes(rt.memoryBytes) : ""].filter(Boolean).join(" · ") || "loaded"
          : "—";
        const busy = m.status === "loading" || m.status === "downloading";
        return el(
          "tr",
          { "data-model": m.id },
          el("th", { scope: "row", textContent: m.id }),
          el("td", { textContent: m.kind ?? m.format }),
          el("td", { textContent: megabytes(m.sizeBytes) }),
          el("td", { className: m.error ? "error" : "", textContent: m.error ? `${m.status}: ${m.error.message}` : m.status }),
          el("td", { textContent: runtime }),
          admin
            ? el(
                "td",
                { className: "actions" },
                m.status === "loaded"
                  ? el("button", { type: "button", className: "secondary model-action", textContent: "Unload", "aria-label": `Unload ${m.id}`, onclick: () => void modelAction("unload", m.id) })
                  : el("button", { type: "button", className: "model-action", textContent: "Load", "aria-label": `Load ${m.id}`, disabled: busy, onclick: () => void modelAction("load", m.id) }),
              )
            : null,
        );
      }),
    );
    if (models.length === 0) $("models").replaceChildren(el("tr", {}, el("td", { colSpan: 6, className: "hint", textContent: "No model files found in the model folders." })));
  } catch (error) {
    $("models").replaceChildren(el("tr", {}, el("td", { colSpan: 6, className: "error" }, errorView(error, "Could not list models"))));
  }
}

async function modelAction(action, id) {
  const status = $("models-status");
  $("models-error").replaceChildren();
  for (const b of document.querySelectorAll("#models .model-action")) b.disabled = true;
  $("models-table").setAttribute("aria-busy", "true");
  status.textContent = `${action === "load" ? "Loading" : "Unloading"} ${id}…`;
  const body = { action, id };
  const context = $("model-context").value.trim();
  if (action === "load" && context) body.contextSize = Number(context);
  try {
    const r = await json("/api/v1/models", { method: "POST", body: JSON.stringify(body) });
    if (action === "load") {
      const l = r.loaded ?? {};
      const parts = [l.contextSize ? `context ${l.contextSize} tokens` : "", l.threads ? `${l.threads} thread${l.threads === 1 ? "" : "s"}` : "", l.memoryBytes ? megabytes(l.memoryBytes) : ""].filter(Boolean);
      status.textContent = `Loaded ${id}${parts.length ? ` (${parts.join(", ")})` : ""}${typeof l.loadMs === "number" ? ` in ${Math.round(l.loadMs)} ms` : ""}.`;
    } else {
      status.textContent = r.unloaded ? `Unloaded ${id}.` : `${id} was not loaded.`;
    }
  } catch (error) {
    status.textContent = "";
    $("models-error").replaceChildren(errorView(error, `Could not ${action} ${id}`));
  } finally {
    $("models-table").removeAttribute("aria-busy");
    await loadModels();
  }
}
$("models-refresh").addEventListener("click", () => void loadModels());

// --- agents --------------------------------------------------------------------------------
/** The coordinator and the monitor belong to the system: the API refuses to remove them. */
const SYSTEM_AGENT_TYPES = new Set(["coordinator", "monitor"]);

async function loadAgents() {
  const admin = isAdmin();
  const query = new URLSearchParams();
  if ($("agents-type").value) query.set("type", $("agents-type").value);
  if ($("agents-filter-status").value) query.set("status", $("agents-filter-status").value);
  const qs = query.toString();
  try {
    const { agents } = await json(`/api/v1/agents${qs ? `?${qs}` : ""}`);
    $("agents").replaceChildren(
      ...agents.map((a) => {
        const l = a.load ?? {};
        const mt = a.metrics ?? {};
        return el(
          "tr",
          { "data-agent": a.id },
          el("th", { scope: "row" }, el("code", { textContent: a.id }), a.name && a.name !== a.id ? el("div", { className: "meta", textContent: a.name }) : null),
          el("td", { textContent: a.type }),
          el("td", { textContent: a.status }),
          el("td", { textContent: (a.capabilities ?? []).join(", ") || "—" }),
          el("td", { textContent: `${l.running ?? 0} running, ${l.queued ?? 0} queued, capacity ${l.capacity ?? "—"}` }),
          el("td", { textContent: `${mt.tasksCompleted ?? 0} completed, ${mt.tasksFailed ?? 0} failed` }),
          admin
            ? el(
                "td",
                { className: "actions" },
                SYSTEM_AGENT_TYPES.has(a.type)
                  ? el("span", { className: "hint", textContent: "system agent" })
                  : el("button", { type: "button", className: "danger", textContent: "Remove", "aria-label": `Remove agent ${a.id}`, onclick: () => void removeAgent(a) }),
              )
            : null,
        );
      }),
    );
    $("agents-status").textContent = `${agents.length} agent${agents.length === 1 ? "" : "s"}${qs ? " (filtered)" : ""}.`;
    if (agents.length === 0) $("agents").replaceChildren(el("tr", {}, el("td", { colSpan: 7, className: "hint", textContent: "No agent matches." })));
  } catch (error) {
    $("agents-status").textContent = "";
    $("agents").replaceChildren(el("tr", {}, el("td", { colSpan: 7, className: "error" }, errorView(error, "Could not list agents"))));
  }
}

async function removeAgent(agent) {
  $("agents-error").replaceChildren();
  if (!window.confirm(`Remove agent ${agent.id} (${agent.type})?`)) return;
  const remove = (force) => json(`/api/v1/agents/${enc(agent.id)}${force ? "?force=true" : ""}`, { method: "DELETE" });
  let done = "";
  try {
    try {
      await remove(false);
    } catch (error) {
      // 409: it has tasks. Removing it anyway aborts them (their steps fail or retry elsewhere).
      if (error.status !== 409 || !window.confirm(`Agent ${agent.id} is working on tasks. Remove it anyway and abort them?`)) throw error;
      await remove(true);
    }
    done = `Removed agent ${agent.id}.`;
  } catch (error) {
    $("agents-error").replaceChildren(errorView(error, `Could not remove agent ${agent.id}`));
  }
  await loadAgents();
  if (done) $("agents-status").textContent = `${done} ${$("agents-status").textContent}`;
}
$("agents-form").addEventListener("submit", (e) => {
  e.preventDefault();
  void loadAgents();
});

// --- users (admins) ------------------------------------------------------------------------
async function loadUsers() {
  try {
    const { users } = await json("/api/v1/users");
    $("users").replaceChildren(
      ...users.map((u) =>
        el(
          "tr",
          { "data-user": u.id },
          el("th", { scope: "row" }, el("code", { textContent: u.id })),
          el("td", { textContent: u.role ?? "no role" }),
          el("td", { textContent: u.role === "admin" ? "every matter" : u.matters.join(", ") || "—" }),
          el(
            "td",
            { className: "actions" },
            u.id === me.id
              ? el("span", { className: "hint", textContent: "you" })
              : el("button", { type: "button", className: "danger", textContent: "Revoke", "aria-label": `Revoke user ${u.id}`, onclick: () => void revokeUser(u) }),
          ),
        ),
      ),
    );
  } catch (error) {
    $("users").replaceChildren(el("tr", {}, el("td", { colSpan: 4, className: "error" }, errorView(error, "Could not list users"))));
  }
}

async function revokeUser(user) {
  $("users-error").replaceChildren();
  if (!window.confirm(`Revoke ${user.id}? Its API key stops working at once.`)) return;
  try {
    await json(`/api/v1/users/${enc(user.id)}`, { method: "DELETE" });
  } catch (error) {
    $("users-error").replaceChildren(errorView(error, `Could not revoke ${user.id}`));
  }
  await loadUsers();
}

$("users-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("users-error").replaceChildren();
  $("user-key").hidden = true;
  const role = $("user-role").value;
  const matters = role === "admin" ? [] : $("user-matters").value.split(",").map((m) => m.trim()).filter(Boolean);
  try {
    const { user, apiKey: key } = await json("/api/v1/users", { method: "POST", body: JSON.stringify({ id: $("user-id").value.trim(), role, matters }) });
    // The key is shown here once: the server keeps only its hash.
    $("user-key").replaceChildren(
      el("p", {}, el("strong", { textContent: `API key for ${user.id}` }), " (shown once, copy it now):"),
      el("code", { id: "user-key-value", textContent: key }),
    );
    $("user-key").hidden = false;
    $("user-id").value = "";
  } catch (error) {
    $("users-error").replaceChildren(errorView(error, "Could not add the user"));
  }
  await loadUsers();
});

if (apiKey) void signIn();
