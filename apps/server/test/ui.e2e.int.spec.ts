import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser } from "playwright-core";
import { NDA, startTestServer, type TestServer } from "./support/test-server";

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
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

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
    await page.getByText(/Governing law: .*Delaware/).waitFor();

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
    await page.getByRole("cell", { name: "stories260K" }).waitFor();
    await page.getByRole("tab", { name: "Workflows" }).click();
    await page.locator("#panel-workflows table").waitFor();

    expect(external).toEqual([]);
    await context.close();
  }, 60_000);
});
