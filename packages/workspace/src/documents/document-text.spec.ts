import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { PiiScrubber } from "@bear/security";
import { readDocumentText } from "./document-text";

/** What a reader of the rendered file sees: markdown-it's HTML without its tags, its own escapes undone. */
function rendered(markdown: string): string {
  const html = new MarkdownIt({ html: true }).render(markdown);
  return html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

describe("readDocumentText + copyOf: a Markdown file is redacted as a reader sees it, keeping its layout (rev12 #15)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-md-redact-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("leaves no name or mailbox written as character references or split by inline HTML in the rendered copy", async () => {
    const file = path.join(dir, "intake.md");
    const source = [
      "# Intake note",
      "",
      "Our client Ms. Ren&eacute;e Dupont-Lef&egrave;vre wrote from &#113;&#117;&#111;&#114;&#118;&#97;&#108;&#101;&#64;example.org on 3 March.",
      "",
      "- Opposing party: Mr. Tobi<span>as</span> Wen<!-- -->delkraut (call **+1 415 555 0137**)",
      "- Her adviser, Dr. Ma&#x0142;gorzata Kry&#347;kiewicz, reads at <maly.kryskiewicz@example.net>.",
      "",
    ].join("\n");
    fs.writeFileSync(file, source);
    const doc = await readDocumentText(file);
    expect(doc.format).toBe("markdown");
    expect(doc.text).toContain("Ms. Renée Dupont-Lefèvre wrote from quorvale@example.org");
    const result = await new PiiScrubber().scrub(doc.text, { documentId: "intake" });
    const copy = doc.copyOf(result);
    const shown = rendered(copy);
    for (const leak of ["Renée", "Dupont", "Lefèvre", "quorvale", "Tobias", "Wendelkraut", "Małgorzata", "Kryśkiewicz", "maly.kryskiewicz", "555 0137"]) expect([leak, shown.includes(leak)]).toEqual([leak, false]);
    // the layout stays: heading, list, emphasis and the autolink's brackets are the source's own
    expect(copy.startsWith("# Intake note\n\nOur client Ms. <PERSON_1>")).toBe(true);
    expect(copy).toContain("\n- Opposing party: Mr. ");
    expect(copy).toContain("(call **");
    // a reader's offset maps into the file: the e-mail's offset in the text is where its first reference starts
    expect(doc.sourceOffset(doc.text.indexOf("quorvale@"))).toBe(source.indexOf("&#113;"));
  });

  it("leaves no name split by emphasis inside a word or written with backslash escapes in the rendered copy (sec14)", async () => {
    const file = path.join(dir, "split.md");
    const source = [
      "# File note",
      "",
      "Our client Ms. Ren**ée** Dupont-Lef*èvre* wrote from quor\\_vale\\@example.org on 3 March.",
      "",
      "- Opposing party: Mr. Tobi**as** Wen*del*kraut (call **+1 415 555 0137**)",
      "- Her adviser, Dr. Małgorzata Kryś**kie**wicz, copied Ms. Ingrid\\-Marlene Voss\\*.",
      "",
    ].join("\n");
    fs.writeFileSync(file, source);
    const doc = await readDocumentText(file);
    const result = await new PiiScrubber().scrub(doc.text, { documentId: "split" });
    const shown = rendered(doc.copyOf(result));
    for (const leak of ["Renée", "Dupont", "Lefèvre", "quor_vale", "Tobias", "Wendelkraut", "Kryśkiewicz", "Ingrid-Marlene", "Voss", "555 0137"]) expect([leak, shown.includes(leak)]).toEqual([leak, false]);
    expect(doc.text).toContain("Ms. Renée Dupont-Lefèvre wrote from quor_vale@example.org");
    expect(shown.match(/\*/g)).toEqual(["*"]); // the escaped star, shown; no stray one where a pair lost its other half
  });

  it("leaves no value in a comment, an attribute, or text taken for markup that a renderer shows (R14-1)", async () => {
    // Before: the reader's text alone was scanned and each tag and comment copied as it was, so these stayed
    const cases: readonly (readonly [string, string, readonly string[]])[] = [
      ["comment", "# Note\n\nThe lease is agreed.\n\n<!-- Client: Jane Okafor, jane.okafor@example.com, +1 415 555 0137 -->\n\nSigned.\n", ["Okafor", "jane.okafor", "555 0137"]],
      ["attributes", 'See <a href="mailto:jane.okafor@example.com" title="Jane Okafor">the client</a> and <img alt="Photo of Jane Okafor" src="x.png">.\n', ["Okafor", "jane.okafor"]],
      ["a comment opened in a code span", "Write `<!--` to open a comment.\n\nClient: Jane Okafor, jane.okafor@example.com, phone +1 415 555 0137.\n\nClose it with `-->`.\n", ["Okafor", "jane.okafor", "555 0137"]],
      ["no tag for CommonMark", "Call <b Jane Okafor (jane.okafor@example.com), +1 415 555 0137> today.\n", ["Okafor", "jane.okafor", "555 0137"]],
      ["a tag left open over paragraphs", "Use a <b\n\nClient: Jane Okafor, jane.okafor@example.com.\n\nwhere 3 > 2.\n", ["Okafor", "jane.okafor"]],
    ];
    for (const [what, source, values] of cases) {
      const file = path.join(dir, `hidden-${what.replace(/\W+/g, "-")}.md`);
      fs.writeFileSync(file, source);
      const doc = await readDocumentText(file);
      const result = await new PiiScrubber().scrub(doc.scanText, { documentId: what });
      const copy = doc.copyOf(result);
      for (const value of values) expect([what, value, copy.includes(value), rendered(copy).includes(value)]).toEqual([what, value, false, false]);
      // what the reader sees is still what ingest reads; the report's offsets land in the file
      expect(doc.scanText.startsWith(doc.text)).toBe(true);
      for (const f of result.findings) expect(doc.sourceOffset(f.start)).toBeLessThan(source.length);
    }
  });
});
