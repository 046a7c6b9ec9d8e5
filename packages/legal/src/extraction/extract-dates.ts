import { datesIn, type IsoDate } from "../parsing/parse-date";
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf, type Span } from "../text/span";
import { extractPeriods } from "./extract-periods";
import type { DateRole, DateTerm, KeyDate, KeyDates, PeriodTerm } from "./key-term-types";
import { resolveExpiration } from "./resolve-expiration";

const LATER_OF = /\b(?:the\s+)?(later|earlier|latest|earliest)\s+of\b/gi;

// Recitals ("WHEREAS, … on July 28, 2011") tell the history; the agreement's own date comes before them.
const RECITALS = /\bWHEREAS\b|\bWhereas,|\bRECITALS\b|\bBACKGROUND\b/;

/** Where the opening (title and parties) ends: the preamble, cut at the recitals. */
function openingEnd(doc: ContractDocument): number {
  const recitals = RECITALS.exec(doc.text.slice(0, doc.preambleEnd));
  return recitals ? recitals.index : doc.preambleEnd;
}

function roleOf(doc: ContractDocument, start: number, end: number, opening: number): DateRole {
  const sentence = doc.sentenceAt(start);
  const from = Math.max(sentence?.start ?? 0, start - 160);
  const before = doc.text.slice(from, start).toLowerCase();
  const after = doc.text.slice(end, Math.min(end + 60, sentence?.end ?? end + 60)).toLowerCase();
  if (/^\W{0,6}(?:\(the\s+)?["“]?effective\s+date/.test(after)) return "effective";
  if (/renew/.test(before.slice(-80))) return "renewal";
  // "from the Effective Date to 31 July 2013": the end of a stated period.
  const fromTo = /\bfrom\s+[^.;]{1,80}?\bto\s+(?:and\s+including\s+)?$/.test(before);
  if (fromTo || /(?:expire|expiration|terminat\w*|end(?:ing|s)?|until|through)\s+(?:\w+\s+){0,3}(?:on\s+)?(?:or\s+before\s+)?$/.test(before) || /\b(?:expir\w+|ending|end)\s+(?:on|at)\s*$/.test(before)) {
    return /terminat/.test(before.slice(-40)) ? "termination" : "expiration";
  }
  if (/effective\s+(?:as\s+of|on|from|date)?\s*(?:\w+\s+){0,2}$/.test(before) || /(?:commenc\w*|begin\w*|start\w*)\s+(?:on\s+)?$/.test(before)) return "effective";
  // "an amendment to that certain Joint Venture Agreement dated March 7, 2016" dates another agreement.
  if (/\bthat\s+certain\b[^.;()]{0,100}$/.test(before)) return "other";
  if (start < opening && /(?:dated|made|entered\s+into|executed|as\s+of|agreement\s+(?:is\s+)?(?:dated\s+)?(?:on|this)|day\s+of|on)\s*(?:\w+\s+){0,2}$/.test(before)) return "agreement";
  return "other";
}

/** Every date in the text, normalised to ISO, with the role its context gives it. */
export function extractDates(doc: ContractDocument): DateTerm[] {
  const out: DateTerm[] = [];
  let sawPreambleDate = false;
  const opening = openingEnd(doc);
  for (const { start, end, iso } of datesIn(doc.text)) {
    let role = roleOf(doc, start, end, opening);
    if (role === "other" && start < opening && !sawPreambleDate) role = "agreement";
    if (start < opening) sawPreambleDate = true;
    out.push({ role, iso, span: spanOf(doc.text, start, end) });
  }
  return [...out, ...laterOf(doc, out)].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
}

/** "the later of (i) June 30, 2024 and (ii) September 1, 2024": one more date, chosen among the listed ones. */
function laterOf(doc: ContractDocument, dates: readonly DateTerm[]): DateTerm[] {
  const out: DateTerm[] = [];
  for (const m of matchAll(doc.text, LATER_OF)) {
    const sentence = doc.sentenceAt(m.index);
    const limit = Math.min(sentence?.end ?? doc.text.length, m.index + 400);
    const listed: DateTerm[] = [];
    for (const d of dates) {
      if (d.span.start < m.index || d.span.end > limit) continue;
      const gap = doc.text.slice(listed.at(-1)?.span.end ?? m.index + m[0].length, d.span.start);
      if (!/^[\s,;:]*(?:\(?[ivx\d]{1,4}\)|\b(?:and|or)\b|[\s,;:])*[\s,;:]*$/i.test(gap)) break;
      listed.push(d);
    }
    if (listed.length < 2) continue;
    const later = /^(?:later|latest)$/i.test(m[1]!);
    const pick = [...listed].sort((a, b) => a.iso.localeCompare(b.iso))[later ? listed.length - 1 : 0]!;
    out.push({ role: pick.role === "other" ? listed[0]!.role : pick.role, iso: pick.iso, span: spanOf(doc.text, m.index, listed.at(-1)!.span.end), derivedFrom: later ? "later_of" : "earlier_of" });
  }
  return out;
}

function key(iso: IsoDate | undefined, derivation: KeyDate["derivation"], span: Span, note?: string): KeyDate {
  return { ...(iso === undefined ? {} : { iso }), derivation, span, ...(note === undefined ? {} : { note }) };
}

/** Picks the agreement, effective, expiration and renewal dates, computing them where the text only implies them. */
export function resolveKeyDates(doc: ContractDocument, dates: readonly DateTerm[], periods: readonly PeriodTerm[] = extractPeriods(doc)): KeyDates {
  const stated = dates.filter((d) => d.derivedFrom === undefined);
  const first = (role: DateRole) => stated.find((d) => d.role === role);
  // A preamble date that is the effective date is also the agreement date, and vice versa.
  const agreementTerm = first("agreement") ?? stated.find((d) => d.role === "effective" && d.span.start < doc.preambleEnd);
  const agreement = agreementTerm ? key(agreementTerm.iso, "stated", agreementTerm.span) : undefined;

  let effective: KeyDate | undefined;
  const effectiveTerm = first("effective");
  if (effectiveTerm) effective = key(effectiveTerm.iso, "stated", effectiveTerm.span);
  // "commence on the later of (i) ... and (ii) ...": pick among the dates the sentence names.
  for (const m of matchAll(doc.text, LATER_OF)) {
    const sentence = doc.sentenceAt(m.index);
    if (!sentence || !/effective|commence|begin|start|expire|terminat|end/i.test(sentence.quote)) continue;
    const inSentence = stated.filter((d) => d.span.start > m.index && d.span.end <= sentence.end);
    const which = m[1]!.toLowerCase().startsWith("later") || m[1]!.toLowerCase().startsWith("latest") ? "later_of" : "earlier_of";
    const target = /expire|terminat|end/i.test(doc.text.slice(sentence.start, m.index)) ? "expiration" : "effective";
    const span = spanOf(doc.text, sentence.start, sentence.end);
    if (inSentence.length >= 2) {
      const sorted = inSentence.map((d) => d.iso).sort();
      const iso = which === "later_of" ? sorted[sorted.length - 1] : sorted[0];
      const kd = key(iso, which, span, `${which === "later_of" ? "the later" : "the earlier"} of ${inSentence.length} dates`);
      if (target === "effective") effective = kd;
    } else if (target === "effective" && effective === undefined) {
      effective = key(undefined, which, span, `${which === "later_of" ? "the later" : "the earlier"} of events that are not dates`);
    }
  }
  if (effective === undefined && agreement && /["“]effective\s+date["”]\s+(?:shall\s+)?means?\s+the\s+date\s+first\s+(?:written|set\s+forth|above)|effective\s+(?:as\s+of|from|on)\s+the\s+date\s+first/i.test(doc.text)) {
    effective = key(agreement.iso, "computed", agreement.span, "the date first written above");
  }
  if (effective === undefined && agreement && /effective\s+(?:as\s+of\s+)?(?:on\s+)?$/i.test(doc.text.slice(Math.max(0, agreement.span.start - 40), agreement.span.start))) {
    effective = agreement;
  }

  const expiration = resolveExpiration({
    doc,
    stated,
    derived: dates.filter((d) => d.derivedFrom !== undefined),
    periods,
    ...(effective?.iso === undefined ? {} : { effective: effective.iso }),
    ...(agreement?.iso === undefined ? {} : { agreement: agreement.iso }),
  });
  const renewalTerm = first("renewal");
  const renewal = renewalTerm ? key(renewalTerm.iso, "stated", renewalTerm.span) : undefined;
  return {
    ...(agreement ? { agreement } : {}),
    ...(effective ? { effective } : {}),
    ...(expiration ? { expiration } : {}),
    ...(renewal ? { renewal } : {}),
  };
}
