import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { LEASE, multipart, NDA, startTestServer, STORIES, type TestServer, type Who } from "./support/test-server";

const CHROMIUM = "/usr/bin/chromium";
const available = fs.existsSync(CHROMIUM);
if (!available) process.stdout.write(`ui.e2e: skipped, ${CHROMIUM} is absent (install Debian's 'chromium' package to run the browser tests)\n`);

// Real headless Chromium (Debian's package) driven by playwright-core against a real server.
(available ? describe : describe.skip)("web UI end to end in headless Chromium", () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 1000, refillPerSecond: 100 } });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A fresh browser context signed in as `who`, recording every request that leaves the origin. */
  async function signedIn(who: Who): Promise<{ context: BrowserContext; page: Page; external: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(t.url) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) external.push(r.url());
    });
    await page.goto(t.url);
    await page.getByLabel("API key").fill(t.keys[who]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(`Signed in as ${who}`).waitFor();
    return { context, page, external };
  }

  it("signs in with a key, uploads with progress, asks with clickable citations, reviews a contract, redacts, lists workflows and models", async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(t.url) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) external.push(r.url());
    });
    await page.goto(t.url);

    // A wrong key is refused with a message; the right one signs in.
    await page.getByLabel("API key").fill("bear_alice_wrongwrongwrongwrongwrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("This API key was not accepted.").waitFor();
    await page.getByLabel("API key").fill(t.keys.alice);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as alice").waitFor();
    expect(await page.getByLabel("Current matter").inputValue()).toBe("acme");

    // Upload.
    await page.getByLabel(/Upload documents/).setInputFiles({ name: "mutual-nda.txt", mimeType: "text/plain", buffer: Buffer.from(NDA) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("mutual-nda.txt: added").waitFor();
    expect(await page.locator("#upload-progress").evaluate((p) => (p as unknown as { value: number }).value)).toBe(100);
    await page.getByRole("cell", { name: "mutual-nda.txt" }).waitFor();

    // Ask: the citation opens the cited passage, highlighted, in the document.
    await page.getByRole("tab", { name: "Search & ask" }).click();
    await page.getByLabel("Question or search terms").fill("How much notice is needed to terminate for convenience?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const citation = page.getByRole("button", { name: /^Citation 1:/ });
    await citation.waitFor();
    await citation.click();
    const mark = page.locator("#passage mark");
    await mark.waitFor();
    expect(await mark.textContent()).toContain("notice");
    await page.getByRole("button", { name: "Close" }).click();

    // Contract review: the report, with findings that open their quote in the document.
    await page.getByRole("tab", { name: "Contract review" }).click();
    await page.locator("#review-doc option").first().waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Review", exact: true }).click();
    const summary = page.getByRole("table", { name: "Summary" });
    await summary.waitFor();
    expect(await summary.getByRole("row", { name: /Governing law/ }).textContent()).toContain("Delaware");
    expect(await summary.getByRole("row", { name: /Playbook/ }).textContent()).toMatch(/playbook/i);
    await page.getByRole("table", { name: "Key terms" }).waitFor();
    const clauseMap = page.getByRole("table", { name: "Clause map" });
    expect(await clauseMap.textContent()).toMatch(/Governing Law \(\d\.\d\d\)/);
    // A clause-map finding opens its evidence highlighted in the document.
    await clauseMap.getByRole("button").first().click();
    await page.locator("#passage mark").waitFor();
    await page.getByRole("button", { name: "Close" }).click();
    for (const [name, suffix] of [["Download HTML report", ".html"], ["Download Markdown report", ".md"], ["Download JSON report", ".json"]] as const) {
      const [report] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name }).click()]);
      expect(report.suggestedFilename()).toBe(`review${suffix}`);
      const body = fs.readFileSync((await report.path())!, "utf8");
      expect(body).toContain(suffix === ".json" ? '"clauses"' : "Clause map");
    }

    // Redact: preview, then download the redacted copy.
    await page.getByRole("tab", { name: "Redact" }).click();
    await page.locator("#redact-doc option").first().waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByText(/personal data items replaced/).waitFor();
    expect(await page.locator("#redact-preview").textContent()).toContain("Confidential Information");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download redacted copy" }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.redacted\.txt$/);

    // Workflows and models.
    await page.getByRole("tab", { name: "Models" }).click();
    await page.getByRole("rowheader", { name: "stories260K" }).waitFor();
    await page.getByRole("tab", { name: "Workflows" }).click();
    await page.getByRole("table", { name: "Runs" }).waitFor();

    expect(external).toEqual([]);
    await context.close();
  }, 60_000);

  it("workflows: loads the example, shows API validation errors, runs it to completion with live progress, shows the run detail, cancels a run", async () => {
    const { context, page, external } = await signedIn("alice");
    expect(await page.getByLabel("Current matter").inputValue()).toBe("acme");
    await page.getByRole("tab", { name: "Workflows" }).click();
    const definition = page.getByLabel(/^Workflow definition/);
    const inputs = page.getByLabel(/^Inputs/);
    const alert = page.locator("#wf-error");

    // The example fills both fields.
    await page.getByRole("button", { name: "Load example" }).click();
    expect(JSON.parse(await definition.inputValue())).toMatchObject({ name: "clause-digest", steps: [{ id: "titles" }, { id: "distinct" }, { id: "count" }, { id: "high_risk" }] });
    const exampleInputs = await inputs.inputValue();
    expect(JSON.parse(exampleInputs).clauses).toHaveLength(4);

    // Malformed JSON is caught before anything is sent.
    await inputs.fill("{ nope");
    await page.getByRole("button", { name: "Start run" }).click();
    await alert.getByText(/The inputs are not valid JSON/).waitFor();
    expect(await inputs.getAttribute("aria-invalid")).toBe("true");

    // The API's 400 naming the failing field (schema: inputs must be an object).
    await inputs.fill("[1]");
    await page.getByRole("button", { name: "Start run" }).click();
    await alert.getByText("Failing field: body.inputs").waitFor();
    expect(await alert.textContent()).toContain("VALIDATION_FAILED");
    expect(await inputs.getAttribute("aria-invalid")).toBe("true");

    // The engine's input check: a required input is missing.
    await inputs.fill("{}");
    await page.getByRole("button", { name: "Start run" }).click();
    await alert.getByText("WORKFLOW_INPUTS_INVALID", { exact: false }).waitFor();
    expect(await alert.textContent()).toContain("inputs.clauses: required input is missing");

    // The engine's definition check: every problem with its path, and the definition is marked.
    await inputs.fill(exampleInputs);
    await definition.fill((await definition.inputValue()).replace('"type": "data_processing"', '"type": "data_procesing"'));
    await page.getByRole("button", { name: "Start run" }).click();
    await alert.getByText("WORKFLOW_INVALID", { exact: false }).waitFor();
    expect(await alert.locator("li").first().textContent()).toMatch(/^steps\[0\]\.type: unknown step type 'data_procesing'/);
    expect(await definition.getAttribute("aria-invalid")).toBe("true");
    expect(await inputs.getAttribute("aria-invalid")).toBeNull();

    // The example runs to completion; progress arrives over the SSE stream.
    await page.getByRole("button", { name: "Load example" }).click();
    expect(await alert.textContent()).toBe("");
    await page.getByRole("button", { name: "Start run" }).click();
    const live = page.locator("#wf-live-status");
    await live.getByText(/\(clause-digest\): completed — 4 of 4 steps done$/).waitFor();
    const events = await page.locator("#wf-events li").allTextContents();
    expect(events[0]).toMatch(/Run started \(clause-digest\)$/);
    expect(events.filter((e) => / Step \w+ completed in \d+ ms$/.test(e))).toHaveLength(4);
    expect(events.at(-1)).toMatch(/Run completed in \d+ ms$/);
    expect(await page.locator("#wf-progress").evaluate((p) => [(p as unknown as { value: number }).value, (p as unknown as { max: number }).max])).toEqual([4, 4]);
    expect(await page.getByRole("button", { name: "Cancel run", exact: true }).isDisabled()).toBe(true);

    // The run detail opens by itself when the run ends: status, steps and their outputs.
    const detail = page.locator("#wf-detail");
    await detail.locator('dd[data-fact="status"]').getByText("completed", { exact: true }).waitFor();
    expect(await detail.locator('dd[data-fact="matter"]').textContent()).toBe("acme");
    expect(await detail.locator('dd[data-fact="steps"]').textContent()).toBe("4 in all: 4 completed, 0 failed, 0 skipped, 0 cancelled, 0 running, 0 pending");
    const output = async (step: string) => JSON.parse((await page.getByRole("region", { name: /^Run detail/ }).getByLabel(`Output of step ${step}`, { exact: true }).textContent()) ?? "null");
    expect(await output("distinct")).toEqual(["Confidentiality", "Termination for convenience", "Limitation of liability"]);
    expect(await output("count")).toBe(3);
    expect((await output("high_risk")).map((c: { title: string }) => c.title)).toEqual(["Termination for convenience", "Limitation of liability"]);
    expect(await detail.locator("#wf-detail-steps tr").count()).toBe(4);
    // Each step names the agent that executed it, its score breakdown and the validator's verdict.
    const agents = await detail.locator("#wf-detail-steps td.agent").allTextContents();
    expect(agents).toHaveLength(4);
    for (const text of agents) expect(text).toMatch(/^data-executor \(score [\d.]+\)capability [\d.]+ · history [\d.]+ · load [\d.]+ · time [\d.]+ \(weights 0.4\/0.3\/0.2\/0.1\).*validator validator: valid/);

    // The runs table lists it; Details opens the detail and moves focus to it.
    const row = page.locator("#workflows tr", { hasText: "clause-digest" });
    await row.getByRole("cell", { name: "completed", exact: true }).waitFor();
    await row.getByRole("cell", { name: "acme", exact: true }).waitFor();
    await row.getByRole("button", { name: /^Details of run .+ \(clause-digest\)$/ }).click();
    // Focus moves to the detail's heading (polled in the page: the CSP forbids string predicates).
    await page.locator("#wf-detail-title").evaluate(
      (heading) =>
        new Promise<void>((resolve) => {
          const check = (): void => void (heading.ownerDocument.activeElement === heading ? resolve() : setTimeout(check, 20));
          check();
        }),
    );

    // A run that waits (a failing read retried after 60 s) is cancelled from the progress view.
    const waits = { name: "waits", steps: [{ id: "wait", type: "file_operations", parameters: { operation: "read", path: "missing.txt" }, retry: { attempts: 3, backoff: "60s" } }] };
    await definition.fill(JSON.stringify(waits));
    await inputs.fill("");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.locator("#wf-events li", { hasText: /Step wait will be retried in \d+ ms after: / }).waitFor();
    expect(await live.textContent()).toMatch(/\(waits\): running — 0 of 1 steps done$/);
    await page.getByRole("button", { name: "Refresh runs" }).click();
    await page.locator("#workflows tr", { hasText: "waits" }).getByRole("cell", { name: "running", exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel run", exact: true }).click();
    await live.getByText(/\(waits\): cancelled — 1 of 1 steps done$/).waitFor();
    expect(await page.locator("#wf-events li").last().textContent()).toMatch(/Run cancelled in \d+ ms/);
    await detail.locator('dd[data-fact="status"]').getByText("cancelled", { exact: true }).waitFor();
    await page.locator("#workflows tr", { hasText: "waits" }).getByRole("cell", { name: "cancelled", exact: true }).waitFor();

    expect(external).toEqual([]);
    await context.close();
  }, 30_000);

  it("built-in legal workflows (delegation, pipeline, collaboration) run from the Workflows tab with no model loaded, each step showing its agent", async () => {
    expect(t.server.services.models.loaded()).toEqual([]);
    expect(t.server.services.llm).toBeUndefined();
    // a contract of the current matter for the built-ins to read (the first test may have uploaded it already)
    const listed = (await (await fetch(`${t.url}/api/v1/documents?matter=acme`, { headers: t.auth("alice") })).json()) as { documents: unknown[] };
    if (listed.documents.length === 0) {
      const { payload, headers } = multipart("mutual-nda.txt", NDA);
      expect((await fetch(`${t.url}/api/v1/documents?matter=acme`, { method: "POST", headers: { ...t.auth("alice"), ...headers }, body: payload })).status).toBe(201);
    }
    const { context, page, external } = await signedIn("alice");
    await page.getByRole("tab", { name: "Workflows" }).click();
    const detail = page.locator("#wf-detail");
    /** [step id, agent id] of each row of the run detail. */
    const assignments = async (): Promise<Array<[string, string | null]>> =>
      detail.locator("#wf-detail-steps tr").evaluateAll((rows) => rows.map((r) => [r.querySelector("th")?.textContent ?? "", r.querySelector("td.agent")?.getAttribute("data-agent") ?? null] as [string, string | null]));
    const runBuiltIn = async (name: string): Promise<Array<[string, string | null]>> => {
      await page.getByLabel(/built-in workflow/).selectOption(name);
      await page.getByRole("button", { name: "Load built-in" }).click();
      expect(await page.getByLabel(/^Workflow definition/).inputValue()).toContain(name);
      await page.getByRole("button", { name: "Start run" }).click();
      await page.locator("#wf-live-status").getByText(new RegExp(`\\(${name}\\): completed — `)).waitFor({ timeout: 60_000 });
      await detail.locator('dd[data-fact="status"]').getByText("completed", { exact: true }).waitFor();
      await detail.locator("#wf-detail-title").getByText(name, { exact: false }).waitFor();
      return assignments();
    };

    // delegation: one review per contract of the matter, by the contract reviewer, then the risk summary
    const risks = await runBuiltIn("contract_folder_risks");
    // (the fan-out's own row has no agent; each of its items has one)
    const reviews = risks.filter(([step, agent]) => step === "subtasks" && agent !== null);
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews.every(([, agent]) => agent === "contract-reviewer")).toBe(true);
    expect(risks.find(([step]) => step === "aggregate")?.[1]).toBe("contract-reviewer");
    // pipeline: extract and index by the retrieval specialist, redact by the PII scrubber
    const pipeline = await runBuiltIn("extract_redact_index");
    expect(Object.fromEntries(pipeline.filter(([step]) => ["extract", "redact", "index"].includes(step)))).toEqual({ extract: "retrieval", redact: "pii-scrubber", index: "retrieval" });
    // collaboration, model-free: drafted, reviewed and refined by the agents of each capability
    const summary = await runBuiltIn("clause_summary");
    expect(summary.find(([step]) => step === "draft")?.[1]).toBe("clause-drafter");
    expect(summary.filter(([, agent]) => agent !== null).length).toBeGreaterThanOrEqual(3);
    // every step that ran shows its agent: the balancer's pick with its score parts and the validator's verdict,
    // or the coordinator itself for its own bookkeeping steps (picking the latest draft)
    const cells = await detail.locator("#wf-detail-steps td.agent").allTextContents();
    const balanced = cells.filter((text) => text !== "coordinator (pinned)");
    expect(balanced.length).toBeGreaterThanOrEqual(3);
    for (const text of balanced) expect(text).toMatch(/\(score [\d.]+\)capability [\d.]+ · history [\d.]+ · load [\d.]+ · time [\d.]+ \(weights 0.4\/0.3\/0.2\/0.1\).*validator validator: valid/);
    expect(t.server.services.models.loaded()).toEqual([]);

    expect(external).toEqual([]);
    await context.close();
  }, 120_000);

  it("models: an admin loads and unloads stories260K, with errors shown; agents: listed, filtered, removed (admins); other roles get no admin controls", async () => {
    // An attorney sees the models and agents, but no load/unload or remove controls.
    {
      const { context, page, external } = await signedIn("alice");
      await page.getByRole("tab", { name: "Models" }).click();
      await page.getByRole("rowheader", { name: STORIES }).waitFor();
      await page.getByText("Loading and unloading models needs an administrator key.").waitFor();
      expect(await page.getByRole("button", { name: `Load ${STORIES}` }).count()).toBe(0);
      // Keyboard: arrow keys move between tabs.
      await page.getByRole("tab", { name: "Models" }).focus();
      await page.keyboard.press("ArrowRight");
      expect(await page.getByRole("tab", { name: "Agents" }).getAttribute("aria-selected")).toBe("true");
      await page.getByRole("rowheader", { name: "coordinator" }).waitFor();
      await page.getByText("Removing agents needs an administrator key.").waitFor();
      expect(await page.locator("#agents").getByRole("button").count()).toBe(0);
      expect(external).toEqual([]);
      await context.close();
    }

    const { context, page, external } = await signedIn("admin");
    const loadedModels = async () => (await (await fetch(`${t.url}/api/v1/models`, { headers: t.auth("admin") })).json()) as { loaded: { modelId: string }[] };
    await page.getByRole("tab", { name: "Models" }).click();
    const row = page.locator(`#models tr[data-model="${STORIES}"]`);
    await row.waitFor();
    expect(await row.locator("td").nth(2).textContent()).toBe("available");

    // A context size the API refuses: the 400 names the field, nothing is loaded.
    await page.getByLabel(/^Context size when loading/).fill("64");
    await page.getByRole("button", { name: `Load ${STORIES}` }).click();
    await page.locator("#models-error").getByText("Failing field: body.contextSize").waitFor();
    expect(await page.locator("#models-error").textContent()).toContain(`Could not load ${STORIES}`);

    // Load: the state changes to loaded, with the runtime it got.
    await page.getByLabel(/^Context size when loading/).fill("256");
    await page.getByRole("button", { name: `Load ${STORIES}` }).click();
    await page.getByRole("status").getByText(new RegExp(`^Loaded ${STORIES} \\(context 256 tokens, 1 thread.*\\) in \\d+ ms\\.$`)).waitFor();
    expect(await page.locator("#models-error").textContent()).toBe("");
    await row.getByRole("cell", { name: "loaded", exact: true }).waitFor();
    expect(await row.locator("td").nth(3).textContent()).toMatch(/^context 256 · 1 thread/);
    expect((await loadedModels()).loaded).toEqual([expect.objectContaining({ modelId: STORIES, contextSize: 256 })]);

    // Unload: back to available.
    await page.getByRole("button", { name: `Unload ${STORIES}` }).click();
    await page.getByRole("status").getByText(`Unloaded ${STORIES}.`, { exact: true }).waitFor();
    await row.getByRole("cell", { name: "available", exact: true }).waitFor();
    expect((await loadedModels()).loaded).toEqual([]);

    // Agents: the system's agents with type, status and capabilities.
    const created = await fetch(`${t.url}/api/v1/agents`, {
      method: "POST",
      headers: { ...t.auth("admin"), "content-type": "application/json" },
      body: JSON.stringify({ type: "executor", capability: "data_processing", id: "ui-extra", name: "Extra data executor" }),
    });
    expect(created.status).toBe(201);
    await page.getByRole("tab", { name: "Agents" }).click();
    const agents = page.locator("#agents");
    await agents.getByRole("rowheader", { name: "coordinator" }).waitFor();
    const types = await agents.locator("tr").evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent));
    expect(types).toEqual(expect.arrayContaining(["coordinator", "monitor", "executor", "validator"]));
    const extra = agents.locator('tr[data-agent="ui-extra"]');
    const cells = await extra.locator("td").allTextContents();
    expect(cells.slice(0, 3)).toEqual(["executor", "idle", "data_processing"]);
    expect(cells[3]).toMatch(/^0 running, 0 queued, capacity \d+$/);
    expect(cells.slice(4)).toEqual(["0 completed, 0 failed", "Remove"]);
    expect(await extra.getByRole("rowheader").textContent()).toBe("ui-extraExtra data executor");
    expect(await agents.locator('tr[data-agent="coordinator"]').getByRole("button").count()).toBe(0);

    // Filtered by type.
    await page.getByLabel("Type", { exact: true }).selectOption("executor");
    await page.getByRole("button", { name: "Refresh agents" }).click();
    await page.getByRole("status").getByText(/agents \(filtered\)\.$/).waitFor();
    expect(new Set(await agents.locator("tr").evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent)))).toEqual(new Set(["executor"]));

    // Removed after a confirmation.
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Remove agent ui-extra" }).click();
    await page.getByRole("status").getByText(/^Removed agent ui-extra\./).waitFor();
    await extra.waitFor({ state: "detached" });
    expect((await fetch(`${t.url}/api/v1/agents/ui-extra`, { headers: t.auth("admin") })).status).toBe(404);

    expect(external).toEqual([]);
    await context.close();
  }, 30_000);

  it("users: an admin adds a user limited to a matter and sees its key once; that key signs in to that matter only; the admin revokes it; other roles get no Users tab", async () => {
    const viewer = await signedIn("alice");
    expect(await viewer.page.getByRole("tab", { name: "Users" }).isHidden()).toBe(true);
    await viewer.context.close();

    const { context, page, external } = await signedIn("admin");
    await page.getByRole("tab", { name: "Users" }).click();
    await page.locator('tr[data-user="alice"]').waitFor();
    await page.getByLabel("User id").fill("erin");
    await page.getByLabel("Role").selectOption("paralegal");
    await page.getByLabel("Matters (comma-separated)").fill("acme");
    await page.getByRole("button", { name: "Add user" }).click();
    const key = (await page.locator("#user-key-value").textContent()) ?? "";
    expect(key).toMatch(/^bear_erin_/);
    expect(await page.locator('tr[data-user="erin"] td').allTextContents()).toEqual(["paralegal", "acme", "Revoke"]);
    // A bad matter id is refused with the API's message.
    await page.getByLabel("User id").fill("frank");
    await page.getByLabel("Matters (comma-separated)").fill("");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.locator("#users-error").getByText(/at least one matter/).waitFor();

    // The new key works in the UI, for its matter only.
    const erin = await browser.newContext();
    const erinPage = await erin.newPage();
    await erinPage.goto(t.url);
    await erinPage.getByLabel("API key").fill(key);
    await erinPage.getByRole("button", { name: "Sign in" }).click();
    await erinPage.getByText("Signed in as erin").waitFor();
    expect(await erinPage.getByLabel("Current matter").inputValue()).toBe("acme");
    expect((await fetch(`${t.url}/api/v1/documents?matter=globex`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Revoke user erin" }).click();
    await page.locator('tr[data-user="erin"]').waitFor({ state: "detached" });
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect(external).toEqual([]);
    await erin.close();
    await context.close();
  }, 30_000);

  it("ask page: drag-and-drop upload with a sniffed-format notice, ask this document, streamed answers with highlighted sources, conversations kept per matter", async () => {
    // Narrow enough that long source titles must wrap.
    const { context, page, external } = await signedIn("alice");
    await page.setViewportSize({ width: 760, height: 900 });

    // The favicon is served (no 404 in the console).
    const icon = await page.request.get(`${t.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toMatch(/icon/);
    expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));

    // The NDA (already there when the first test ran: then unchanged).
    await page.getByLabel(/Upload documents/).setInputFiles({ name: "mutual-nda.txt", mimeType: "text/plain", buffer: Buffer.from(NDA) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator("#upload-status li", { hasText: /^mutual-nda\.txt: (added|unchanged)/ }).waitFor();
    expect(await page.locator("#upload-status .notice").count()).toBe(0);

    // A text file named .pdf, dropped on the Documents panel: uploaded, and the notice says it was sniffed.
    const drop = await page.evaluateHandle((text) => {
      // In the page (this test's tsconfig has no DOM lib, so the page's globals are typed here).
      const w = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string, o: { type: string }) => unknown };
      const dt = new w.DataTransfer();
      dt.items.add(new w.File([text], "commercial-lease.pdf", { type: "application/pdf" }));
      return dt;
    }, LEASE);
    await page.locator("#dropzone").dispatchEvent("drop", { dataTransfer: drop });
    const uploaded = page.locator("#upload-status li", { hasText: "commercial-lease.pdf: added" });
    await uploaded.waitFor();
    expect(await uploaded.locator(".notice").textContent()).toBe("Format sniffed: 'commercial-lease.pdf' is named .pdf but holds plain text; it was read as plain text (the format is sniffed from the content, not taken from the name).");
    await page.getByRole("cell", { name: "commercial-lease.pdf" }).waitFor();

    // Read: the pop-up is titled with the document's title.
    const ndaRow = page.locator("#documents tr", { hasText: "mutual-nda.txt" });
    const ndaTitle = (await ndaRow.locator("td").first().textContent())!;
    await ndaRow.getByRole("button", { name: `Read ${ndaTitle}`, exact: true }).click();
    await page.locator("#passage").waitFor();
    expect(await page.locator("#passage-title").textContent()).toBe(ndaTitle);
    expect(ndaTitle).not.toBe("Cited passage");
    await page.getByRole("button", { name: "Close" }).click();

    // Ask this document: the Ask tab opens limited to it.
    await ndaRow.getByRole("button", { name: `Ask ${ndaTitle}`, exact: true }).click();
    expect(await page.getByRole("tab", { name: "Search & ask" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.locator("#scope-summary").textContent()).toBe(ndaTitle);
    expect(await page.locator("#doc-picker input:checked").count()).toBe(1);

    // The answer streams in (passages first, then the answer), cites the NDA only, and shows its sources.
    const streamed: string[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith("/api/v1/ask")) streamed.push(r.headers()["content-type"] ?? "");
    });
    await page.getByLabel("Question or search terms").fill("How much notice is needed to terminate?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const firstTurn = page.locator("#thread li.turn").first();
    await firstTurn.locator(".sources li").first().waitFor();
    expect(streamed).toEqual([expect.stringMatching(/^text\/event-stream/)]);
    expect(await firstTurn.locator(".question").textContent()).toBe("Q: How much notice is needed to terminate?");
    const sources = await firstTurn.locator(".sources .source-title").allTextContents();
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(s).toContain("mutual-nda.txt");
    expect(await firstTurn.locator(".sources .quote mark").first().textContent()).toContain("notice");
    // Passages below: query terms highlighted, the cited one marked.
    await page.locator("#hits li .snippet mark").first().waitFor();
    expect((await page.locator("#hits li .snippet mark").allTextContents()).map((m) => m.toLowerCase())).toContain("notice");
    expect(await page.locator("#hits li.cited .meta").first().textContent()).toMatch(/^cited \[1\](\[\d\])* · /);
    // A long source title wraps beside its number, never under it (on a narrow window).
    await page.setViewportSize({ width: 420, height: 900 });
    const layout = await firstTurn.locator(".sources li").first().evaluate((li) => {
      const num = li.querySelector(".num")!.getBoundingClientRect();
      const title = li.querySelector(".source-title")!.getBoundingClientRect();
      return { numRight: num.right, titleLeft: title.left, titleHeight: title.height, lineHeight: parseFloat((globalThis as unknown as { getComputedStyle(n: unknown): { lineHeight: string } }).getComputedStyle(li.querySelector(".source-title")).lineHeight) || 20 };
    });
    expect(layout.titleLeft).toBeGreaterThanOrEqual(layout.numRight);
    expect(layout.titleHeight).toBeGreaterThan(1.5 * layout.lineHeight);
    await page.setViewportSize({ width: 760, height: 900 });
    // The citation opens the Read pop-up titled with the document, the sentence highlighted.
    await firstTurn.getByRole("button", { name: /^Citation 1:/ }).click();
    await page.locator("#passage mark").waitFor();
    expect(await page.locator("#passage-title").textContent()).toBe(ndaTitle);
    expect(await page.locator("#passage mark").textContent()).toContain("notice");
    await page.getByRole("button", { name: "Close" }).click();

    // The conversation is kept, titled with its first question; a follow-up keeps the scope.
    const list = page.locator("#conversations");
    await list.getByRole("button", { name: "How much notice is needed to terminate?", exact: true }).waitFor();
    await page.getByLabel("Question or search terms").fill("Which law governs it?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.locator("#thread li.turn").nth(1).locator(".sources li").first().waitFor();
    expect(await page.locator("#thread li.turn").nth(1).locator(".quote").first().textContent()).toContain("Delaware");
    expect(await page.locator("#thread li.turn").count()).toBe(2);

    // Through the API: stored in the matter, with both turns and the NDA as its scope.
    const listed = (await (await fetch(`${t.url}/api/v1/conversations?matter=acme`, { headers: t.auth("alice") })).json()) as { conversations: { id: string; title: string; turnCount: number; documentIds: string[] }[] };
    const kept = listed.conversations.find((c) => c.title === "How much notice is needed to terminate?")!;
    expect(kept).toMatchObject({ turnCount: 2 });
    expect(kept.documentIds).toHaveLength(1);

    // After a reload, the conversation opens again with its history.
    await page.reload();
    await page.getByText("Signed in as alice").waitFor();
    await page.getByRole("tab", { name: "Search & ask" }).click();
    await list.getByRole("button", { name: "How much notice is needed to terminate?", exact: true }).click();
    await page.locator("#thread li.turn").nth(1).waitFor();
    expect(await page.locator("#thread-title").textContent()).toBe("How much notice is needed to terminate?");
    expect(await page.locator("#thread li.turn .question").allTextContents()).toEqual(["Q: How much notice is needed to terminate?", "Q: Which law governs it?"]);
    expect(await page.locator("#scope-summary").textContent()).toBe(ndaTitle);

    // A new conversation over all documents, then deleted.
    await page.locator("#scope summary").click(); // the picker folds away; it opens by its summary
    await page.getByRole("button", { name: "Ask all documents" }).click();
    expect(await page.locator("#thread li.turn").count()).toBe(0);
    expect(await page.locator("#scope-summary").textContent()).toBe("all documents in the matter");
    await page.getByLabel("Question or search terms").fill("When is the rent due?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.locator("#thread li.turn .sources li").first().waitFor();
    expect(await page.locator("#thread li.turn .source-title").first().textContent()).toContain("commercial-lease.pdf");
    page.once("dialog", (d) => void d.accept());
    await list.getByRole("button", { name: "Delete conversation When is the rent due?" }).click();
    await list.getByRole("button", { name: "When is the rent due?", exact: true }).waitFor({ state: "detached" });
    expect(await page.locator("#thread li.turn").count()).toBe(0);

    // Another matter's attorney sees none of acme's conversations, and cannot open one by id.
    expect((await fetch(`${t.url}/api/v1/conversations/${kept.id}`, { headers: t.auth("bob") })).status).toBe(404);
    expect((await fetch(`${t.url}/api/v1/conversations?matter=acme`, { headers: t.auth("bob") })).status).toBe(403);

    expect(external).toEqual([]);
    await context.close();
  }, 60_000);

  it("OCR: a scanned page uploaded as PNG shows its OCR status, and the Read pop-up opens the page image beside the text", async () => {
    const { context, page, external } = await signedIn("alice");
    // A real scan-like image: Chromium draws a contract line and screenshots it (no text layer, OCR must read it).
    const scanPage = await context.newPage();
    await scanPage.setContent(`<body style="margin:0;background:#fff"><p id="t" style="font:30px/1.4 'DejaVu Serif',serif;margin:40px;width:900px;color:#111">MASTER SERVICES AGREEMENT. The Supplier shall deliver the Quarterly Report within thirty days.</p></body>`);
    const scan = await scanPage.locator("#t").screenshot();
    await scanPage.close();
    await page.getByLabel(/Upload documents/).setInputFiles({ name: "signed-scan.png", mimeType: "image/png", buffer: scan });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator("#upload-status li", { hasText: /^signed-scan\.png: (added|unchanged)/ }).waitFor({ timeout: 120_000 });

    // The documents table says OCR read it, with its confidence.
    const row = page.locator("#documents tr", { hasText: "signed-scan.png" });
    expect(await row.locator("td").nth(2).textContent()).toMatch(/^image · OCR 1 page\(s\), \d+%$/);
    await row.getByRole("button", { name: /^Read / }).click();
    const dialog = page.locator("#passage");
    await dialog.waitFor();
    expect(await page.locator("#passage-text").textContent()).toMatch(/Quarterly Report/);
    expect(await page.locator("#passage-ocr").textContent()).toMatch(/^OCR \(tesseract[.-](js|cli)\) on 1 page\(s\), mean confidence \d+%$/);
    expect(await page.getByLabel("Page", { exact: true }).inputValue()).toBe("1");

    // The page image opens beside the text, drawn by the server from the stored original.
    await page.getByRole("button", { name: "Show page image" }).click();
    const image = page.locator("#passage-image");
    await page.locator("#passage-figure:not([hidden])").waitFor();
    await page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { getElementById(id: string): { complete: boolean; naturalWidth: number } | null } }).document.getElementById("passage-image");
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    const size = await image.evaluate((img) => ({ w: (img as unknown as { naturalWidth: number }).naturalWidth, h: (img as unknown as { naturalHeight: number }).naturalHeight }));
    const png = { w: scan.readUInt32BE(16), h: scan.readUInt32BE(20) };
    expect(size).toEqual(png);
    expect(await image.getAttribute("alt")).toMatch(/^Page 1 of /);
    expect(await page.locator("#passage-image-caption").textContent()).toMatch(/^Page 1 of 1 · OCR text, confidence \d+%$/);
    // Side by side: the image's box starts to the right of the text's.
    const textBox = (await page.locator("#passage-text").boundingBox())!;
    const figureBox = (await page.locator("#passage-figure").boundingBox())!;
    expect(figureBox.x).toBeGreaterThan(textBox.x + textBox.width - 1);

    // A page that does not exist is explained, not shown broken.
    await page.getByLabel("Page", { exact: true }).fill("2");
    await page.getByRole("button", { name: "Show page image" }).click();
    await page.locator("#passage-image-caption.error").getByText(/page 2 does not exist/).waitFor();
    expect(external).toEqual([]);
    await context.close();
  }, 180_000);

  it("the Matter field is marked only where a matter is needed: not on the Models and Agents tabs", async () => {
    const { context, page, external } = await signedIn("alice");
    await page.getByLabel("Current matter").fill("");
    await page.getByRole("tab", { name: "Workflows" }).click();
    await page.getByRole("button", { name: "Load example" }).click();
    await page.getByRole("button", { name: "Start run" }).click();
    await page.locator("#wf-error").getByText(/Pick a matter first/).waitFor();
    const matterField = page.getByLabel("Current matter");
    expect(await matterField.getAttribute("aria-invalid")).toBe("true");
    const border = () => matterField.evaluate((i) => (globalThis as unknown as { getComputedStyle(n: unknown): { borderTopColor: string } }).getComputedStyle(i).borderTopColor); // in the page (no DOM lib here)
    const red = await border();
    for (const tab of ["Models", "Agents"]) {
      await page.getByRole("tab", { name: tab }).click();
      expect(await matterField.getAttribute("aria-invalid")).toBeNull();
      expect(await border()).not.toBe(red);
    }
    expect(external).toEqual([]);
    await context.close();
  }, 30_000);
  it("a page of another origin cannot reach the API: its requests (no-cors GET, a POST, an image) are refused with 403 before any key check, and the UI's own requests are not", async () => {
    // Another site the user visits, here a page served from a second loopback port (the same site, another origin).
    const target = `${t.url}/api/v1/me`;
    const html = `<!doctype html><title>elsewhere</title><img src="${target}?img"><script>
      fetch("${target}?get", { mode: "no-cors" });
      fetch("${target.replace("/me", "/search")}?post", { method: "POST", mode: "no-cors", body: "{}", headers: { authorization: "Bearer ${t.keys.alice}" } });
    </script>`;
    const other = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as { port: number }).port;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The status as it came off the wire (Chromium blocks the page and Playwright from seeing an opaque response's).
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      const tagById = new Map<string, string>();
      const statusById = new Map<string, number>();
      cdp.on("Network.requestWillBeSent", (e) => {
        if (e.request.url.startsWith(t.url)) tagById.set(e.requestId, new URL(e.request.url).search.slice(1));
      });
      // CDP may report a response's extra info before the request it belongs to: both are kept by id and joined.
      cdp.on("Network.responseReceivedExtraInfo", (e) => statusById.set(e.requestId, e.statusCode));
      const statuses = (): Record<string, number> => Object.fromEntries([...tagById].filter(([id]) => statusById.has(id)).map(([id, tag]) => [tag, statusById.get(id)!]));
      await page.goto(`http://127.0.0.1:${port}/`);
      for (let i = 0; i < 200 && Object.keys(statuses()).length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(statuses()).toEqual({ img: 403, get: 403, post: 403 });
    } finally {
      await context.close();
      await new Promise((resolve) => other.close(resolve));
    }
    // The UI itself (same origin: its fetches carry Origin and Sec-Fetch-Site: same-origin) still signs in and reads.
    const { context: ui, page, external } = await signedIn("victor");
    await page.getByRole("tab", { name: "Models" }).click();
    expect(external).toEqual([]);
    await ui.close();
  }, 60_000);
});
