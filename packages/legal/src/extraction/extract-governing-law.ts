import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import type { GoverningLawTerm, JurisdictionTerm } from "./key-term-types";

const PLACE = "(?<place>[A-Z][A-Za-z.'-]*(?:[ \\t]+(?:of[ \\t]+)?[A-Z][A-Za-z.'-]*){0,4}(?:,?[ \\t]+(?:and|&)[ \\t]+[A-Z][A-Za-z.'-]*(?:[ \\t]+[A-Z][A-Za-z.'-]*){0,2})?(?:,[ \\t]+(?:U\\.S\\.A\\.|USA|United[ \\t]+States(?:[ \\t]+of[ \\t]+America)?|Canada|Australia))?)";
const LAWS_OF = new RegExp(
  `\\b[Ll]aws?\\s+(?:in\\s+force\\s+in\\s+|applicable\\s+in\\s+)?(?:of\\s+)?(?:the\\s+)?(?:(?:State|Commonwealth|Province|Republic|Kingdom|Federal\\s+Republic|People's\\s+Republic|Canton|Territory)\\s+of\\s+)?${PLACE}`,
  "g",
);
const CHOICE_CONTEXT = /govern|constru|interpret|enforced|subject\s+to\s+the\s+laws|applicable\s+law/i;
const NOT_PLACES = /^(?:the|this|such|any|its|agreement|amendment|section|article|united states trademark|exhibit)\b/i;

function cleanPlace(place: string): string {
  return place
    .replace(/\.\s+[A-Z].*$/s, "")
    .replace(/^(?:The|the)\s+(?:(?:State|Commonwealth|Province)\s+of\s+)?/, "")
    .replace(/[ \t]+(?:without|excluding|except|applicable|and[ \t]+(?:the|any|each|all|shall|will|its|without)).*$/i, "")
    .replace(/[.,]+$/, "")
    .trim();
}

/** The governing law chosen by the contract ("the laws of the State of New York" → "New York"). */
export function extractGoverningLaw(doc: ContractDocument): GoverningLawTerm[] {
  const out: GoverningLawTerm[] = [];
  for (const m of matchAll(doc.text, LAWS_OF)) {
    const sentence = doc.sentenceAt(m.index);
    if (!sentence) continue;
    const lead = doc.text.slice(Math.max(sentence.start, m.index - 200), m.index);
    if (!CHOICE_CONTEXT.test(lead) || /conflicts?\s+of\s*$|choice\s+of\s*$/i.test(lead)) continue;
    const raw = m.groups!["place"]!;
    const place = cleanPlace(raw);
    if (place.length < 2 || NOT_PLACES.test(place)) continue;
    const at = m.index + m[0].length - raw.length;
    if (out.some((o) => o.law === place)) continue;
    out.push({ law: place, span: spanOf(doc.text, at, at + place.length), clause: sentence });
  }
  for (const m of matchAll(doc.text, ADJECTIVE_LAW)) {
    const sentence = doc.sentenceAt(m.index);
    const law = LAW_OF_ADJECTIVE[m.groups!["adj"]!];
    if (!sentence || law === undefined || out.some((o) => o.law === law)) continue;
    const at = m.index + m[0].length - m.groups!["adj"]!.length - m.groups!["tail"]!.length;
    out.push({ law, span: spanOf(doc.text, at, m.index + m[0].length), clause: sentence });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

// "This Agreement is governed by English law".
const LAW_OF_ADJECTIVE: Readonly<Record<string, string>> = {
  English: "England and Wales", Scots: "Scotland", Scottish: "Scotland", Irish: "Ireland", German: "Germany", French: "France", Swiss: "Switzerland",
  Dutch: "the Netherlands", Swedish: "Sweden", Israeli: "Israel", Japanese: "Japan", Chinese: "China", Singapore: "Singapore", Italian: "Italy", Spanish: "Spain",
};
const ADJECTIVE_LAW = new RegExp(`\\b(?:governed|construed|interpreted)\\s+(?:\\w+\\s+){0,6}?(?:by|under|with)\\s+(?:the\\s+)?(?<adj>${Object.keys(LAW_OF_ADJECTIVE).join("|")})(?<tail>\\s+law)\\b`, "g");

const FORUM = new RegExp(
  `\\b(?:courts?|tribunals?)\\s+(?:(?:located|sitting|situated)\\s+)?(?:in|of|for)\\s+(?:the\\s+)?(?:(?:State|Commonwealth|Province|City|County)\\s+(?:and\\s+County\\s+)?of\\s+)?${PLACE}|\\barbitration\\s+(?:shall\\s+be\\s+)?(?:held|conducted|seated|take\\s+place)?\\s*(?:in|at)\\s+${PLACE.replace("?<place>", "?<seat>")}`,
  "g",
);

/** Forum clauses: the courts (or arbitration seat) that hear disputes and whether that forum is exclusive. */
export function extractJurisdiction(doc: ContractDocument): JurisdictionTerm[] {
  const out: JurisdictionTerm[] = [];
  for (const m of matchAll(doc.text, FORUM)) {
    const sentence = doc.sentenceAt(m.index);
    if (!sentence || !/jurisdiction|venue|submit|arbitrat|forum|brought|resolved|exclusively/i.test(sentence.quote)) continue;
    const raw = m.groups!["place"] ?? m.groups!["seat"] ?? "";
    const place = cleanPlace(raw);
    if (place.length < 2 || NOT_PLACES.test(place)) continue;
    const at = m.index + m[0].length - raw.length;
    const kind = /^arbitration/i.test(m[0]) ? "arbitration" : "courts";
    if (out.some((o) => o.forum === place && o.kind === kind)) continue;
    out.push({ forum: place, exclusive: /exclusive|solely|only/i.test(sentence.quote) && !/non-?exclusive/i.test(sentence.quote), kind, span: spanOf(doc.text, at, at + place.length), clause: sentence });
  }
  return out;
}
