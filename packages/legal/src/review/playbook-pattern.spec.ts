import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { servicesAgreement } from "../../test/fixtures";
import { classifyClauses } from "../classification/classify-clauses";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { assessRisk } from "./assess-risk";
import { loadPlaybook } from "./playbook";
import { compilePlaybookPattern } from "./playbook-pattern";

describe("playbook patterns run on a linear-time engine", () => {
  it("answers the ReDoS attack '^(a+)+$' on 29 and on 100,000 characters in milliseconds", () => {
    const attack = compilePlaybookPattern("^(a+)+$");
    for (const length of [29, 100_000]) {
      const text = `${"a".repeat(length)}!`;
      const started = performance.now();
      expect(attack.test(text)).toBe(false);
      // RegExp took 5.1 s on 29 characters (doubling per character); RE2 is linear in the text.
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    expect(attack.test("aaaa")).toBe(true);
  });

  it("reviews a contract against a playbook holding the attack pattern without blocking", async () => {
    const playbook = loadPlaybook(
      [
        "name: hostile",
        "rules:",
        '  - { id: redos, title: R, severity: low, when: { text_matches: "^(a+)+$" }, fix: f }',
        '  - { id: redos-unless, title: U, severity: low, when: { text_matches: "(x+x+)+y", unless_text_matches: "(.*a){20}!" }, fix: f }',
        '  - { id: control, title: C, severity: low, when: { text_matches: "(services\\\\s+)+agreement" }, fix: f }',
      ].join("\n"),
    );
    const text = `${servicesAgreement()}\n\n${"a".repeat(40)}!\n${"x".repeat(5_000)}\n`;
    const analysis = { text, keyTerms: extractKeyTerms(text), classification: await classifyClauses(text) };
    const started = performance.now();
    const findings = assessRisk(analysis, playbook);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(findings.map((f) => f.ruleId)).toEqual(["control"]);
  });

  it("refuses backreferences and lookaround when the playbook is read, saying why", () => {
    for (const pattern of ["(a)\\\\1", "foo(?=bar)", "(?<!not )assign"]) {
      expect(() => loadPlaybook(`name: p\nrules:\n  - { id: x, title: X, severity: low, when: { text_matches: "${pattern}" }, fix: f }\n`)).toThrow(/RE2 syntax/);
    }
  });

  it("matches case-insensitively, and treats Unicode spaces as \\s as RegExp does", () => {
    expect(compilePlaybookPattern("without\\s+consent").test("assign WITHOUT\u00a0Consent")).toBe(true);
    expect(compilePlaybookPattern("sole\\s+discretion").test("in its sole\u2003discretion")).toBe(true);
    expect(compilePlaybookPattern("\\bcap\\b").test("capped")).toBe(false);
  });

  it("agrees with RegExp on patterns both engines accept (property)", () => {
    const atom = fc.constantFrom("a", "b", "c", ".", "\\s", "\\d", "\\w", "[ab]", "[^a]", "x");
    const piece = fc.tuple(atom, fc.constantFrom("", "*", "+", "?", "{1,3}")).map(([a, q]) => a + q);
    const seq = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(""));
    const pattern = fc.tuple(seq, fc.option(seq, { nil: undefined }), fc.boolean(), fc.boolean()).map(
      ([a, b, start, end]) => `${start ? "^" : ""}(?:${a}${b === undefined ? "" : `|${b}`})${end ? "$" : ""}`,
    );
    const text = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "x", "1", " ", "\u00a0", "\t", "é", "\n"), maxLength: 30 });
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        expect(compilePlaybookPattern(p).test(t)).toBe(new RegExp(p, "i").test(t));
      }),
      { numRuns: 500 },
    );
  });
});
