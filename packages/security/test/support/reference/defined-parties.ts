// Frozen copy of src/pii/recognizers/defined-parties.ts before propagate searched short names with indexOf (test oracle).
import type { PiiFinding } from "../../../src/pii/pii-types";
import { isEnglishWord } from "../../../src/pii/recognizers/lexicons";
import { continuesName, everydayCore, namedAfterLaterName } from "../../../src/pii/recognizers/defined-parties";
import { CONNECTOR, distinctive, FUNCTION_WORD, isStopOrRole, nameStart, ORG_SUFFIX, startsWithStrongSuffix, type Push } from "../../../src/pii/recognizers/organization-words";

/** ", a Delaware corporation", ", a national banking association": the legal form that follows a party's name in a contract. */
const PARTY_FORM =
  /,\s+(?:a|an)\s+(?:\p{Lu}[\p{L}.]*\s+){0,3}(?:(?:general|limited|public|private|national|banking|business|stock|joint|nonprofit|non-profit|statutory|exempted|liability|wholly[- ]owned|state-chartered|chartered)\s+)*(?:corporation|company|partnership|association|bank|trust|body politic|entity)(?![\p{L}])/gu;
/** The words of a name right before the comma: "Hamilton Lane Advisors", "PENINSULA PORTS AUTHORITY OF VIRGINIA", "Acme Holdings, LLC". */
const NAME_BEFORE = /(?<![\p{L}\p{N}])[\p{Lu}][\p{L}\d&'’.-]*(?:,?[ ]+(?:(?:of|and|&|the|de|OF|AND|THE)[ ]+)?[\p{Lu}\d][\p{L}\d&'’.-]*){0,6}$/u;
/** Street words: a name with them and a house number before it is an address. */
const STREET_WORD = /^(?:street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|suite|floor|box)\.?$/i;
/** ("Gold Hill"), (the "Company"), hereinafter referred to as "Airland": a short name defined for a party. */
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
    // "… Millbrook, MA 01999-1234 and Nanotec Technologies Corporation, a Delaware corporation": the name starts
    // after the address before it (a postcode) and the connector
    const postcode = [...name.matchAll(/\d{4,}(?:-\d{3,4})?/g)].pop();
    if (postcode) {
      name = name.slice(postcode.index + postcode[0].length).replace(/^[^\p{L}]*(?:(?:and|or|&)\s+)?/u, "");
      if (!/^(?:\p{Lu}|\p{Ll}{1,2}\p{Lu})/u.test(name)) continue;
    }
    const words = name.split(/[\s,]+/).filter((w) => /\p{L}/u.test(w));
    const first = nameStart(words);
    const rest = words.slice(first);
    // "the Borrower, a Delaware corporation": a role, not a name
    if (rest.length === 0 || rest.every((w) => isStopOrRole(w) || CONNECTOR.test(w)) || rest.some((w) => FUNCTION_WORD.test(w))) continue;
    // "3900A 31st Street North, St. Petersburg, Florida, a Florida corporation": the party's address, not its name
    if (rest.some((w) => STREET_WORD.test(w)) && /\d/.test(line.slice(-name.length - 12))) continue;
    const start = end - name.length + name.indexOf(rest[0] ?? "", words.slice(0, first).join(" ").length);
    push(start, end, 0.8);
  }
}

const SUFFIX_AT_END = new RegExp(`[\\s,]*(?:${ORG_SUFFIX})\\.?$`, "u");
const GENERIC_ALIAS_HEAD =
  /^(?:trust|fund|funds|bank|company|group|partnership|corporation|holdings|partners|association|society|authority|agency|board|commission|department|government|council|university|institute|centre|center|agreement|contract|amendment|plan|services?|products?|program|schedule|exhibit)$/i;
const GENERIC_ORG_WORD = /^(?:trust|fund|funds|bank|company|group|partnership|corporation|holdings|partners|association|society|authority|agency|board)$/i;
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
    // a name without a legal form written after the party, right before the brackets, is the one the short name is
    // made of (rule added since; the same function as the scanner's)
    if (namedAfterLaterName(words, text.slice(party.end, m.index))) continue;
    const full = text.slice(party.start, party.end);
    const inName = words.every((w) => new RegExp(`(?<![\\p{L}])${escape(w)}(?![\\p{L}])`, "iu").test(full));
    // ("Gold Hill") for GOLD HILL VENTURE LENDING, ("SVB") for Silicon Valley Bank, or a distinctive word; not
    // ("Effective Date") nor another acronym (the People's Republic of China ("PRC") is no party)
    if (!inName && initials(full) !== alias && (words.some((w) => isEnglishWord(w)) || /^\p{Lu}+$/u.test(alias))) continue;
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
    // a party name with a generic suffix ("Beacon Bank"), found once, is searched again in any case
    // a name of everyday words before a legal form, where the text writes it as a name of its own (rule added since)
    else if (stripped && everydayCore(core)) everyday.add(core);
    else if (!stripped && core.length >= 3 && core.length < f.end - f.start && !/\n/.test(core)) generic.add(text.slice(f.start, f.end));
  }
  for (const name of [...everyday].slice(0, 20)) {
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])(?:${[name, name.toUpperCase()].map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu"))) {
      if (!continuesName(text, m.index, m.index + m[0].length)) push(m.index, m.index + m[0].length, 0.6);
    }
  }
  for (const name of [...[...names].slice(0, 20), ...[...generic].slice(0, 20)]) {
    const variants = [name, name.toUpperCase(), name.toLowerCase().replace(/(?<![\p{L}])\p{L}/gu, (c) => c.toUpperCase())];
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])(?:${variants.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu"))) {
      push(m.index, m.index + m[0].length, 0.6);
    }
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
