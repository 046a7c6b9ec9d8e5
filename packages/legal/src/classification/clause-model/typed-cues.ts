// Typed cues: what a sentence's bag of lower-cased words cannot see. The tokenizer drops "$" and "%"
// and folds case, so "10% of Net Sales", "US$50,000 per Contract Year" and "the Exclusive Territory"
// read as bare numbers and common words. These features name the kind of value or reference instead:
// money (with its order of magnitude), percentages, durations by unit, rates ("per year"), dates,
// references to other sections or exhibits, defined terms (being defined here, or used), all-capitals
// text, list items and lead-ins. Generic legal drafting conventions, not phrases of any contract.

const NUMBER_WORD = "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)";
// Linear on long runs (rev10 #17). A global regex is tried from every position, and each try inside a
// run of digits or number words ran to the run's end before failing: O(n²) on "1111…", "1,1,1,…" or
// "one one one …". Each start below is refused where an earlier start of the same run already covers
// every match it could make (it can reach the same ends, and a regex reports its leftmost match), so a
// run is tried from its start only and the matches are the same as without these guards:
// - NOT_IN_WORDS: no number word right after a number word and its separators (the run's first word,
//   at a word boundary, matches on through it);
// - not inside a number of digits and `sep` characters once a digit of it starts at a word boundary
//   (after a separator, or after neither a word character nor a separator): that digit's start covers
//   this one. The lookbehind reads back one block of digits and separators only, so it costs O(block).
// Each lookbehind sits behind a one-character lookahead (a digit, a letter) so it is read only where a
// match can start. V8 compiles a process's regexes without optimisation once it has generated 1 MB of
// regex code (TooMuchRegExpCode: a long-lived server, a jest run); unoptimised, a lookbehind tried at
// every position of a run of spaces reads back to the run's start, and a 500,000-space text took hours.
const NOT_IN_WORDS = `(?=[A-Za-z])(?<!\\b${NUMBER_WORD}[\\s-]+)`;
const notInNumber = (sep: string): string => `(?=\\d)(?<!(?:[${sep}]|(?<![\\w${sep}]))\\d+[${sep}]+)`;
const QUANTITY = `(?:${notInNumber(",.")}\\d[\\d,.]*|${NOT_IN_WORDS}${NUMBER_WORD}(?:[\\s-]+${NUMBER_WORD})*)`;
// "$1,000", "US$ 5.5 million", "USD 10,000", "€200", "£3m".
const MONEY = /(?:US\s?\$|\$|€|£|\b(?:USD|EUR|GBP|CAD|RMB)\s?)\s?(\d[\d,]*(?:\.\d+)?)(\s*(?:million|billion|thousand|m|k)\b)?/gi;
const MONEY_WORDS = new RegExp(`\\b${notInNumber(",")}\\d[\\d,]*(?:\\.\\d+)?\\s*(?:million\\s+|thousand\\s+)?(?:dollars|euros|pounds)\\b`, "i");
// (a start after a digit is covered by that digit's: `\d+` reaches every end the later start reaches)
const PERCENT = new RegExp(`(?<!\\d)(\\d+(?:\\.\\d+)?)\\s*(?:%|percent\\b|per\\s+cent\\b)|\\b${NOT_IN_WORDS}${NUMBER_WORD}(?:[\\s-]+${NUMBER_WORD})*\\s+(?:percent|per\\s+cent)\\b`, "gi");
const DURATION = new RegExp(`\\b${QUANTITY}\\s*(?:\\(\\s*\\d+\\s*\\)\\s*)?(?:consecutive\\s+|full\\s+|calendar\\s+|business\\s+|working\\s+)?(day|week|month|quarter|year)s?\\b`, "gi");
const RATE = /\b(?:per|each|every|a)\s+(?:calendar\s+|contract\s+|fiscal\s+)?(year|annum|quarter|month|week|unit)\b|\b(annual(?:ly)?|quarterly|monthly)\b/gi;
const RATE_UNIT: Readonly<Record<string, string>> = { year: "year", annum: "year", annual: "year", annually: "year", quarter: "quarter", quarterly: "quarter", month: "month", monthly: "month", week: "week", unit: "unit" };
const DATE = /\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/i;
const SPELLED = new RegExp(`\\b${NOT_IN_WORDS}${NUMBER_WORD}(?:[\\s-]+${NUMBER_WORD})*\\s*\\(\\s*\\d[\\d,.]*\\s*%?\\s*\\)`, "i");
const SECTION_REF = /\b(?:section|article|clause|paragraph)s?\s+\(?\d/i;
const EXHIBIT_REF = /\b(?:exhibit|schedule|appendix|annex|attachment)\s+[A-Z0-9]/i;
// ("Territory"), (the "Minimum Purchase Requirement"), "Net Sales" means / shall mean.
const DEFINITION = /\(\s*(?:each\s+|the\s+|collectively\s+|individually\s+)?(?:an?\s+)?["“]([A-Z][^"”]{0,60})["”]\s*\)|["“]([A-Z][^"”]{0,60})["”]\s+(?:shall\s+)?(?:means?|has\s+the\s+meaning|includes?|refers?\s+to)\b/g;
// A run of capitalised words, with "of"/"and"/"for"/"the" between them ("Change of Control", "Net Sales").
const CAPITALISED_RUN = /\b[A-Z][a-zA-Z]+(?:\s+(?:(?:of|and|for|the|to|in)\s+)?[A-Z][a-zA-Z]+)*/g;
const CONNECTOR = /^(?:of|and|for|the|to|in)$/;
const MAX_TERMS = 8;

/** Order of magnitude of an amount of money: under 1,000, under 100,000, under 10 million, more. */
function moneyBand(digits: string, multiplier: string | undefined): string {
  let value = Number(digits.replace(/,/g, ""));
  const m = multiplier?.trim().toLowerCase();
  if (m === "million" || m === "m") value *= 1e6;
  else if (m === "billion") value *= 1e9;
  else if (m === "thousand" || m === "k") value *= 1e3;
  return !Number.isFinite(value) ? "?" : value < 1e3 ? "s" : value < 1e5 ? "m" : value < 1e7 ? "l" : "xl";
}

function percentBand(digits: string | undefined): string {
  if (digits === undefined) return "w";
  const v = Number(digits);
  return v < 10 ? "lt10" : v < 50 ? "lt50" : v === 50 ? "50" : v < 100 ? "lt100" : "100";
}

/** Words of capitalised runs that are not where capitals are expected (sentence start) and not in all-capitals text. */
function definedTermReferences(sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.matchAll(CAPITALISED_RUN)) {
    if (m.index === 0 || /^[A-Z\s]+$/.test(m[0])) continue;
    const words = m[0].split(/\s+/).filter((w) => !CONNECTOR.test(w));
    // One capitalised word after a full stop or an item mark starts a sentence or an item; it is no term.
    const before = sentence.slice(Math.max(0, m.index - 3), m.index);
    if (words.length === 1 && /(?:[.:;)]\s*|^\s*)$/.test(before)) continue;
    out.push(words.join(" ").toLowerCase());
    if (out.length >= MAX_TERMS) break;
  }
  return out;
}

/** The typed cues of one text, as feature strings under `prefix` ("t:" for the sentence itself). */
export function typedCues(text: string, prefix = "t:"): string[] {
  const out = new Set<string>();
  const add = (f: string) => out.add(prefix + f);
  for (const m of text.matchAll(MONEY)) {
    add("money");
    add(`money:${moneyBand(m[1]!, m[2])}`);
  }
  if (MONEY_WORDS.test(text)) add("money");
  for (const m of text.matchAll(PERCENT)) {
    add("pct");
    add(`pct:${percentBand(m[1])}`);
  }
  for (const m of text.matchAll(DURATION)) add(`dur:${m[1]!.toLowerCase()}`);
  for (const m of text.matchAll(RATE)) add(`rate:${RATE_UNIT[(m[1] ?? m[2]!).toLowerCase()] ?? "other"}`);
  if (DATE.test(text)) add("date");
  if (SPELLED.test(text)) add("spelled");
  if (SECTION_REF.test(text)) add("ref:section");
  if (EXHIBIT_REF.test(text)) add("ref:exhibit");
  const letters = text.replace(/[^A-Za-z]/g, "");
  if (letters.length >= 20 && letters.replace(/[^A-Z]/g, "").length >= 0.8 * letters.length) add("caps");
  return [...out];
}

/**
 * Every typed feature of a sentence: its typed cues, the terms it defines (`td:` words), the
 * defined terms it uses (`tr:` runs) and whether it is a list item or a lead-in to one.
 */
export function sentenceTypedFeatures(sentence: string): string[] {
  const out = typedCues(sentence);
  const defined = [...sentence.matchAll(DEFINITION)].map((m) => (m[1] ?? m[2]!).toLowerCase());
  if (defined.length > 0) out.push("t:defines");
  for (const term of defined.slice(0, 3)) for (const w of term.split(/[^a-z]+/).filter((x) => x.length > 1)) out.push(`td:${w}`);
  const references = definedTermReferences(sentence);
  for (const r of references) out.push(`tr:${r}`);
  out.push(`t:terms:${Math.min(3, references.length)}`);
  if (/^\s*\(?(?:[a-z]|[ivx]+|\d+)\)\s/.test(sentence)) out.push("t:item");
  if (/:\s*$/.test(sentence)) out.push("t:leadin");
  return out;
}
