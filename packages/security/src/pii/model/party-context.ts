// What a whole contract says about its capitalised words, for the name model: which words it writes as part of a
// company's name before a legal form ("Pretzel Time, Inc."), which words it defines in quotes as the short name of the
// party named just before (`FUSION Pharmaceuticals Inc. ("FUSION")`, `Ford Motor Media … ("FMM")`), and which words it
// defines in quotes otherwise (`("Licensor")`, `(the "Effective Date")`: roles and terms). A party's later mentions
// ("Pretzel Time and its Affiliates", a title "Supply Agreement - FUSION") have no local cue; these document facts
// are what tells them from a heading or a role made of the same kind of words. Read from the text's own tokens, no
// list of names.

/** Legal forms written as one token ("Inc", "LLC") or as single letters with periods ("L.P.", "B.V.", "N.V."). */
const LEGAL_FORMS = new Set([
  "inc", "incorporated", "llc", "llp", "lllp", "pllc", "lp", "ltd", "limited", "corp", "corporation", "plc", "gmbh", "ag", "bv", "nv", "sa", "pte",
  "pty", "sarl", "spa", "kk",
]);
/** The first letters (lower case char codes) of the forms, and of "L.P.", "B.V.", "N.V.", "S.A." written apart. */
const FORM_INITIALS = new Set([...LEGAL_FORMS].map((f) => f.charCodeAt(0)));
/** Lower-case words allowed between "(" and the opening quote of a definition: `(the "X")`, `(hereinafter referred to as "X")`. */
const DEFINITION_LEAD = new Set(["the", "hereinafter", "hereafter", "referred", "to", "as", "collectively", "each", "a", "an", "and", "together", "jointly"]);
/** Most words of a party's name read before its legal form or its definition. */
const NAME_WORDS = 8;

/** The three word sets (lower case) of one text. */
export interface PartyContext {
  /** Capitalised words written before a legal form in one run of names. */
  readonly formWords: ReadonlySet<string>;
  /** Words of a quoted definition that shortens the name written just before it (its words, or its initials). */
  readonly shortNames: ReadonlySet<string>;
  /** Words of any other quoted definition in brackets. */
  readonly definedTerms: ReadonlySet<string>;
}

const EMPTY: PartyContext = { formWords: new Set(), shortNames: new Set(), definedTerms: new Set() };

const isQuote = (c: number): boolean => c === 34 || c === 0x201c || c === 0x201d;
const hasLetter = (s: string): boolean => /\p{L}/u.test(s);
const hasCapital = (s: string): boolean => /\p{Lu}/u.test(s);

/**
 * The party facts of a text from its tokens (`starts`/`ends` offsets, `candidate` the name model's candidate tokens).
 * Linear in the tokens; a text without a legal form or a bracketed quote costs one pass over its candidates.
 */
export function partyContext(text: string, starts: Int32Array, ends: Int32Array, count: number, candidate: Uint8Array): PartyContext {
  const word = (k: number): string => text.slice(starts[k] ?? 0, ends[k] ?? 0);
  const single = (k: number): number => ((ends[k] ?? 0) - (starts[k] ?? 0) === 1 ? text.charCodeAt(starts[k] ?? 0) : -1);
  /** Tokens k-1 and k are one name's: no line break, tab or column gap (three spaces) between them. */
  const joined = (k: number): boolean => {
    const gap = text.slice(ends[k - 1] ?? 0, starts[k] ?? 0);
    return !/\n|\t|[ \u00a0]{3}/.test(gap);
  };
  /** Tokens the legal form at k takes (0: none): "Inc", "LLC", "L . P", "B.V". */
  const formAt = (k: number): number => {
    // most capitalised words cannot open a form: their first letter says so without cutting a string out
    const len = (ends[k] ?? 0) - (starts[k] ?? 0);
    if (len > 12 || !FORM_INITIALS.has(text.charCodeAt(starts[k] ?? 0) | 32)) return 0;
    const w = word(k);
    if (w.length > 1 && LEGAL_FORMS.has(w.toLowerCase())) return 1;
    if (w.length !== 1 || !hasLetter(w)) return 0;
    let letters = w;
    let j = k;
    while (j + 2 < count && single(j + 1) === 46 && word(j + 2).length === 1 && hasLetter(word(j + 2)) && letters.length < 4) {
      letters += word(j + 2);
      j += 2;
    }
    return letters.length > 1 && LEGAL_FORMS.has(letters.toLowerCase()) ? j - k + 1 : 0;
  };
  /** The capitalised words of the run of candidates ending at token `last` (nearest first), at most NAME_WORDS. */
  const runBefore = (last: number): string[] => {
    const out: string[] = [];
    for (let j = last; j >= 0 && candidate[j] && out.length < NAME_WORDS; j--) {
      const w = word(j);
      // ", and" joins two parties ("CPDC, and Fusion Inc."), not two words of one name
      if (j > 0 && single(j - 1) === 44 && /^(?:and|&)$/i.test(w)) break;
      if (hasLetter(w) && hasCapital(w) && formAt(j) === 0) out.push(w.toLowerCase());
      if (j > 0 && !joined(j)) break;
    }
    return out;
  };

  let formWords: Set<string> | undefined;
  let quoteAt = -1;
  for (let k = 0; k < count; k++) {
    const c = single(k);
    if (c === 40 && quoteAt < 0) quoteAt = k;
    if (!candidate[k]) continue;
    const form = formAt(k);
    if (form === 0 || k === 0) continue;
    // the name before the form: "Acme Widgets, Inc" (a comma between them is part of the run)
    const words = runBefore(k - 1);
    if (words.length === 0) continue;
    formWords ??= new Set();
    for (const w of words) formWords.add(w);
    k += form - 1;
  }
  if (quoteAt < 0) return formWords ? { ...EMPTY, formWords } : EMPTY;

  let shortNames: Set<string> | undefined;
  let definedTerms: Set<string> | undefined;
  for (let k = quoteAt; k < count; k++) {
    if (single(k) !== 40) continue;
    // "(" [lead words] quote words quote
    let m = k + 1;
    while (m < count && m - k <= 5 && (DEFINITION_LEAD.has(word(m).toLowerCase()) || single(m) === 58 || single(m) === 44)) m++;
    if (m >= count || !isQuote(single(m))) continue;
    const quoted: string[] = [];
    let close = m + 1;
    for (; close < count && close - m <= 7 && !isQuote(single(close)) && single(close) !== 41; close++) {
      const w = word(close);
      if (hasLetter(w)) quoted.push(w);
    }
    if (close >= count || !isQuote(single(close)) || quoted.length === 0 || !hasCapital(quoted[0] ?? "")) continue;
    // the name written right before the bracket (a comma and a description may sit between: "Acme Inc., a Delaware corporation (")
    let before = k - 1;
    while (before >= 0 && k - before <= 8 && !candidate[before]) before--;
    const name = before >= 0 && candidate[before] ? runBefore(before) : [];
    const lower = quoted.map((w) => w.toLowerCase());
    const initials = name
      .slice()
      .reverse()
      .map((w) => w[0])
      .join("");
    const only = lower.length === 1 ? (lower[0] ?? "") : "";
    // ("Company") after "Acme Company" is the contract's role word, not a short name
    const generic = only === "company" || LEGAL_FORMS.has(only);
    const shortens =
      name.length > 0 &&
      !generic &&
      (lower.some((w) => name.includes(w) || (formWords?.has(w) ?? false)) || (only.length >= 2 && (initials.startsWith(only) || initials.endsWith(only))));
    const into = shortens ? (shortNames ??= new Set()) : (definedTerms ??= new Set());
    for (const w of lower) into.add(w);
    k = close;
  }
  return { formWords: formWords ?? EMPTY.formWords, shortNames: shortNames ?? EMPTY.shortNames, definedTerms: definedTerms ?? EMPTY.definedTerms };
}
