import { CitationError } from "../errors";

export interface CitationProblem {
  /** JSON path of the citation in the checked value, e.g. `risks[0].citations[1]`. */
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface CitationCheck {
  readonly checked: number;
  readonly valid: boolean;
  readonly problems: readonly CitationProblem[];
}

function isCitation(v: unknown): v is { start: number; end: number; quote: string } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o["start"] === "number" && typeof o["end"] === "number" && typeof o["quote"] === "string";
}

/**
 * Walks any JSON value (a report, a step output) and checks every `{ start, end, quote }` object
 * against the text: offsets in range and `text.slice(start, end) === quote`.
 */
export function validateCitations(value: unknown, text: string): CitationCheck {
  const problems: CitationProblem[] = [];
  let checked = 0;
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (isCitation(v)) {
      checked++;
      const { start, end, quote } = v;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start > end) {
        problems.push({ path, start, end, reason: `offsets out of range for a text of ${text.length} characters` });
      } else if (text.slice(start, end) !== quote) {
        problems.push({ path, start, end, reason: "the quote differs from the text at these offsets" });
      }
    }
    for (const [k, child] of Object.entries(v)) {
      if (k === "citations" && path === "") continue;
      walk(child, path ? `${path}.${k}` : k);
    }
  };
  walk(value, "");
  return { checked, valid: problems.length === 0, problems };
}

/** Like validateCitations but throws CitationError on the first problem. */
export function assertCitations(value: unknown, text: string): number {
  const check = validateCitations(value, text);
  const first = check.problems[0];
  if (first) throw new CitationError(first.path, first.start, first.end, first.reason);
  return check.checked;
}
