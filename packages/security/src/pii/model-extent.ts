// Where a name ends, read by the trained name model: a cue or lexicon finding that covers only part of a name the
// model read whole keeps the model's extent.
import type { PiiFinding } from "./pii-types";
import { legalForms } from "./recognizers/legal-forms";

/** The name model's recognizer name (its findings score 0.40–0.58, below every cue). */
const MODEL = "NameModelRecognizer";
/** A model span this confident (mean token probability ≥ 0.9; score = 0.4 + 0.18 × probability) may set a name's extent. */
const CONFIDENT = 0.4 + 0.18 * 0.9;
const NAMES: ReadonlySet<string> = new Set(["PERSON", "ORGANIZATION"]);
/** Punctuation that ends a sentence or sets off a clause, a quote, a bracket or a line break: no name's inner words. */
const CLAUSE_MARK = /[.!?;:]\s|[,;:()[\]{}"“”<>]|\n/u;
/** "ZEPHYRINE'S", "Acme's Widgets": a possessive is no part of the name. */
const POSSESSIVE = /['’]s\b/iu;
/** A name ending in a company's legal form ("Inc.", "LLC", "GmbH", "Corporation"). */
const LEGAL_FORM_END = new RegExp(`(?:^|[\\s,])(?:${legalForms("s")})\\.?$`, "iu");

/**
 * Whether `added` holds a word the text also writes in lower case ("AT&T Data" … "the data", "Acme Customers" …
 * "its customers"): an everyday word after a name is the text's own noun, not part of the name.
 */
function addsEverydayWord(text: string, added: string): boolean {
  for (const w of added.match(/\p{L}{2,}/gu) ?? []) {
    const lower = w.toLowerCase();
    if (lower === w) continue;
    for (let at = text.indexOf(lower); at >= 0; at = text.indexOf(lower, at + 1))
      if (!/\p{L}/u.test(text[at - 1] ?? "") && !/\p{L}/u.test(text[at + lower.length] ?? "")) return true;
  }
  return false;
}

/**
 * A confident model span of a person or organisation that wholly contains shorter person or organisation findings of
 * other recognizers, all of one stretch of text (two apart are two names the model ran together: "Avelor Holdings Pty
 * Ltd and Brenwick B.V."), and crosses no other finding, wins their overlap: the cue found a part of the name (a lexicon
 * person "Lin Wei" of "Lin Wei-Tao Design Studio", a short name "Norvale" of "Norvale Survey Partners") and the
 * model, which learned party names' extents from the tune contracts, read where it ends. What the model adds to the
 * finding must be words of one name: no sentence end, comma, colon, quote, bracket or line break, no possessive, and
 * no word the text also writes in lower case (its own nouns: "AT&T Data", "Acme Customers"). Its score is raised just
 * above the best finding inside it, so the overlap rule (higher score first) keeps it; nothing else moves.
 */
export function preferModelExtent(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  const byStart = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  // reach[i]: the furthest end of the findings before byStart[i]
  const reach = new Int32Array(byStart.length + 1);
  for (let i = 0; i < byStart.length; i++) reach[i + 1] = Math.max(reach[i] ?? 0, (byStart[i] as PiiFinding).end);
  const raised = new Map<PiiFinding, number>();
  let first = 0; // the first finding starting where m starts
  for (let i = 0; i < byStart.length; i++) {
    const m = byStart[i] as PiiFinding;
    if (i === 0 || (byStart[i - 1] as PiiFinding).start !== m.start) first = i;
    if (m.recognizer !== MODEL || m.score < CONFIDENT || !NAMES.has(m.type)) continue;
    if ((reach[first] ?? 0) > m.start) continue; // a finding from before runs into it
    let best = 0;
    let crosses = false;
    let people = true; // every finding inside reads a person
    let parts = 0; // separate stretches of names inside m: two are two names the model ran together ("A Ltd and B B.V.")
    let partStart = -1;
    let partEnd = -1;
    for (let j = first; j < byStart.length && !crosses; j++) {
      const f = byStart[j] as PiiFinding;
      if (f.start >= m.end) break;
      if (f === m) continue;
      if (f.end > m.end) crosses = true;
      else if (f.recognizer !== MODEL && NAMES.has(f.type) && f.end - f.start < m.end - m.start) {
        best = Math.max(best, f.score);
        if (f.type !== "PERSON") people = false;
        if (f.start >= partEnd) {
          parts++;
          partStart = f.start;
        }
        partEnd = Math.max(partEnd, f.end);
      }
    }
    if (crosses || parts !== 1 || best <= m.score) continue;
    // the model's longer reading is a company's: it ends in a legal form ("Q7 Systems, Inc." over "Q7"), or it is
    // an organisation where the name lists saw only a person ("Marten Olsby Surveyors" over "Marten Olsby"); an
    // organisation cue inside a longer model span is more often two names or a name and a product ("Acme Widgets")
    if (!LEGAL_FORM_END.test(text.slice(m.start, m.end)) && !(people && m.type === "ORGANIZATION")) continue;
    // what the model adds is words of the name, not a sentence end or a clause ("Santa Clara County. Acme Inc.")
    const added = [text.slice(m.start, partStart), text.slice(partEnd, m.end)];
    if (added.some((a) => CLAUSE_MARK.test(a) || POSSESSIVE.test(a) || addsEverydayWord(text, a))) continue;
    raised.set(m, Math.min(1, best + 0.001));
  }
  if (raised.size === 0) return [...findings];
  return findings.map((f) => {
    const score = raised.get(f);
    return score === undefined ? f : { ...f, score };
  });
}
