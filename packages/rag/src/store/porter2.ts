// Porter2 (the Snowball English stemmer) for words of ASCII lower-case letters and digits, written
// for speed from the algorithm's description (snowballstem.org/algorithms/english/stemmer.html):
// it works in place on a word's bytes, allocates nothing and uses no regular expression. It gives
// exactly what wink-porter2-stemmer gives (the stemmer the index's terms were first made with), and
// so keeps wink's readings where they differ from Snowball's text:
// - a consonant y is marked as the digit 3 while the word is stemmed, so a real 3 reads as a y too
//   ("1933" stems to "19yi");
// - only the first y after a vowel is marked consonant; R1 has three exception prefixes (gener,
//   commun, arsen); the exception lists are wink's;
// - R1 and R2 are found again on the word as it stands before each step, not once at the start.
// `porter2.spec.ts` holds it to wink on every distinct word of the corpora and on random words.

const Y = 121;
const E = 101;
const I = 105;
const L = 108;
const S = 115;
/** The mark of a consonant y (wink's "3"). */
const MARK = 51;

/** 1 for a, e, i, o, u, y (Porter2's vowels; a marked y is not one). */
const VOWEL = new Uint8Array(128);
for (const c of "aeiouy") VOWEL[c.charCodeAt(0)] = 1;
/** 1 for the letters whose doubling step 1b undoes. */
const DOUBLE = new Uint8Array(128);
for (const c of "bdfgmnprt") DOUBLE[c.charCodeAt(0)] = 1;
/** 1 for the letters before which step 2 deletes "li". */
const LI_ENDING = new Uint8Array(128);
for (const c of "cdeghkmnrt") LI_ENDING[c.charCodeAt(0)] = 1;

const bytes = (word: string): Uint8Array => Uint8Array.from(word, (c) => c.charCodeAt(0));

/** Whole words with their own stems (checked before anything else), by length. */
const SPECIAL_WORDS: (readonly [Uint8Array, Uint8Array])[][] = [];
for (const [word, stem] of Object.entries({
  skis: "ski",
  skies: "sky",
  dying: "die",
  lying: "lie",
  tying: "tie",
  idly: "idl",
  gently: "gentl",
  ugly: "ugli",
  early: "earli",
  only: "onli",
  singly: "singl",
  sky: "sky",
  news: "news",
  atlas: "atlas",
  cosmos: "cosmos",
  bias: "bias",
  andes: "andes",
})) {
  (SPECIAL_WORDS[word.length] ??= []).push([bytes(word), bytes(stem)]);
}
/** Words left as step 1a leaves them. */
const INVARIANT_AFTER_1A = ["inning", "outing", "canning", "herring", "proceed", "exceed", "succeed", "earring"].map(bytes);
/** Prefixes that end R1 whatever their letters. */
const R1_PREFIXES = ["gener", "commun", "arsen"].map(bytes);

/** A suffix rule: the suffix, then its replacement (`null`: a rule of its own, see the step). */
type Rule = readonly [suffix: Uint8Array, replacement: Uint8Array | null];
const rules = (list: Record<string, string | null>): Rule[] =>
  Object.entries(list)
    .map(([suffix, replacement]): Rule => [bytes(suffix), replacement === null ? null : bytes(replacement)])
    // Longest first: a step acts on the longest of its suffixes the word ends with.
    .sort((a, b) => b[0].length - a[0].length);

const STEP2 = rules({
  ational: "ate", ization: "ize", fulness: "ful", ousness: "ous", iveness: "ive",
  tional: "tion", biliti: "ble", lessli: "less",
  iviti: "ive", ousli: "ous", ation: "ate", entli: "ent", alism: "al", aliti: "al", fulli: "ful",
  alli: "al", ator: "ate", izer: "ize", enci: "ence", anci: "ance", abli: "able",
  bli: "ble", ogi: null, li: null,
});
const STEP3 = rules({ ational: "ate", tional: "tion", alize: "al", icate: "ic", iciti: "ic", ative: null, ical: "ic", ness: "", ful: "" });
const STEP4 = rules(Object.fromEntries("ement ance ence able ible ment ant ent ism ate iti ous ive ize ion al er ic".split(" ").map((s) => [s, ""])));

/** Room a word needs past its length while it is stemmed (step 1b may add an e). */
export const PORTER2_SLACK = 1;

/**
 * Stems `word[0, length)`, ASCII lower-case letters and digits only, in place; returns the stem's
 * length. `word` needs `PORTER2_SLACK` bytes of room past `length`.
 */
export function porter2Ascii(word: Uint8Array, length: number): number {
  let n = length;
  if (n < 3) return n;
  const special = n < SPECIAL_WORDS.length ? SPECIAL_WORDS[n] : undefined;
  if (special) {
    for (const [w, stem] of special) {
      if (endsWith(word, n, w)) {
        word.set(stem);
        return stem.length;
      }
    }
  }
  // Consonant y's: at the start, and (wink's reading) the first after a vowel other than y.
  if (word[0] === Y) word[0] = MARK;
  for (let i = 1; i < n; i++) {
    if (word[i] === Y && VOWEL[word[i - 1]!] === 1 && word[i - 1] !== Y) {
      word[i] = MARK;
      break;
    }
  }
  n = step1a(word, n);
  if (!INVARIANT_AFTER_1A.some((w) => w.length === n && endsWith(word, n, w))) {
    n = step1b(word, n);
    // Step 1c: a final y after a consonant that is not the first letter becomes i.
    if (n >= 3 && (word[n - 1] === Y || word[n - 1] === MARK) && VOWEL[word[n - 2]!] !== 1) word[n - 1] = I;
    n = step2(word, n);
    n = step3(word, n);
    n = step4(word, n);
    n = step5(word, n);
  }
  for (let i = 0; i < n; i++) if (word[i] === MARK) word[i] = Y;
  return n;
}

function step1a(w: Uint8Array, n: number): number {
  if (n > 4 && endsWithText(w, n, "sses")) return n - 2;
  if (w[n - 2] === E && w[n - 3] === I && (w[n - 1] === S || w[n - 1] === 100 /* d */)) {
    // ied, ies: i after two letters or more, else ie; the bare word goes on to the rules below.
    if (n >= 5) return n - 2;
    if (n === 4) return n - 1;
  }
  if (w[n - 1] === S && (w[n - 2] === 117 /* u */ || w[n - 2] === S)) return n;
  // A final s goes when a vowel comes before the letter before it.
  if (w[n - 1] === S && hasVowel(w, 0, n - 2)) return n - 1;
  return n;
}

function step1b(w: Uint8Array, n: number): number {
  const eed = endsWithText(w, n, "eedly") ? 5 : endsWithText(w, n, "eed") ? 3 : 0;
  if (eed > 0) return r1(w, n) <= n - eed ? n - eed + 2 : n;
  const suffix = endsWithText(w, n, "ed") ? 2 : endsWithText(w, n, "edly") ? 4 : endsWithText(w, n, "ingly") ? 5 : endsWithText(w, n, "ing") ? 3 : 0;
  if (suffix === 0 || !hasVowel(w, 0, n - suffix)) return n;
  const m = n - suffix;
  if (endsWithText(w, m, "at") || endsWithText(w, m, "bl") || endsWithText(w, m, "iz")) {
    w[m] = E;
    return m + 1;
  }
  if (m >= 2 && w[m - 1] === w[m - 2] && DOUBLE[w[m - 1]!] === 1) return m - 1;
  if (isShort(w, m) && r1(w, m) === m) {
    w[m] = E;
    return m + 1;
  }
  return m;
}

function step2(w: Uint8Array, n: number): number {
  const rule = longestRule(STEP2, w, n);
  if (rule === undefined || r1(w, n) > n - rule[0].length) return n;
  const [suffix, replacement] = rule;
  if (replacement !== null) return replace(w, n, suffix.length, replacement);
  if (suffix.length === 3) return w[n - 4] === L ? n - 1 : n; // ogi: og after an l
  return LI_ENDING[w[n - 3]!] === 1 ? n - 2 : n; // li: deleted after a valid li-ending
}

function step3(w: Uint8Array, n: number): number {
  const rule = longestRule(STEP3, w, n);
  if (rule === undefined) return n;
  const p1 = r1(w, n);
  if (p1 > n - rule[0].length) return n;
  const [suffix, replacement] = rule;
  if (replacement !== null) return replace(w, n, suffix.length, replacement);
  return r2(w, n, p1) <= n - 5 ? n - 5 : n; // ative: deleted in R2
}

function step4(w: Uint8Array, n: number): number {
  const rule = longestRule(STEP4, w, n);
  if (rule === undefined || r2(w, n, r1(w, n)) > n - rule[0].length) return n;
  const length = rule[0].length;
  // ion goes only after an s or a t.
  if (length === 3 && w[n - 1] === 110 /* n */ && w[n - 2] === 111 /* o */ && w[n - 3] === I) return w[n - 4] === S || w[n - 4] === 116 /* t */ ? n - 3 : n;
  return n - length;
}

function step5(w: Uint8Array, n: number): number {
  const p1 = r1(w, n);
  const p2 = r2(w, n, p1);
  if (w[n - 1] === E) return p2 < n || (p1 < n && !isShort(w, n - 1)) ? n - 1 : n;
  if (w[n - 1] === L && p2 < n && w[n - 2] === L) return n - 1;
  return n;
}

/** The longest of a step's suffixes (`rules` is sorted longest first) that `w[0, n)` ends with. */
function longestRule(rules: readonly Rule[], w: Uint8Array, n: number): Rule | undefined {
  for (const rule of rules) if (endsWith(w, n, rule[0])) return rule;
  return undefined;
}

/** Replaces the last `cut` letters of `w[0, n)` with `by`; returns the new length. */
function replace(w: Uint8Array, n: number, cut: number, by: Uint8Array): number {
  w.set(by, n - cut);
  return n - cut + by.length;
}

function endsWith(w: Uint8Array, n: number, suffix: Uint8Array): boolean {
  const k = suffix.length;
  if (k > n) return false;
  for (let i = 1; i <= k; i++) if (w[n - i] !== suffix[k - i]) return false;
  return true;
}

function endsWithText(w: Uint8Array, n: number, suffix: string): boolean {
  const k = suffix.length;
  if (k > n) return false;
  for (let i = 1; i <= k; i++) if (w[n - i] !== suffix.charCodeAt(k - i)) return false;
  return true;
}

/** True when a vowel is in `w[from, to)`. */
function hasVowel(w: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (VOWEL[w[i]!] === 1) return true;
  return false;
}

/** Where the region after the first non-vowel following a vowel, from `from`, starts (`n` when it is empty). */
function regionAfter(w: Uint8Array, from: number, n: number): number {
  let i = from;
  while (i < n && VOWEL[w[i]!] !== 1) i++;
  while (i < n && VOWEL[w[i]!] === 1) i++;
  return i < n ? i + 1 : n;
}

/** Where R1 starts in `w[0, n)` (`n`: empty). */
function r1(w: Uint8Array, n: number): number {
  const p = regionAfter(w, 0, n);
  if (p >= n) return n;
  for (const prefix of R1_PREFIXES) if (prefix.length <= n && startsWith(w, prefix)) return prefix.length;
  return p;
}

/** Where R2 starts in `w[0, n)`, whose R1 starts at `p1`. */
function r2(w: Uint8Array, n: number, p1: number): number {
  return p1 >= n ? n : regionAfter(w, p1, n);
}

function startsWith(w: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (w[i] !== prefix[i]) return false;
  return true;
}

/** True when `w[0, m)` ends in a short syllable (wink's reading: the last three letters, or a word of one or two). */
function isShort(w: Uint8Array, m: number): boolean {
  if (m >= 3) {
    const last = w[m - 1]!;
    return VOWEL[w[m - 3]!] !== 1 && VOWEL[w[m - 2]!] === 1 && VOWEL[last] !== 1 && last !== 119 /* w */ && last !== 120 /* x */ && last !== MARK;
  }
  return m >= 1 && VOWEL[w[0]!] === 1 && (m === 1 || VOWEL[w[1]!] !== 1);
}
