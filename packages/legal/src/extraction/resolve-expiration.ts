import { parseNumberWords } from "../parsing/number-words";
import { addToDate, type IsoDate } from "../parsing/parse-date";
import { DURATION_SOURCE, durationFromGroups, parseQuantity } from "../parsing/parse-duration";
import type { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";
import type { DateTerm, KeyDate, PeriodTerm } from "./key-term-types";

// Sentences that set the agreement's own term: "The term of this Agreement shall …", "the Initial Term",
// '"Term" means …', "This Agreement shall commence … and continue …", "Agent's appointment hereunder shall …".
const TERM_SUBJECT = new RegExp(
  [
    "\\bterm\\s+of\\s+(?:this|the)\\s+(?:\\w+\\s+)?(?:agreement|franchise|licen[cs]e|contract|lease|appointment|engagement|arrangement)\\b",
    "\\b(?:initial|original)\\s+term\\b",
    "[\"“](?:initial\\s+)?term[\"”]\\s*(?:shall\\s+)?means?",
    "\\(the\\s+[\"“](?:initial\\s+)?term[\"”]\\)",
    "\\b(?:this|the)\\s+(?:\\w+\\s+)?agreement\\s+(?:shall|will|is\\s+to)\\s+(?:[\\w'’]+[\\s,]+){0,12}?(?:continue|remain|expire|end|be\\s+in\\s+(?:full\\s+)?(?:force|effect)|run)\\b",
    // In the present tense only as the sentence's subject ("while this Agreement remains in effect" is not).
    "^(?:\\(?[\\w.]{1,6}\\)?\\s+)?(?:this|the)\\s+(?:\\w+\\s+)?agreement\\s+(?:continues|remains\\s+in\\s+(?:full\\s+)?(?:force|effect)|expires|ends|runs)\\b",
    "\\bappointment\\s+(?:hereunder\\s+)?shall\\s+(?:commence|continue|begin)",
  ].join("|"),
  "gi",
);
// "during the term of this Agreement and for two years thereafter" is about another obligation.
const NOT_SUBJECT = /(?:during|throughout|after|following|within|beyond|upon|before|prior\s+to|until|through|end\s+of|expiration\s+of|expiry\s+of|termination\s+of|remainder\s+of|in\s+the|for\s+the|of\s+the)\s+(?:the\s+)?$/i;
// Words after which the sentence is about renewal, not the first term.
const RENEWAL_CUT = /\bthereafter\b|\b(?:automatic(?:ally)?\s+)?renew|\bsuccessive\b|\byear[\s-]+to[\s-]+year\b|\bmonth[\s-]+to[\s-]+month\b/i;

// Ordinals of anniversaries and contract years: "second", "twenty-fifth", "15th".
const ORD = "(?:twenty[\\s-]+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)|twentieth|thirtieth|\\d{1,2}(?:st|nd|rd|th)";
const ANNIVERSARY = new RegExp(`\\b(?<ord>${ORD})\\s+(?:\\(\\d{1,2}(?:st|nd|rd|th)\\)\\s+)?anniversary\\s+of\\s+(?:the\\s+)?(?<of>effective\\s+date|commencement\\s+date|date\\s+(?:of\\s+this\\s+agreement|hereof|of\\s+execution)|execution\\s+date)`, "i");
// "the end of Year 3", "the end of the fifth (5th) Contract Year".
const YEAR_N = new RegExp(`\\bend\\s+of\\s+(?:(?:contract|agreement|license)\\s+)?year\\s+(?<n>\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\\b|\\bend\\s+of\\s+the\\s+(?<ord>${ORD})\\s+(?:\\(\\d{1,2}(?:st|nd|rd|th)\\)\\s+)?(?:contract\\s+|agreement\\s+|license\\s+|lease\\s+)?year\\b`, "i");
// A duration that is the length of the term: "shall be twenty (20) years", "continue for a period of two (2) years".
const TERM_DURATION = new RegExp(`\\b(?:for|of|be|is|last|until)\\s+(?:an?\\s+|the\\s+)?(?:(?:initial\\s+)?(?:period|term)\\s+of\\s+)?(?:approximately\\s+)?(?<dur>${DURATION_SOURCE})`, "gi");
const PERPETUAL = /\b(?:in\s+perpetuity|perpetual(?:ly)?|continue\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?(?:indefinitely|until\s+terminated))\b/i;
// The sentence names its own start: "commencing on January 1, 2016".
const STARTS = /(?:commenc\w*|begin\w*|start\w*|effective|from)\s+(?:on\s+|as\s+of\s+)?$/i;

export interface ExpirationContext {
  readonly doc: ContractDocument;
  /** Dates written in the text (not "later of" results), in order. */
  readonly stated: readonly DateTerm[];
  readonly derived: readonly DateTerm[];
  readonly periods: readonly PeriodTerm[];
  readonly effective?: IsoDate;
  readonly agreement?: IsoDate;
}

function key(iso: IsoDate | undefined, derivation: KeyDate["derivation"], span: Span, note?: string): KeyDate {
  return { ...(iso === undefined ? {} : { iso }), derivation, span, ...(note === undefined ? {} : { note }) };
}

/** "fifteenth" → 15, "15th" → 15. */
function ordinal(raw: string): number | undefined {
  return /^\d/.test(raw) ? Number.parseInt(raw, 10) : parseNumberWords(raw);
}

// A severability or savings sentence says the agreement "shall otherwise remain in full force and effect" when a
// provision is held invalid or the agreement is amended: it keeps the agreement alive, it sets no term.
const SAVINGS = /\b(?:illegal|invalid|unenforceable|void|inoperative)\b|\bexcept\s+as\s+(?:expressly\s+|specifically\s+|otherwise\s+)?(?:amended|modified|supplemented|provided|set\s+forth)\b/i;

/** True for a severability or savings sentence ("… held to be unenforceable … shall otherwise remain in full force and effect") that states no length or end. */
export function isSavingsSentence(quote: string): boolean {
  return SAVINGS.test(quote) && !/\b(?:expire|expiration|initial\s+term|years?|months?)\b/i.test(quote);
}

/** True when the sentence sets the agreement's own term (as its subject, not "during the term of …"). */
export function isTermSentence(quote: string): boolean {
  for (const m of quote.matchAll(TERM_SUBJECT)) {
    if (!NOT_SUBJECT.test(quote.slice(Math.max(0, m.index - 30), m.index))) return true;
  }
  return false;
}

/** The start a computed expiry counts from: a start date in the sentence, the agreement date for "date hereof", else the effective date. */
function baseFor(ctx: ExpirationContext, sentence: Span, region: string, inSentence: readonly DateTerm[]): { iso?: IsoDate; label: string } {
  const own = inSentence.find((d) => d.role === "effective" || STARTS.test(ctx.doc.text.slice(Math.max(sentence.start, d.span.start - 30), d.span.start)));
  if (own) return { iso: own.iso, label: own.span.quote };
  if (/date\s+(?:hereof|of\s+(?:this\s+agreement|its\s+execution|execution))|execution\s+date|date\s+(?:first\s+)?(?:above|written)/i.test(region) && ctx.agreement !== undefined) return { iso: ctx.agreement, label: "Agreement date" };
  return { ...(ctx.effective ?? ctx.agreement ? { iso: ctx.effective ?? ctx.agreement } : {}), label: ctx.effective ? "Effective Date" : "Agreement date" };
}

function fromTermSentence(ctx: ExpirationContext, sentence: Span): KeyDate | undefined {
  const cut = RENEWAL_CUT.exec(sentence.quote)?.index ?? sentence.quote.length;
  const region = sentence.quote.slice(0, cut);
  const limit = sentence.start + cut;
  const inSentence = ctx.stated.filter((d) => d.span.start >= sentence.start && d.span.end <= sentence.end);
  const stated = inSentence.find((d) => (d.role === "expiration" || d.role === "termination") && d.span.start < limit);
  if (stated) return key(stated.iso, "stated", stated.span);
  const derived = ctx.derived.find((d) => d.span.start >= sentence.start && d.span.end <= limit);
  if (derived?.derivedFrom) return key(derived.iso, derived.derivedFrom, sentence, `the ${derived.derivedFrom === "later_of" ? "later" : "earlier"} of the listed dates`);
  const base = baseFor(ctx, sentence, region, inSentence);
  const years = (n: number, how: string) =>
    key(base.iso === undefined ? undefined : addToDate(base.iso, n, "year"), "computed", sentence, `${base.label} + ${n} year${n === 1 ? "" : "s"}${how}${base.iso === undefined ? " (start date not stated)" : ""}`);
  const anniversary = ANNIVERSARY.exec(region)?.groups;
  if (anniversary) {
    const n = ordinal(anniversary["ord"] ?? "");
    // "anniversary of the date of this Agreement" counts from the agreement date.
    if (n !== undefined && /date\s+(?:of\s+this|hereof)|execution/i.test(anniversary["of"] ?? "") && ctx.agreement !== undefined) {
      return key(addToDate(ctx.agreement, n, "year"), "computed", sentence, `Agreement date + ${n} year${n === 1 ? "" : "s"} (anniversary)`);
    }
    if (n !== undefined) return years(n, " (anniversary)");
  }
  const yearN = YEAR_N.exec(region)?.groups;
  if (yearN) {
    const n = yearN["n"] !== undefined ? parseQuantity(yearN["n"]) : ordinal(yearN["ord"] ?? "");
    if (n !== undefined) return years(n, ` (end of year ${n})`);
  }
  for (const m of region.matchAll(TERM_DURATION)) {
    const groups = m.groups ?? {};
    const at = sentence.start + m.index + m[0].length - (groups["dur"] ?? "").length;
    // A notice period ("until terminated on thirty (30) days' notice") is not the term.
    if (ctx.periods.some((p) => p.span.start === at && (p.kind === "notice" || p.kind === "cure" || p.kind === "payment"))) continue;
    const d = durationFromGroups(groups);
    if (!d || d.unit === "business_day") continue;
    const note = `${base.label} + ${d.value} ${d.unit}${d.value === 1 ? "" : "s"}`;
    return key(base.iso === undefined ? undefined : addToDate(base.iso, d.value, d.unit), "computed", sentence, base.iso === undefined ? `${note} (start date not stated)` : note);
  }
  if (PERPETUAL.test(sentence.quote)) return key(undefined, "stated", sentence, "perpetual");
  return undefined;
}

/**
 * The expiry date: read from the first sentence that sets the agreement's term — a stated end date,
 * "the later of" dates, "the Nth anniversary", "the end of Year N", "Effective Date + duration" or
 * "perpetual" — else the first date the text calls an expiry.
 */
export function resolveExpiration(ctx: ExpirationContext): KeyDate | undefined {
  for (const sentence of ctx.doc.sentences) {
    if (!isTermSentence(sentence.quote)) continue;
    const found = fromTermSentence(ctx, sentence);
    if (found) return found;
  }
  const stated = ctx.stated.find((d) => d.role === "expiration") ?? ctx.stated.find((d) => d.role === "termination");
  return stated ? key(stated.iso, "stated", stated.span) : undefined;
}
