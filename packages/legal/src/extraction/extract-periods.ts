import { DURATION_SOURCE, durationFromGroups } from "../parsing/parse-duration";
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import type { PeriodKind, PeriodTerm } from "./key-term-types";

const DURATION = new RegExp(DURATION_SOURCE, "gi");

const CUES: readonly [PeriodKind, RegExp][] = [
  ["cure", /\bcure|remed/g],
  ["renewal", /renew|extend|extension|successive/g],
  ["notice", /\bnotice\b|notif/g],
  ["warranty", /warrant/g],
  ["payment", /\bpa(?:y|id)|invoice|remit/g],
  ["term", /\bterm\b|period of|continue|in effect|in force|expire/g],
];

function kindOf(before: string, after: string): PeriodKind {
  const b = before.slice(-80).toLowerCase();
  const a = after.slice(0, 80).toLowerCase();
  if (/^[\s'’]*s?[\s'’]*(?:\(\s*\d+\s*\)\s*)?(?:prior\s+|advance\s+)?(?:written\s+)?(?:notice|notification)/.test(a)) return "notice";
  if (/^[^.;]{0,30}(?:prior\s+to|before|in\s+advance\s+of)\s+(?:the\s+)?(?:end|expiration|expiry|renewal|anniversary|then[\s-]+current|scheduled|last\s+day)/.test(a)) return "notice";
  // The cue nearest before the period decides ("notice of non-renewal at least sixty (60) days" is a notice).
  let best: PeriodKind = "other";
  let bestEnd = -1;
  for (const [kind, re] of CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(b); m !== null; m = re.exec(b)) {
      if (m.index + m[0].length > bestEnd) {
        bestEnd = m.index + m[0].length;
        best = kind;
      }
    }
  }
  return best;
}

/** Durations and notice periods ("thirty (30) days' prior written notice", "two (2) years", ranges), each with its kind. */
export function extractPeriods(doc: ContractDocument): PeriodTerm[] {
  const out: PeriodTerm[] = [];
  for (const m of matchAll(doc.text, DURATION)) {
    const duration = m.groups ? durationFromGroups(m.groups) : undefined;
    if (!duration || duration.value <= 0) continue;
    const end = m.index + m[0].length;
    const sentence = doc.sentenceAt(m.index);
    const from = Math.max(sentence?.start ?? 0, m.index - 100);
    const kind = kindOf(doc.text.slice(from, m.index), doc.text.slice(end, end + 100));
    out.push({ kind, duration, span: spanOf(doc.text, m.index, end) });
  }
  return out;
}
