import type { PiiFinding } from "../pii-types";
import { isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";
import { capitalise } from "./lexicon-tags";
import { legalForms } from "./legal-forms";
import { wholeWordVariants } from "./whole-words";
import { CONNECTOR, distinctive, FUNCTION_WORD, isStopOrRole, nameStart, ORG_SUFFIX, startsWithStrongSuffix, type Push } from "./organization-words";
import { forgetWhenScanningIdles } from "../scan-memory";

/** "corporation" → "[Cc]orporation": a word in lower case or capitalised (an `i` flag would make \p{Lu} match any letter). */
const either = (words: string): string => words.replace(/(?<![\p{L}])\p{Ll}/gu, (c) => `[${c.toUpperCase()}${c}]`);
/** ", a Delaware corporation", ", a Nevada Corporation", ", a national banking association": the legal form that follows a party's name in a contract. */
const PARTY_FORM = new RegExp(
  `,\\s+(?:a|an)\\s+(?:\\p{Lu}[\\p{L}.]*\\s+){0,3}(?:(?:${either("general|limited|public|private|national|banking|business|stock|joint|nonprofit|non-profit|statutory|exempted|liability|municipal")}|wholly[- ]owned|state-chartered|chartered)\\s+)*(?:${either("corporation|company|partnership|association|bank|trust|body politic|entity|municipality")}|(?:division|subsidiary)(?=\\s+of\\s))(?![\\p{L}])`,
  "gu",
);
/** The words of a name right before the comma: "Brightwater Lane Advisors", "HARBOUR WATER BOARD OF ARDENIA", "Acme Holdings, LLC". */
const NAME_BEFORE = /(?<![\p{L}\p{N}])[\p{Lu}][\p{L}\d&'’.-]*(?:,?[ ]+(?:(?:of|and|&|the|de|OF|AND|THE)[ ]+)?[\p{Lu}\d][\p{L}\d&'’.-]*){0,6}$/u;
/** A legal form ending a name ("INC.", "Ltd,"): another name after it is another party ("ALPHA, INC. THE BETA BANK"). */
const FORM_WORD = new RegExp(`^(?:${legalForms("h")})\\.?,?$`, "i");
/** Street words: a name with them and a house number before it is an address. */
const STREET_WORD = /^(?:street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|suite|floor|box)\.?$/i;
/** ("Fenwick Row"), (the "Company"), hereinafter referred to as "Airland": a short name defined for a party. */
const ALIAS = /(?:\(\s*(?:the\s+)?|hereinafter(?:\s+referred\s+to\s+as:?)?\s+(?:the\s+)?)["“]\s*([^"”()\n]{2,40}?)\s*["”]/gu;

/** A contract party named before its legal form: "Hamilton Lane Advisors, a Pennsylvania limited liability company". */
export function definedParties(text: string, push: Push): void {
  for (const m of text.matchAll(PARTY_FORM)) {
    const raw = text.slice(Math.max(0, m.index - 160), m.index);
    // "PFS Funds (the "Trust"), a Massachusetts business trust": the short name may stand between
    const before = raw.replace(/\s*\([^()\n]{1,60}\)$/u, "");
    const end = m.index - (raw.length - before.length);
    const line = before.slice(before.lastIndexOf("\n") + 1);
    let name = NAME_BEFORE.exec(line)?.[0];
    if (!name) continue;
    // "… in: Ruritania, Borduria, Acme Media, a division of …": a division or subsidiary has no legal form of its own,
    // so the words before its last comma are a list, not its name
    const lastComma = name.lastIndexOf(",");
    if (/^,\s+(?:a|an)\s+(?:division|subsidiary)/iu.test(m[0]) && lastComma >= 0 && !FORM_WORD.test(name.slice(lastComma + 1).trim().split(/\s+/)[0] ?? "")) name = name.slice(lastComma + 1).trimStart();
    // "… Millbrook, MA 01999-1234 and Nanotec Technologies Corporation, a Delaware corporation": the name starts
    // after the address before it (a postcode) and the connector
    const postcode = [...name.matchAll(/\d{4,}(?:-\d{3,4})?/g)].pop();
    if (postcode) {
      name = name.slice(postcode.index + postcode[0].length).replace(/^[^\p{L}]*(?:(?:and|or|&)\s+)?/u, "");
      if (!/^(?:\p{Lu}|\p{Ll}{1,2}\p{Lu})/u.test(name)) continue;
    }
    const words = name.split(/[\s,]+/).filter((w) => /\p{L}/u.test(w));
    let first = nameStart(words);
    // "ALPHA, INC. THE BETA BANK, a Georgia corporation": two parties on one line; the form describes the last one
    const form = words.findLastIndex((w, i) => i >= first && i < words.length - 1 && FORM_WORD.test(w));
    if (form >= 0) first = form + 1 + nameStart(words.slice(form + 1));
    const rest = words.slice(first);
    // "the Borrower, a Delaware corporation": a role, not a name
    if (rest.length === 0 || rest.every((w) => isStopOrRole(w) || CONNECTOR.test(w)) || rest.some((w) => FUNCTION_WORD.test(w))) continue;
    // "3900A 31st Street North, St. Petersburg, Florida, a Florida corporation": the party's address, not its name
    if (rest.some((w) => STREET_WORD.test(w)) && /\d/.test(line.slice(-name.length - 12))) continue;
    const start = end - name.length + name.indexOf(rest[0] ?? "", words.slice(0, first).join(" ").length);
    push(start, end, 0.8);
  }
}

/** `("Customer")`, `(the "Licensee")`, `(hereinafter referred to as the "Distributor")`: a party's role defined in brackets. */
const ROLE_ALIAS_OPEN = /\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?["“]([^"“”()\n]{2,30}?)["”]/gu;
/** Capitalised words right after "between", "and", "by", "with", "among", at the end of the text before the brackets. */
const PARTY_BEFORE =
  /(?:^|[^\p{L}])(?:between|and|by|with|among)\s+((?:[Tt]he\s+)?\p{Lu}[\p{L}\d&'’.-]*(?:[ \t]+(?:(?:of|and|&|for|the)[ \t]+)?\p{Lu}[\p{L}\d&'’.-]*){0,5})\s*,?\s*$/u;
/** A word naming a party's role: a contract role ("Licensee"), or a noun of agency ("Customer", "Distributor", "Consultant"). */
const isRoleNoun = (w: string): boolean =>
  isNotAName(w) || /^(?:customer|client|company)$/i.test(w) || (/(?:er|or|ee|ant|ent|ist|ary)$/i.test(w) && isEnglishWord(w));

/**
 * "by and between Kestrel Media ("Customer") and …": the capitalised words after "between"/"and" and right before a
 * role defined in brackets name a party, even without a legal form (not a person's name: the person cues read those).
 */
export function roleDefinedParties(text: string, push: Push): void {
  if (!text.includes("(")) return;
  for (const m of text.matchAll(ROLE_ALIAS_OPEN)) {
    const role = (m[1] ?? "").trim().split(/\s+/);
    if (role.length > 2 || !role.every(isRoleNoun)) continue;
    const before = text.slice(Math.max(0, m.index - 120), m.index);
    const run = PARTY_BEFORE.exec(before)?.[1];
    if (!run) continue;
    const words = run.split(/[\s,]+/).filter((w) => /\p{L}/u.test(w));
    const rest = words.slice(nameStart(words));
    if (rest.length === 0 || rest.every((w) => isStopOrRole(w) || CONNECTOR.test(w)) || rest.some((w) => FUNCTION_WORD.test(w))) continue;
    // "and John Smith ("Consultant")": a person, read by the name recognizers
    if (rest.every((w) => isGivenOrFamilyName(capitalise(w.toLowerCase())) || /^\p{Lu}\.?$/u.test(w))) continue;
    const end = m.index - (before.length - before.trimEnd().replace(/,$/, "").length);
    const start = end - run.length + run.indexOf(rest[0] ?? "", words.slice(0, words.length - rest.length).join(" ").length);
    push(start, end, 0.7);
  }
}

const SUFFIX_AT_END = new RegExp(`[\\s,]*(?:${ORG_SUFFIX})\\.?$`, "u");
const GENERIC_ORG_WORD = /^(?:trust|fund|funds|bank|company|group|partnership|corporation|holdings|partners|association|society|authority|agency|board)$/i;
/** Kinds of body and of document that open a generic short name ("Commission", "Board of Directors", "Agreement"). */
const GENERIC_ALIAS_HEAD =
  /^(?:trust|fund|funds|bank|company|group|partnership|corporation|holdings|partners|association|society|authority|agency|board|commission|department|government|council|university|institute|centre|center|agreement|contract|amendment|plan|services?|products?|program|schedule|exhibit)$/i;
/** The initials of a name's capitalised words ("Silicon Valley Bank" → "SVB"). */
const initials = (name: string): string => (name.match(/\p{Lu}[\p{L}'’-]*/gu) ?? []).map((w) => w[0]).join("");

/**
 * A contract names a party once in full and then by its short name or its name without the legal form
 * ("Vringo, Inc. … Vringo shall"): those mentions are the organisation too.
 */
export function propagate(text: string, found: readonly PiiFinding[], push: Push): void {
  const names = new Set<string>();
  const generic = new Set<string>();
  const everyday = new Set<string>();
  for (const m of text.matchAll(ALIAS)) {
    const alias = (m[1] ?? "").trim();
    const words = alias.split(/\s+/);
    // ("Company"), (the "Borrower"): a role, not a name
    if (!/^\p{Lu}/u.test(alias) || words.every((w) => isStopOrRole(w) || CONNECTOR.test(w))) continue;
    // the party defined just before (within the same sentence)
    const party = found
      .filter((f) => f.end <= m.index && m.index - f.end < 160)
      .reduce<PiiFinding | undefined>((best, f) => (!best || f.end > best.end ? f : best), undefined);
    if (!party || /[.;]\s+\p{Lu}/u.test(text.slice(party.end, m.index))) continue;
    // "Vantor Mills, Inc. (the "Company") and Ada Quill ("Quill")": a name without a legal form written after the party,
    // right before the brackets, is the one the short name is made of (a person these cues do not read), not the party
    if (namedAfterLaterName(words, text.slice(party.end, m.index))) continue;
    const full = text.slice(party.start, party.end);
    const inName = words.every((w) => wholeWordIgnoringCase(w).test(full));
    // ("Gold Hill") for GOLD HILL VENTURE LENDING, ("SVB") for Silicon Valley Bank, or a distinctive word; not
    // ("Effective Date") nor another acronym (the People's Republic of China ("PRC") is no party)
    if (!inName && initials(full) !== alias && (words.some((w) => isEnglishWord(w)) || /^\p{Lu}+$/u.test(alias))) continue;
    // ("Commission"), ("Board of Directors"), ("Agreement"): a kind of body or document in everyday words, not a name
    if (GENERIC_ALIAS_HEAD.test(words[0] ?? "") && words.every((w) => isEnglishWord(w) || CONNECTOR.test(w))) continue;
    // (the "JV Agreement"): a document's short name
    if (words.length >= 2 && /^(?:agreement|contract|amendment|addendum|plan|schedule|exhibit|policy|license|licence)$/i.test(words[words.length - 1] ?? "")) continue;
    // ("Trust"), ("Series Fund"): the kind of entity, not its name
    if (GENERIC_ORG_WORD.test(words[words.length - 1] ?? "") && words.slice(0, -1).every((w) => isEnglishWord(w))) continue;
    const start = m.index + m[0].lastIndexOf(m[1] ?? "");
    push(start, start + alias.length, 0.75);
    names.add(alias);
  }
  for (const f of found) {
    // "Vringo, Inc." → "Vringo": only a distinctive name without its legal form ("Apple" is an everyday word)
    const core = text.slice(f.start, f.end).replace(SUFFIX_AT_END, "");
    const stripped = core.length < f.end - f.start && startsWithStrongSuffix(text.slice(f.start + core.length, f.end));
    if (stripped && core.length >= 4 && core.split(/\s+/).some(distinctive)) names.add(core);
    // "Pretzel Time, Inc." → "Pretzel Time": a name of everyday words before a legal form is the party's too, where
    // the text writes it as a name of its own, as written or in capitals
    else if (stripped && everydayCore(core)) everyday.add(core);
    // "THE BEACON BANK, a Georgia banking corporation" → "Beacon Bank": a name with a generic suffix ("Bank", "Group"),
    // found once as a party, is the same party wherever it is written again (in any case); its everyday words alone
    // would not be read as a name there
    else if (!stripped && core.length >= 3 && core.length < f.end - f.start && !/\n/.test(core)) generic.add(text.slice(f.start, f.end));
  }
  for (const name of [...everyday].slice(0, 20)) {
    for (const [start, end] of wholeWordVariants(text, [name, name.toUpperCase()])) {
      if (continuesName(text, start, end)) continue;
      push(start, end, 0.6);
    }
  }
  for (const name of [...[...names].slice(0, 20), ...[...generic].slice(0, 20)]) {
    const variants = [name, name.toUpperCase(), name.toLowerCase().replace(/(?<![\p{L}])\p{L}/gu, (c) => c.toUpperCase())];
    for (const [start, end] of wholeWordVariants(text, variants)) push(start, end, 0.6);
  }
}

/** Two to four capitalised words, none a role, clause or function word, on one line ("Pretzel Time", "GOLD STAR MEDIA"). */
export function everydayCore(core: string): boolean {
  if (/\n/.test(core)) return false;
  const words = core.split(/\s+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 4) return false;
  return words.every((w) => /^\p{Lu}[\p{L}'’-]*$/u.test(w) && !isStopOrRole(w) && !FUNCTION_WORD.test(w) && !CONNECTOR.test(w));
}

/** A mention that a capitalised word continues or follows is part of a longer name or title ("Pretzel Time Agreement"). */
export function continuesName(text: string, start: number, end: number): boolean {
  return /^[ \t]+\p{Lu}/u.test(text.slice(end, end + 3)) || /\p{Lu}[\p{L}'’.-]*[ \t]+$/u.test(text.slice(Math.max(0, start - 30), start));
}

/**
 * True when the short name's words stand in `between` (the text from the party to the brackets) and end a name there:
 * another name, a person's ("and Arvid Tollenmark, an individual ("Tollenmark")"), not part of an organisation's
 * name these cues did not read whole ("Galaxy Tollen SRL, having its office at … ("Tollen")": a capital or a legal
 * form follows).
 */
export function namedAfterLaterName(words: readonly string[], between: string): boolean {
  const last = words[words.length - 1] ?? "";
  if (!words.every((w) => wholeWordIgnoringCase(w).test(between))) return false;
  const after = new RegExp(`(?<![\\p{L}])${escape(last)}(?![\\p{L}])[\\s,]*([^\\s,]*)`, "iu").exec(between)?.[1] ?? "";
  return !/^\p{Lu}/u.test(after) && !FORM_WORD.test(after);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** `word` as a whole word in any case; compiled once per word (a `\p{L}` class in `iu` mode is slow to compile). */
const wordPatterns = new Map<string, RegExp>(); // party names: forgotten when scanning idles
forgetWhenScanningIdles(wordPatterns);
function wholeWordIgnoringCase(word: string): RegExp {
  let re = wordPatterns.get(word);
  if (!re) {
    if (wordPatterns.size >= 2000) wordPatterns.clear();
    re = new RegExp(`(?<![\\p{L}])${escape(word)}(?![\\p{L}])`, "iu");
    wordPatterns.set(word, re);
  }
  return re;
}
