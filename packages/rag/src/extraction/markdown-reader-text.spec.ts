import fc from "fast-check";
import { extractDocument } from "./extract-document";
import { markdownReaderText, rewriteMarkdownSource } from "./markdown-reader-text";

/** A Markdown source made of pieces whose reader text is known: plain text, character references, tags, comments, emphasis, escapes. */
const plain = fc.stringMatching(/^[A-Za-z0-9 .,@#\n-]{0,12}$/);
const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
const letter = fc.constantFrom(..."abcdejnéèüßİ@.ÉØ".split(""));
const piece = fc.oneof(
  plain.map((t) => ({ source: t, shown: t })),
  letter.map((c) => ({ source: `&#${c.codePointAt(0)};`, shown: c })),
  letter.map((c) => ({ source: `&#x${(c.codePointAt(0) ?? 0).toString(16)};`, shown: c })),
  fc.constantFrom<[string, string]>(["&eacute;", "é"], ["&Eacute;", "É"], ["&egrave;", "è"], ["&szlig;", "ß"], ["&amp;", "&"], ["&commat;", "@"], ["&uuml;", "ü"]).map(([source, shown]) => ({ source, shown })),
  fc.constantFrom("<span>", "</span>", '<b class="x">', "<br/>", "<!-- note -->", "<em\n>").map((t) => ({ source: t, shown: "" })),
  // shown as written: unknown names, no semicolon, autolinks, a lone "<"
  fc.constantFrom("&bogus;", "&eacute", "& x;", "<https://example.com>", "<jane@example.com>", "a < b", "<1>").map((t) => ({ source: t, shown: t })),
  // emphasis around and inside a word (shown without its delimiters), and delimiters that open or close nothing
  fc.tuple(word, word, fc.constantFrom("*", "**", "***", "_", "__")).map(([a, b, d]) => ({ source: ` ${d}${a}${b}${d} `, shown: ` ${a}${b} ` })),
  fc.tuple(word, word, fc.constantFrom("*", "**")).map(([a, b, d]) => ({ source: ` ${a}${d}${b}${d} `, shown: ` ${a}${b} ` })),
  fc.constantFrom(" snake_case ", " 5 * 3 ", " * ", " __ ").map((t) => ({ source: t, shown: t })),
  // backslash escapes: the character alone, never a delimiter, reference or tag
  fc.constantFrom<[string, string]>(["\\*", "*"], ["\\_", "_"], ["\\&amp;", "&amp;"], ["\\<span>", "<span>"], ["\\\\", "\\"]).map(([source, shown]) => ({ source, shown })),
);

describe("markdownReaderText: the text a reader of the rendered file sees, mapped back to the source", () => {
  it("decodes references, drops inline HTML, copies the rest, and maps every span back to the source it came from", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const source = pieces.map((p) => p.source).join("");
        const reader = markdownReaderText(source);
        expect(reader.text).toBe(pieces.map((p) => p.shown).join(""));
        // the tags and comments it removed follow in scanText, each after a blank line (R14-1)
        expect(reader.scanText).toBe([reader.text, ...pieces.filter((p) => p.shown === "" && p.source !== "").map((p) => p.source)].join("\n\n"));
        // each piece's reader span maps onto (a span covering) its source span, each removed piece's onto itself
        let r = 0;
        let s = 0;
        let hiddenAt = reader.text.length;
        for (const p of pieces) {
          if (p.shown === "" && p.source !== "") {
            hiddenAt += 2;
            expect(reader.sourceSpans(hiddenAt, hiddenAt + p.source.length)).toEqual([{ start: s, end: s + p.source.length }]);
            hiddenAt += p.source.length;
          }
          if (p.shown.length > 0 && p.shown === p.source) expect(reader.sourceSpan(r, r + p.shown.length)).toEqual({ start: s, end: s + p.source.length });
          else if (p.shown.length > 0) {
            const span = reader.sourceSpan(r, r + p.shown.length);
            expect(source.slice(span.start, span.end)).toContain(p.source);
          }
          r += p.shown.length;
          s += p.source.length;
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("rewrites values where the reader saw them: the rewritten file shows the replacements and nothing of the values", () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat(6)), { maxLength: 4 }), (pieces, cuts) => {
        const source = pieces.map((p) => p.source).join("");
        const reader = markdownReaderText(source);
        const n = reader.text.length;
        if (n === 0) return;
        // non-overlapping spans of the reader's text, each replaced by a placeholder
        const spans = [...new Map(cuts.map(([at, len]) => [at % n, Math.min(n, (at % n) + 1 + len)])).entries()].sort((a, b) => a[0] - b[0]);
        const kept: { start: number; end: number; text: string }[] = [];
        for (const [start, end] of spans) if (start >= (kept[kept.length - 1]?.end ?? 0)) kept.push({ start, end, text: `[V${kept.length + 1}]` });
        const rewritten = markdownReaderText(rewriteMarkdownSource(source, reader, kept)).text;
        let expected = "";
        let at = 0;
        for (const k of kept) {
          expected += reader.text.slice(at, k.start) + k.text;
          at = k.end;
        }
        expected += reader.text.slice(at);
        // a span that ends inside a tag's neighbourhood may take the tag with it (never a shown character more)
        if (!/[*_]/.test(source)) expect(rewritten).toBe(expected);
        // a placeholder beside a literal star can make it open or close emphasis (stars shown or hidden), nothing else
        else expect(rewritten.replace(/[*_]/g, "")).toBe(expected.replace(/[*_]/g, ""));
      }),
      { numRuns: 1500 },
    );
  });

  it("reads the reviewer's examples as a reader does (rev12 #15)", () => {
    const source = "Contact Ren&eacute;e Dupont-Lef&egrave;vre at &#106;&#97;&#110;&#101;&#64;example.com or Ja<span>ne</span> Ok<!-- -->afor.";
    const reader = markdownReaderText(source);
    expect(reader.text).toBe("Contact Renée Dupont-Lefèvre at jane@example.com or Jane Okafor.");
    const email = reader.text.indexOf("jane@");
    expect(rewriteMarkdownSource(source, reader, [{ start: email, end: email + "jane@example.com".length, text: "<EMAIL_1>" }])).toBe(
      "Contact Ren&eacute;e Dupont-Lef&egrave;vre at <EMAIL_1> or Ja<span>ne</span> Ok<!-- -->afor.",
    );
  });

  it("reads a name split by emphasis or written with escapes whole, and replaces it with its emphasis (sec14)", () => {
    const source = "Ja**ne** Oka*for* met **Tobi**as and Marie\\_Curie; keep snake_case, 5 * 3, \\*not emphasis\\* and __init__.";
    const reader = markdownReaderText(source);
    expect(reader.text).toBe("Jane Okafor met Tobias and Marie_Curie; keep snake_case, 5 * 3, *not emphasis* and init.");
    const at = (value: string): { start: number; end: number } => ({ start: reader.text.indexOf(value), end: reader.text.indexOf(value) + value.length });
    expect(rewriteMarkdownSource(source, reader, [{ ...at("Jane Okafor"), text: "<PERSON_1>" }, { ...at("Tobias"), text: "<PERSON_2>" }, { ...at("Marie_Curie"), text: "<PERSON_3>" }])).toBe(
      "<PERSON_1> met <PERSON_2> and <PERSON_3>; keep snake_case, 5 * 3, \\*not emphasis\\* and __init__.",
    );
    // a value inside emphasis keeps it; one beside a delimiter that sits in a word takes the pair with it
    expect(rewriteMarkdownSource("Signed by **Jane** Ja**ne**", markdownReaderText("Signed by **Jane** Ja**ne**"), [{ start: 10, end: 14, text: "<P>" }, { start: 17, end: 19, text: "<Q>" }])).toBe("Signed by **<P>** Ja<Q>");
  });

  it("scans what the file keeps but the reader does not see: each comment and tag after the text, mapped back in place (R14-1)", () => {
    const source = 'Hi <a href="mailto:ab@x.org" title="Ann">Ann</a>.<!-- Bo Cy -->\n\nUse `<b Di Ed>` here.\n';
    const reader = markdownReaderText(source);
    expect(reader.text).toBe("Hi Ann.\n\nUse `` here.\n");
    expect(reader.scanText).toBe(`${reader.text}\n\n<a href="mailto:ab@x.org" title="Ann">\n\n</a>\n\n<!-- Bo Cy -->\n\n<b Di Ed>`);
    // every character of a removed piece maps onto itself in the source
    for (const value of ["ab@x.org", 'title="Ann"', "Bo Cy", "Di Ed"]) {
      const at = reader.scanText.lastIndexOf(value);
      expect(reader.sourceSpans(at, at + value.length)).toEqual([{ start: source.indexOf(value), end: source.indexOf(value) + value.length }]);
      expect(reader.sourceSpan(at, at + value.length)).toEqual({ start: source.indexOf(value), end: source.indexOf(value) + value.length });
    }
    // a span over the blank lines between pieces maps to nothing; one running from a piece into the next maps to both
    const gap = reader.scanText.indexOf("\n\n</a>");
    expect(reader.sourceSpans(gap, gap + 2)).toEqual([]);
    expect(reader.sourceSpans(gap - 2, gap + 4).map((s) => source.slice(s.start, s.end))).toEqual(['">', "</"]);
    const replace = (value: string, text: string) => ({ start: reader.scanText.lastIndexOf(value), end: reader.scanText.lastIndexOf(value) + value.length, text });
    const visible = reader.text.indexOf("Ann");
    const copy = rewriteMarkdownSource(source, reader, [
      { start: visible, end: visible + 3, text: "<P1>" },
      replace("ab@x.org", "<E1>"),
      replace("Ann", "<P1>"),
      replace("Bo Cy", "<P2>"),
      replace("Di Ed", "<P3>"),
    ]);
    expect(copy).toBe('Hi <a href="mailto:<E1>" title="<P1>"><P1></a>.<!-- <P2> -->\n\nUse `<b <P3>>` here.\n');
    // a value that starts in the text and runs on into a removed piece: both parts go, the text's part takes the placeholder
    const spill = rewriteMarkdownSource(source, reader, [{ start: reader.text.indexOf("here"), end: reader.scanText.indexOf("<a hr") + 5, text: "<X>" }]);
    expect(spill).toBe('Hi ef="mailto:ab@x.org" title="Ann">Ann</a>.<!-- Bo Cy -->\n\nUse `<b Di Ed>` <X>');
  });

  it("is the text extraction indexes for a Markdown file, so search and scrubOnIngest see the names a reader sees", async () => {
    const md = "# Engagement\n\nSigned by **Ren&eacute;e Dupont-Lef&egrave;vre** (&#106;&#97;&#110;&#101;&#64;example.com), with Ja<span>ne</span> Okafor.\n";
    const doc = await extractDocument("engagement.md", new TextEncoder().encode(md));
    expect(doc.format).toBe("markdown");
    expect(doc.text).toBe("# Engagement\n\nSigned by Renée Dupont-Lefèvre (jane@example.com), with Jane Okafor.\n");
  });

  it("stays linear on hostile runs (unclosed comments, tags without an end, references without a semicolon)", () => {
    for (const unit of ["<!--", "<a ", "&#1", "&", "<", "<a b=\"", "\\&amp;", "*a", "a*", "_a_ ", "**", "\\*", "\n", "a_", "<b>", "<!---->"]) {
      const source = unit.repeat(200_000 / unit.length);
      const started = process.cpuUsage();
      const reader = markdownReaderText(source);
      reader.sourceSpans(0, reader.scanText.length); // every removed piece at once
      const used = process.cpuUsage(started);
      expect([unit, (used.user + used.system) / 1000 < 1_500]).toEqual([unit, true]);
    }
  });
});
