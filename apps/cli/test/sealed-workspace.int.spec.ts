import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { distinctiveWords } from "./distinctive-words";
import { bear, removeTempDirs, samples, serve, tempDir } from "./harness";

/**
 * Issue 14's "nothing readable" check, end to end with the real `bear` and the real server it
 * serves: an encrypted workspace after CLI ingest, REST upload, a workflow that writes files,
 * review, redaction, search and a question holds none of the documents' distinctive words
 * anywhere under its folder (every file's bytes and every path: LanceDB data, SQLite and its WAL,
 * state/, caches, the audit log, uploads, the matters' workflow areas).
 */

const env = { BEAR_PASSPHRASE: "correct horse battery staple" };
const CLI_INGESTED = ["master-services-agreement.txt", "mutual-nda.md"];
const UPLOADED = "office-lease.html";
const REDACTED = "client-letter.eml";

/** Every file under `dir`: its path relative to `dir` and its bytes. */
function filesUnder(dir: string): { rel: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { rel: path.relative(dir, file), bytes: fs.readFileSync(file) };
    });
}

describe("an encrypted workspace after ingest, upload, a file-writing workflow, review and redaction", () => {
  let ws: string;
  let words: string[];
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    ws = path.join(tempDir("sealed-ws"), "ws");
    const files = tempDir("sealed-ws-files");
    const texts = [...CLI_INGESTED, UPLOADED, REDACTED].map((name) => {
      fs.copyFileSync(path.join(samples, name), path.join(files, name));
      return fs.readFileSync(path.join(samples, name), "utf8");
    });
    words = distinctiveWords(texts.join("\n"));

    expect(bear(["--data-dir", ws, "init", "--encrypt"], { env }).status).toBe(0);
    const ingest = bear(["--data-dir", ws, "--json", "ingest", ...CLI_INGESTED, "--matter", "acme"], { env, cwd: files });
    expect(ingest.status).toBe(0);

    const server = await serve(ws, [], { env });
    try {
      const auth = { authorization: `Bearer ${server.info.adminKey!}` };
      const api = async (route: string, body: unknown): Promise<Record<string, unknown>> => {
        const res = await fetch(`${server.info.url}${route}`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
        const answer = (await res.json()) as Record<string, unknown>;
        if (!res.ok) throw new Error(`${route}: ${res.status} ${JSON.stringify(answer)}`);
        return answer;
      };
      // REST upload
      const form = new FormData();
      form.append("file", new Blob([fs.readFileSync(path.join(files, UPLOADED))]), UPLOADED);
      const upload = await fetch(`${server.info.url}/api/v1/documents?matter=acme`, { method: "POST", headers: auth, body: form });
      expect(upload.status).toBe(201);
      const lease = ((await upload.json()) as { document: { id: string } }).document.id;

      // A workflow that finds a passage and writes it, under a file name of the document's own words, to the matter's area.
      const [nameWord, queryWord] = [words.find((w) => /^[A-Z]/.test(w))!, words.find((w) => texts[2]!.includes(w) && /^[A-Z]/.test(w))!];
      const excerpt = texts[0]!.slice(0, 600);
      const run = await api("/api/v1/workflows?wait=60", {
        name: "memo",
        matter: "acme",
        steps: [
          { id: "find", type: "tool_execution", parameters: { tool: "search", arguments: { query: queryWord } } },
          { id: "write", type: "file_operations", parameters: { operation: "write", path: `memos/${nameWord}/${queryWord}.txt`, content: excerpt } },
          { id: "more", type: "file_operations", parameters: { operation: "append", path: `memos/${nameWord}/${queryWord}.txt`, content: texts[1]!.slice(0, 400) } },
          { id: "back", type: "file_operations", parameters: { operation: "read", path: `memos/${nameWord}/${queryWord}.txt` } },
        ],
      });
      expect(run["status"]).toBe("completed");
      outputs["workflow"] = JSON.stringify(run["results"]);

      outputs["review"] = JSON.stringify(await api("/api/v1/review", { documentId: lease }));
      outputs["redact"] = JSON.stringify(await api("/api/v1/redact", { documentId: lease, matter: "acme" }));
      outputs["search"] = JSON.stringify(await api("/api/v1/search", { query: `${queryWord} rent`, matters: ["acme"] }));
      outputs["ask"] = JSON.stringify(await api("/api/v1/ask", { question: `Who is the landlord of ${queryWord}?`, matters: ["acme"] }));
    } finally {
      expect(await server.stop()).toBe(0);
    }

    // The CLI's review (cached report), redaction (a matter's placeholder table) and search (cached results).
    const review = bear(["--data-dir", ws, "--json", "review", CLI_INGESTED[0]!], { env, cwd: files });
    expect(review.status).toBe(0);
    outputs["cliReview"] = review.stdout;
    const redact = bear(["--data-dir", ws, "--json", "redact", REDACTED, "--matter", "acme", "-o", "letter.redacted.txt"], { env, cwd: files });
    expect(redact.status).toBe(0);
    outputs["cliRedact"] = fs.readFileSync(path.join(files, "letter.redacted.txt"), "utf8");
    const search = bear(["--data-dir", ws, "--json", "search", "Harborview indemnification"], { env });
    expect(search.status).toBe(0);
    outputs["cliSearch"] = search.stdout;
  }, 240_000);
  afterAll(removeTempDirs);

  it("the words grepped for are the documents' own (picked by rule) and the acts really handled them", () => {
    expect(words.length).toBeGreaterThan(30);
    expect(words).toEqual(expect.arrayContaining(["Harborview", "Lindqvist"]));
    expect(words).not.toContain("agreement");
    // Each act saw document text: a workspace that stored nothing would pass the grep for nothing.
    for (const [act, out] of Object.entries(outputs)) {
      if (act === "cliRedact") continue; // redacted: the names are gone, on purpose
      expect([act, words.some((w) => out.includes(w))]).toEqual([act, true]);
    }
  });

  it("holds none of those words in any file or file name under the workspace folder", () => {
    const everything = filesUnder(ws);
    expect(everything.length).toBeGreaterThan(20);
    for (const place of ["indexes", "state/workflows.db", "audit", "uploads", "workflows/matters", "cache/l2", "state/data-keys", "state/matters"]) {
      expect([place, everything.some((f) => f.rel.startsWith(place))]).toEqual([place, true]);
    }
    const leaks = new Set<string>();
    for (const word of words) {
      for (const form of new Set([word, word.toLowerCase(), word.toUpperCase()])) {
        for (const f of everything) {
          if (f.rel.includes(form)) leaks.add(`${form} in the path ${f.rel}`);
          else if (f.bytes.includes(form)) leaks.add(`${form} in ${f.rel}`);
        }
      }
    }
    expect([...leaks]).toEqual([]);
  });
});
