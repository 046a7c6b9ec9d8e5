// Signature blocks laid out in columns put two people on one line; a name must end at the column gap, and every
// word of both names must be redacted ("By: /s/ <PERSON_5> Roberts" left a surname in clear).
import fc from "fast-check";
import { PiiScanner } from "./pii-scanner";

const scanner = new PiiScanner();
const given = ["John", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "James", "Patricia", "Thomas", "Elizabeth", "Daniel", "Sarah", "Richard", "Jennifer", "Barry", "Ian", "Paul", "Ted"];
const family = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "Roberts", "Walker", "Harris", "Clark", "Lewis", "Robinson"];
const titles = ["President", "Chief Executive Officer", "Vice President", "General Manager", "Secretary", "CFO", "Managing Director", "Treasurer"];
const companies = ["ACME CORPORATION", "Northwind Traders, Inc.", "Globex Holdings LLC", "Initech Ltd."];

const initial = fc.constantFrom(..."ABCDEFGHJKLMNPRSTW".split("")).map((c) => `${c}.`);
const person = fc
  .record({ lead: fc.option(initial, { freq: 3 }), first: fc.constantFrom(...given), middle: fc.option(initial, { freq: 2 }), last: fc.constantFrom(...family) })
  .map(({ lead, first, middle, last }) => [lead, first, middle, last].filter((w): w is string => w !== null));
/** Three or more spaces or one or two tabs: how columns are laid out in extracted contracts. */
const gap = fc.oneof(fc.integer({ min: 3, max: 14 }).map((n) => " ".repeat(n)), fc.constantFrom("\t", "\t\t", " \t "));
const label = fc.constantFrom("By: /s/ ", "By:    /s/ ", "/s/ ", "Name: ", "By: ", "");

interface Block {
  readonly text: string;
  /** Where each word of each name stands. */
  readonly words: { start: number; end: number }[];
}

const block = fc
  .record({
    a: person,
    b: person,
    ta: fc.constantFrom(...titles),
    tb: fc.constantFrom(...titles),
    ca: fc.constantFrom(...companies),
    cb: fc.constantFrom(...companies),
    gaps: fc.array(gap, { minLength: 5, maxLength: 5 }),
    labels: fc.array(label, { minLength: 2, maxLength: 2 }),
    oneLine: fc.boolean(),
  })
  .map(({ a, b, ta, tb, ca, cb, gaps, labels, oneLine }): Block => {
    const words: { start: number; end: number }[] = [];
    let text = "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n";
    const add = (s: string, name?: readonly string[]): void => {
      if (name) {
        let at = text.length;
        for (const w of name) {
          const i = text.length + s.indexOf(w, at - text.length);
          words.push({ start: i, end: i + w.length });
          at = i + w.length;
        }
      }
      text += s;
    };
    const [g0, g1, g2, g3, g4] = gaps as [string, string, string, string, string];
    const eol = oneLine ? g4 : "\n";
    add(`${ca}${g0}${cb}${eol}`);
    add(labels[0] ?? "", undefined);
    add(a.join(" "), a);
    add(g1);
    add(labels[1] ?? "", undefined);
    add(b.join(" "), b);
    add(eol);
    add(a.join(" "), a);
    add(g2);
    add(b.join(" "), b);
    add(eol);
    add(`Title: ${ta}${g3}Title: ${tb}\n`);
    return { text, words };
  });

describe("signature blocks in columns", () => {
  it("redacts every word of both names, and no finding runs across a column gap", () => {
    fc.assert(
      fc.property(block, ({ text, words }) => {
        const findings = scanner.scan(text);
        for (const w of words) {
          const hit = findings.some((f) => f.start <= w.start && w.end <= f.end);
          if (!hit) throw new Error(`"${text.slice(w.start, w.end)}" at ${w.start} is left in clear in ${JSON.stringify(text)}`);
        }
        for (const f of findings) {
          const value = text.slice(f.start, f.end);
          if (/\t|[ \u00a0]{3}/.test(value)) throw new Error(`${f.type} "${value}" runs across a column gap`);
        }
      }),
      { numRuns: 1000 },
    );
    // 1000 whole scans: about 3 s alone, several times that on a loaded machine. The case below failed about once
    // in 2,500 blocks, so 200 runs found it in one CI run of 12 and 1000 find it in one of 3.
  }, 120_000);

  it("keeps the second column's name whole when the first column's name ends in a preposition's letters", () => {
    // fast-check's shrunk counterexample: the 12 characters before "A. John Jackson" on the typed line were
    // "in" of "Martin" and ten spaces, read as "in <place>", so the name became a place (and was dropped)
    const text =
      "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\nACME CORPORATION\tACME CORPORATION\n" +
      "By: /s/ John Martin   A. John Jackson\nJohn Martin          A. John Jackson\nTitle: President\tTitle: President\n";
    const people = scanner.scan(text).filter((f) => f.type === "PERSON").map((f) => text.slice(f.start, f.end));
    expect(people).toEqual(["John Martin", "A. John Jackson", "John Martin", "A. John Jackson"]);
  });

  it("keeps a company in the second column when the first column's name ends in an article's letters", () => {
    // "Costa   " cut to "a   " read as "a Delaware Holdings Corporation" (where a company was formed, no name)
    const text = "Ana Costa   Delaware Holdings Corporation\nBy: Ana Costa";
    const found = scanner.scan(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
    expect(found).toContain("ORGANIZATION:Delaware Holdings Corporation");
  });

  it("ends a name at three spaces or a tab in the line CUAD's extraction made of a two-column block", () => {
    const text = "By:     /s/ W. Ian Roberts       By:    /s/ Barry Singelais     W. Ian Roberts           Barry Singelais     V.P. Sales           General Manager";
    const people = scanner.scan(text).filter((f) => f.type === "PERSON").map((f) => text.slice(f.start, f.end));
    expect(people).toEqual(["W. Ian Roberts", "Barry Singelais", "W. Ian Roberts", "Barry Singelais"]);
  });
});
