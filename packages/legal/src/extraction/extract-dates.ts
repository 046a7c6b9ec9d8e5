import { DATE_SOURCE, addToDate, isoFromMatch, type IsoDate } from "../parsing/parse-date";
import { DURATION_SOURCE, durationFromGroups } from "../parsing/parse-duration";
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf, type Span } from "../text/span";
import type { DateRole, DateTerm, KeyDate, KeyDates } from "./key-term-types";

const DATE = new RegExp(DATE_SOURCE, "gi");
const LATER_OF = /\b(?:the\s+)?(later|earlier|latest|earliest)\s+of\b/gi;

function roleOf(doc: ContractDocument, start: number, end: number): DateRole {
  const sentence = doc.sentenceAt(start);
  const from = Math.max(sentence?.start ?? 0, start - 160);
  const before = doc.text.slice(from, start).toLowerCase();
  const after = doc.text.slice(end, Math.min(end + 60, sentence?.end ?? end + 60)).toLowerCase();
  if (/^\W{0,6}(?:\(the\s+)?["“]?effective\s+date/.test(after)) return "effective";
  if (/renew/.test(before.slice(-80))) return "renewal";
  if (/(?:expire|expiration|terminat\w*|end(?:ing|s)?|until|through)\s+(?:\w+\s+){0,3}(?:on\s+)?(?:or\s+before\s+)?$/.test(before) || /\b(?:expir\w+|ending|end)\s+(?:on|at)\s*$/.test(before)) {
    return /terminat/.test(before.slice(-40)) ? "termination" : "expiration";
  }
  if (/effective\s+(?:as\s+of|on|from|date)?\s*(?:\w+\s+){0,2}$/.test(before) || /(?:commenc\w*|begin\w*|start\w*)\s+(?:on\s+)?$/.test(before)) return "effective";
  if (start < doc.preambleEnd && /(?:dated|made|entered\s+into|executed|as\s+of|agreement\s+(?:is\s+)?(?:dated\s+)?(?:on|this)|day\s+of|on)\s*(?:\w+\s+){0,2}$/.test(before)) return "agreement";
  return "other";
}

/** Every date in the text, normalised to ISO, with the role its context gives it. */
export function extractDates(doc: ContractDocument): DateTerm[] {
  const out: DateTerm[] = [];
  let sawPreambleDate = false;
  for (const m of matchAll(doc.text, DATE)) {
    const iso = m.groups ? isoFromMatch(m.groups) : undefined;
    if (iso === undefined) continue;
    const end = m.index + m[0].length;
    let role = roleOf(doc, m.index, end);
    if (role === "other" && m.index < doc.preambleEnd && !sawPreambleDate) role = "agreement";
    if (m.index < doc.preambleEnd) sawPreambleDate = true;
    out.push({ role, iso, span: spanOf(doc.text, m.index, end) });
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

const TERM_SENTENCE = new RegExp(
  `\\b(?:initial\\s+)?(?:term|period)\\b[^.;]{0,160}?\\b(?:for|of)\\s+(?:a\\s+(?:period|term)\\s+of\\s+)?(?<dur>${DURATION_SOURCE})`,
  "i",
);
const ANNIVERSARY = /\b(?<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))\s+anniversary\s+of\s+the\s+(?:effective\s+date|date\s+(?:of\s+this\s+agreement|hereof))/i;
const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 };
const PERPETUAL = /\b(?:in\s+perpetuity|perpetual(?:ly)?|shall\s+continue\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?(?:indefinitely|until\s+terminated))\b/i;

function key(iso: IsoDate | undefined, derivation: KeyDate["derivation"], span: Span, note?: string): KeyDate {
  return { ...(iso === undefined ? {} : { iso }), derivation, span, ...(note === undefined ? {} : { note }) };
}

/** Picks the agreement, effective, expiration and renewal dates, computing them where the text only implies them. */
export function resolveKeyDates(doc: ContractDocument, dates: readonly DateTerm[]): KeyDates {
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
  if (effective === undefined && agreement && /["“]effective\s+date["”]\s+(?:shall\s+)?means?\s+the\s+date\s+first\s+(?:written|set\s+forth|above)|effective\s+as\s+of\s+the\s+date\s+first/i.test(doc.text)) {
    effective = key(agreement.iso, "computed", agreement.span, "the date first written above");
  }
  if (effective === undefined && agreement && /effective\s+(?:as\s+of\s+)?(?:on\s+)?$/i.test(doc.text.slice(Math.max(0, agreement.span.start - 40), agreement.span.start))) {
    effective = agreement;
  }

  let expiration: KeyDate | undefined;
  const expirationTerm = first("expiration") ?? first("termination");
  if (expirationTerm) expiration = key(expirationTerm.iso, "stated", expirationTerm.span);
  if (expiration === undefined) {
    const base = effective?.iso ?? agreement?.iso;
    for (const sentence of doc.sentences) {
      if (!/\bterm\b|\bexpire|\bperiod\b/i.test(sentence.quote)) continue;
      const anniversary = ANNIVERSARY.exec(sentence.quote);
      if (anniversary) {
        // "anniversary of the date of this Agreement" counts from the agreement date, not the start.
        const fromAgreement = !/effective\s+date/i.test(anniversary[0]) && agreement?.iso !== undefined;
        const from = fromAgreement ? agreement?.iso : base;
        if (from) {
          const raw = anniversary.groups!["ord"]!.toLowerCase();
          const n = ORDINAL[raw] ?? Number.parseInt(raw, 10);
          const label = fromAgreement ? "Agreement date" : "Effective Date";
          expiration = key(addToDate(from, n, "year"), "computed", sentence, `${label} + ${n} year${n === 1 ? "" : "s"} (anniversary)`);
          break;
        }
      }
      const term = TERM_SENTENCE.exec(sentence.quote);
      if (term?.groups && /commenc|effective|from|begin|start|shall\s+(?:be|continue|remain)|will\s+(?:be|continue)/i.test(sentence.quote)) {
        const d = durationFromGroups(term.groups);
        if (d && d.unit !== "business_day") {
          const note = `Effective Date + ${d.value} ${d.unit}${d.value === 1 ? "" : "s"}`;
          expiration = key(base ? addToDate(base, d.value, d.unit) : undefined, "computed", sentence, base ? note : `${note} (start date not stated)`);
          break;
        }
      }
      if (PERPETUAL.test(sentence.quote) && /\bterm\b/i.test(sentence.quote)) {
        expiration = key(undefined, "stated", sentence, "perpetual");
        break;
      }
    }
  }
  const renewalTerm = first("renewal");
  const renewal = renewalTerm ? key(renewalTerm.iso, "stated", renewalTerm.span) : undefined;
  return {
    ...(agreement ? { agreement } : {}),
    ...(effective ? { effective } : {}),
    ...(expiration ? { expiration } : {}),
    ...(renewal ? { renewal } : {}),
  };
}
