import { detectTitle } from "./document-title";

/** Cheap facts found in a document's text (no model involved). */
export interface DetectedMetadata {
  readonly title: string;
  /** ISO dates (yyyy-mm-dd) mentioned in the first part of the document, in order of appearance. */
  readonly dates: readonly string[];
  /** Contracting parties from a "between X and Y" opening, when there is one. */
  readonly parties: readonly string[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function findDates(text: string): string[] {
  const found = new Set<string>();
  const monthRe = MONTHS.join("|");
  const patterns: [RegExp, (m: RegExpExecArray) => string | null][] = [
    [new RegExp(`\\b(${monthRe})\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "gi"), (m) => iso(+m[3]!, MONTHS.indexOf(m[1]!.toLowerCase()) + 1, +m[2]!)],
    [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:day\\s+of\\s+)?(${monthRe}),?\\s+(\\d{4})\\b`, "gi"), (m) => iso(+m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, +m[1]!)],
    [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
  ];
  for (const [re, toIso] of patterns) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const date = toIso(m);
      if (date) found.add(date);
      if (found.size >= 20) break;
    }
  }
  return [...found].sort();
}

function cleanParty(raw: string): string {
  return raw
    .replace(/\s+/g, " ")
    .replace(/^(the\s+)/i, "")
    .replace(/[,;:.\s]+$/, "")
    .trim();
}

function findParties(head: string): string[] {
  const m = /\b(?:by\s+and\s+)?between\s+([\s\S]{3,160}?)(?:\s*\(|,)[\s\S]{0,400}?\band\s+([A-Z][\s\S]{2,160}?)(?:\s*\(|,|\.\s)/.exec(head);
  if (!m) return [];
  return [cleanParty(m[1]!), cleanParty(m[2]!)].filter((p) => p.length >= 2 && p.length <= 120);
}

/**
 * Title (the agreement's own name, else the title the format declares, else the file name; see
 * detectTitle), dates and parties from the opening text.
 */
export function detectMetadata(text: string, givenTitle?: string, fileName?: string): DetectedMetadata {
  const head = text.slice(0, 6000);
  return { title: detectTitle(text, givenTitle, fileName), dates: findDates(head), parties: findParties(head) };
}
