import type { PiiFinding } from "./pii-types";
import { isJobTitle } from "./recognizers/job-titles";
import { isEnglishWord } from "./recognizers/lexicons";
import { lowerBound } from "./lower-bound";

interface Line {
  /** Where the line begins, and where its content starts and ends. */
  readonly begin: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Lines with their content's offsets, leaving out quote marks and bullets ("> ", "??? ", "- "). */
function linesOf(text: string): Line[] {
  const out: Line[] = [];
  for (const m of text.matchAll(/[^\n]*/g)) {
    if (m.index > 0 && text[m.index - 1] !== "\n") continue;
    const lead = /^[^\p{L}\p{N}]*/u.exec(m[0])?.[0].length ?? 0;
    const body = m[0].slice(lead).trimEnd();
    out.push({ begin: m.index, start: m.index + lead, end: m.index + lead + body.length, text: body });
  }
  return out;
}

/** Two or three words that are not English words ("guðgeir bergsveinsson"): read as a name at the top of a card. */
const looksLikeName = (line: string): boolean => {
  const words = line.split(/\s+/);
  return words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w) && (w.length <= 2 || !isEnglishWord(w)));
};

/**
 * Business cards, letterheads and signature blocks: a person's name, perhaps a job title, the
 * organisation, then the address ("Julcsa Kárpáthy / Mhealthcoach / 50668 Kiannonkatu 98…"). The
 * line right above the address that is neither the person's name nor a job title names the
 * organisation, whatever words it is made of ("Here", "Scale Unlimited").
 */
export function letterheadOrganizations(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!text.includes("\n")) return [];
  const lines = linesOf(text);
  // which lines hold an address start, and which are a person's name (one pass over the findings)
  // the last line beginning at or before `pos` (the first one when none does)
  const lineOf = (pos: number): number => Math.max(0, lowerBound(lines.length, (i) => (lines[i]?.begin ?? 0) <= pos) - 1);
  const addressLines = new Set<number>();
  const personLines = new Set<number>();
  for (const f of findings) {
    const i = lineOf(f.start);
    const l = lines[i];
    if (f.type === "ADDRESS") addressLines.add(i);
    else if (f.type === "PERSON" && f.score >= 0.5 && l && f.start <= l.start + 1 && f.end >= l.end - 1) personLines.add(i);
  }
  const words = (i: number): number => (lines[i]?.text ?? "").split(/\s+/).length;
  // a name line: a person finding, or (at the top of a block) words that are no English words
  const isPerson = (i: number, top: boolean): boolean => words(i) >= 2 && (personLines.has(i) || (top && looksLikeName(lines[i]?.text ?? "")));
  const isTop = (i: number): boolean => i === 0 || lines[i - 1]?.text === "";
  const out: PiiFinding[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!/^\d/.test(lines[i]?.text ?? "") && !addressLines.has(i)) continue;
    // go up past a repeated name ("Alma Jensen / Imedicare / Alma Jensen / 91215 Harjukuja 54")
    const k = isPerson(i - 1, false) ? i - 2 : i - 1;
    const candidate = lines[k];
    if (!candidate || candidate.text.length < 2 || candidate.text.length > 50) continue;
    if (/[\d:@]/.test(candidate.text) || words(k) > 6 || isJobTitle(candidate.text) || isPerson(k, false)) continue;
    // a person's name one line above, or two with a job title between
    const p = k >= 1 && isJobTitle(lines[k - 1]?.text ?? "") ? k - 2 : k - 1;
    if (p < 0 || lines[p]?.text === "" || !isPerson(p, isTop(p))) continue;
    out.push({ type: "ORGANIZATION", start: candidate.start, end: candidate.end, score: 0.7, recognizer: "LetterheadRecognizer" });
  }
  return out;
}
