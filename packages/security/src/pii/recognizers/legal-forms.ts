// Legal forms of companies ("Inc", "GmbH", "Sp. z o.o", "Oyj") in one table, with the readers that take each one. The
// readers differ on purpose where a form is also another word: "Co"/"Company" (a defined term: "the Company"), "NV"
// (Nevada beside a ZIP), "SA", "BV"; a form a reader does not list is no form to it.

/**
 * A form as a regular-expression alternative (periods and slashes escaped), and its readers:
 * - `s`: ORG_SUFFIX, a word ending an organisation's name (organization-words.ts; the order of these is the order the
 *   name pattern tries them, as written or in capitals);
 * - `t`: a strong suffix, one only legal entities carry (startsWithStrongSuffix);
 * - `l`: a name with a legal form is a company's whatever its other words (legal-text.ts);
 * - `h`: a form ending the name before it, so a new name starts after it (company-names.ts);
 * - `e`: stripped from an organisation's mention before mentions are linked (entity-linker.ts).
 */
const FORMS: readonly (readonly [form: string, readers: string, cased?: "cased"])[] = [
  ["Inc", "stlhe"],
  ["Incorporated", "stlhe"],
  ["LLC", "stlhe"],
  ["L\\.L\\.C", "stlhe"],
  ["Ltd", "stlhe"],
  ["Limited", "stlhe"],
  ["Corp", "stlhe"],
  ["Corporation", "stlhe"],
  ["Company", "se"],
  ["Co", "she"],
  ["LLP", "stlhe"],
  ["L\\.L\\.P", "ste"],
  ["L\\.P", "stlhe"],
  ["LP", "stlhe"],
  ["PLC", "stlhe"],
  ["plc", "stl"],
  ["Plc", "s"],
  ["Pty", "stlhe"],
  ["Pte", "sth"],
  ["B\\.V", "stlhe"],
  ["BV", "sth"],
  ["N\\.V", "lhe"],
  ["NV", "h"],
  ["SARL", "sth"],
  ["S\\.à r\\.l", "st"],
  ["S\\.r\\.l", "l"],
  ["SRL", "le"],
  ["S\\.p\\.A", "sth"],
  ["SpA", "stlhe"],
  ["GmbH", "stlhe"],
  ["AG", "stlhe"],
  ["S\\.A", "stlhe"],
  ["SA", "sth"],
  ["N\\.A", "stle"],
  ["KK", "l"],
  ["Sp\\. z o\\.o", "stle"],
  ["o\\.o", "h"],
  ["Bancorp", "t"],
  // everyday words in another case (the given name "Asa", "ab initio", "oy"): strong and legal-text read them only as
  // written or in capitals (casedLegalForms)
  ["Oyj", "stlhe", "cased"],
  ["Oy", "stlhe", "cased"],
  ["AB", "stlhe", "cased"],
  ["A\\/S", "stlhe", "cased"],
  ["ApS", "stlhe", "cased"],
  ["ASA", "stlhe", "cased"],
  // German and Austrian partnership limited by shares ("Acme KGaA", "ACME KGAA"); Czech and Slovak limited company
  ["KGaA", "stlhe", "cased"],
  ["s\\.r\\.o", "stlhe", "cased"],
];

export type LegalFormReader = "s" | "t" | "l" | "h" | "e";

/** A period inside a form may stand apart from its letters: "L. P.", and "L . P ." in tokenised text. */
const spaced = (form: string): string => form.replace(/\\\./g, " ?\\. ?");

/**
 * The forms a reader takes, as one alternation in table order: the cased ones as written too, unless `cased` is
 * "apart" (the reader matches them case-sensitively with casedLegalForms).
 */
export function legalForms(reader: LegalFormReader, cased: "with" | "apart" = "with"): string {
  return FORMS.filter(([, readers, c]) => readers.includes(reader) && !(c && cased === "apart"))
    .map(([form]) => spaced(form))
    .join("|");
}

/** The cased forms a reader takes, as written and in capitals ("Oyj|OYJ|…"), for a case-sensitive pattern. */
export function casedLegalForms(reader: LegalFormReader): string {
  return FORMS.filter(([, readers, c]) => c && readers.includes(reader))
    .flatMap(([form]) => (form.toUpperCase() === form ? [form] : [form, form.toUpperCase()]).map(spaced))
    .join("|");
}
