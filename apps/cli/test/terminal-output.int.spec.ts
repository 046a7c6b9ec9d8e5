// Attack (rev12 #19): names that did not come from the user's command line reach the terminal in the CLI's report
// lines: a file found in a folder (any byte but '/' and NUL), an e-mail attachment's name, a title read from a
// document, a snippet of its text. ESC/CSI/OSC sequences in them rewrite the report on screen ("\x1b[2K\x1b[1A" erases
// the line above, e.g. a failure; OSC 0 sets the window title), a bidi override reverses what follows. Every such
// string is now printed through core's terminalSafe: the controls are shown as escapes, never sent raw.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, removeTempDirs, tempDir } from "./harness";

/** What a terminal acts on, except the line feeds that end the CLI's own lines. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("bear's report lines print found names and document text safe for the terminal", () => {
  afterAll(removeTempDirs);

  it("ingest, documents list and search show hostile file names, titles and snippets escaped, not raw", () => {
    const ws = initWorkspace("terminal-output");
    const dir = tempDir("terminal-output-docs");
    const docs = path.join(dir, "docs");
    fs.mkdirSync(docs);
    // added: a name that erases the line above and prints a fake summary
    fs.writeFileSync(path.join(docs, "\x1b[2K\x1b[1A0 failed.txt"), "\x1b]0;quietly retitled\x07LEASE OF THE QUORVANT WAREHOUSE\n\nThe tenant pays rent to Quorvant\x1b[2K\x1b[1A monthly.\n");
    // failed: a zip that is no Word file, whose name sets the window title; the error message quotes the name
    fs.writeFileSync(path.join(docs, "\x1b]0;owned\x07brief.docx"), "PK\x03\x04 not a zip archive after its signature");
    // read by content, not extension (a formatNote naming the file), with a bidi override and a C1 CSI
    fs.writeFileSync(path.join(docs, "memo\u202Efdp.\u009b31mtxt.pdf"), "MEMO ON QUORVANT\n\nQuorvant renewal terms are agreed.\n");

    const ingest = bear(["--data-dir", ws, "ingest", "docs", "--matter", "acme", "--no-progress"], { cwd: dir });
    expect(ingest.status).toBe(3); // one file failed
    const list = bear(["--data-dir", ws, "documents", "list"], { cwd: dir });
    const search = bear(["--data-dir", ws, "search", "quorvant"], { cwd: dir });
    // an extractive answer quotes the document's sentences, streamed as they come: several lines, controls escaped
    const ask = bear(["--data-dir", ws, "ask", "who pays rent to Quorvant", "--extractive"], { cwd: dir });
    // a review report printed to the terminal names the file and quotes its clauses (Markdown, and JSON as JSON)
    const review = bear(["--data-dir", ws, "review", path.join(docs, "\x1b[2K\x1b[1A0 failed.txt")], { cwd: dir });
    const reviewJson = bear(["--data-dir", ws, "review", path.join(docs, "memo\u202Efdp.\u009b31mtxt.pdf"), "--format", "json"], { cwd: dir });
    for (const [what, run] of [["ingest", ingest], ["documents list", list], ["search", search], ["ask", ask], ["review", review], ["review --format json", reviewJson]] as const) {
      const shown = `${run.stdout}${run.stderr}`;
      expect([what, RAW_CONTROL.exec(shown)?.[0]]).toEqual([what, undefined]);
    }
    const ingestShown = `${ingest.stdout}${ingest.stderr}`;
    expect(ingestShown).toContain("\\x1b[2K\\x1b[1A0 failed.txt"); // the name, escaped, on its outcome line
    expect(ingestShown).toContain("\\x1b]0;owned\\x07brief.docx"); // the failed file and its error message
    expect(ingestShown).toContain("memo\\u202efdp.\\x9b31mtxt.pdf"); // the note "read by its content"
    expect(search.stdout).toMatch(/quorvant/i);
    expect(search.status).toBe(0);
    expect(ask.stdout).toContain("Quorvant\\x1b[2K\\x1b[1A monthly");
    expect([review.status, reviewJson.status]).toEqual([0, 0]);
    expect(JSON.stringify(JSON.parse(reviewJson.stdout))).toContain("memo\u202Efdp.\u009b31mtxt.pdf");

    // --json: JSON.stringify escapes C0 but leaves C1 and bidi controls raw; they are written as \uXXXX escapes too
    const listJson = bear(["--data-dir", ws, "documents", "list", "--json"], { cwd: dir });
    const searchJson = bear(["--data-dir", ws, "search", "quorvant", "--json"], { cwd: dir });
    const ingestJson = bear(["--data-dir", ws, "ingest", "docs", "--matter", "acme", "--json"], { cwd: dir });
    for (const [what, run] of [["documents list --json", listJson], ["search --json", searchJson], ["ingest --json", ingestJson]] as const) {
      expect([what, RAW_CONTROL.exec(`${run.stdout}${run.stderr}`)?.[0]]).toEqual([what, undefined]);
    }
    expect(listJson.stdout).toContain("memo\\u202efdp.\\u009b31mtxt.pdf");
    // and JSON.parse reads back the name as it is
    expect(JSON.stringify(JSON.parse(listJson.stdout))).toContain("memo\u202Efdp.\u009b31mtxt.pdf");
    expect(JSON.stringify(JSON.parse(searchJson.stdout))).toContain("memo\u202Efdp.\u009b31mtxt.pdf");
    expect(ingestJson.status).toBe(3);
  }, 180_000);
});
