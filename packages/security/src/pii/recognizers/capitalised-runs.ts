// What the name recognizer's lexicon reader makes of a run of capitalised words from its words alone (the word lists,
// no text around it): which words can be a name, whether it is a place with compass words, whether an everyday word
// rules it out. A contract repeats its capitalised runs ("the Borrower", "Section", "the Effective Date") hundreds of
// times, so each distinct run is read once and remembered; the reader then adds what the text around it says.
import { lexicon } from "./compromise-nlp";
import { AFFIX_HEAD, isCommonWord, isDerivedEnglish, isDictionaryWord, isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";
import { isCuratedFirstName, isFirstName, isKnownName, isKnownPlaceName } from "./lexicon-tags";
import { isJobTitleWord } from "./job-titles";
import { STOP_START } from "./name-spans";
import { forgetWhenScanningIdles } from "../scan-memory";

/** "Russian", "Italian": a nationality (compromise's Demonym tag) is no one's name. */
export const isDemonym = (w: string): boolean => [lexicon()[w.toLowerCase()]].flat().includes("Demonym");

/** "Wilson's" → "Wilson", "Attorneys'" → "Attorneys". */
export const bareWord = (w: string): string => w.replace(/[’']s?$/, "");

const AFFIX_TAIL = /^(?:ability|ibility|ation|ations|ness|ment|ments|able|ible|less|ship|hood|ward|wards|ing|ings|ers|ion|ions|ity|ally|ously)$/;
/** Two English words run together ("Flightaware", "Datamarket") or a capital inside a word ("MysticWeb"). */
export function isBrandLike(word: string): boolean {
  if (/^\p{Lu}\p{Ll}+\p{Lu}\p{Ll}/u.test(word)) return true;
  const w = word.toLowerCase();
  if (w.length < 7 || !/^\p{Ll}+$/u.test(w)) return false;
  // "Discloser" is "disclose" + "r", not "disc" + "loser"
  if ([1, 2, 3].some((k) => /(?:r|rs|er|ers|or|ors|s|es|d|ed)$/.test(w.slice(-k)) && isEnglishWord(w.slice(0, -k)))) return false;
  for (let i = 3; i <= w.length - 3; i++) {
    const [head, tail] = [w.slice(0, i), w.slice(i)];
    // a prefix or a suffix is derivation, not two words: "Discloser", "Proration", "Severability"
    if (AFFIX_HEAD.test(head) || AFFIX_TAIL.test(tail)) continue;
    if (isEnglishWord(head) && isEnglishWord(tail)) return true;
  }
  return false;
}

/** Compass and qualifier words that open a place's name before a known place ("New South Wales"). */
const PLACE_QUALIFIER = /^(?:north|south|east|west|northern|southern|eastern|western|upper|lower|central|greater|new)$/i;

/** A word after a given name that continues the name: a known family name, not a role or a legal word. */
function isSurnameAfterGiven(word: string): boolean {
  // "Barry N. Shamas President": a job title after a signatory's name is no surname
  return /^\p{Lu}\p{Ll}/u.test(word) && !isNotAName(word) && !isDemonym(word) && !isJobTitleWord(word) && (isGivenOrFamilyName(word) || isKnownName(word));
}

/** What the reader asks of a word of a capitalised run (of its bare form): */
const NAME_LIKE = 1; // a known given or family name that is no everyday word, role or nationality
const UNKNOWN = 2; // no word, name or lexicon entry at all
const EVERYDAY = 4; // a role word, or an everyday word that is no known name
const runWordClasses = new Map<string, number>();
forgetWhenScanningIdles(runWordClasses);
/**
 * The answers for one word, asked once: they depend on the word lists only, and a contract repeats its capitalised
 * words (parties, defined terms, headings) hundreds of times.
 */
function runWordClass(w: string): number {
  let c = runWordClasses.get(w);
  if (c === undefined) {
    const b = bareWord(w);
    const role = isNotAName(b);
    const demonym = isDemonym(b);
    const common = isCommonWord(b);
    const given = isGivenOrFamilyName(b);
    const known = isKnownName(b);
    c =
      (!role && !common && !demonym && (given || known) ? NAME_LIKE : 0) |
      (!role && !isDictionaryWord(b) && !demonym && !known && !lexicon()[b.toLowerCase()] ? UNKNOWN : 0) |
      (role || (common && !given) ? EVERYDAY : 0);
    if (runWordClasses.size > 100_000) runWordClasses.clear();
    runWordClasses.set(w, c);
  }
  return c;
}

/**
 * A run's reading from its words alone. Offsets are into the run. `none`: no word of it can be a name. Otherwise
 * `lone`, when only one dictionary word was kept at first, is where that word starts (no name after "the", "a",
 * "an": the text decides), then either `place` (compass words and a known place: a place from `start` to `end`),
 * `everyday` (an everyday word among the kept ones: no name), or the kept words `start`..`end`.
 */
export type RunReading =
  | { readonly kind: "none" }
  | {
      readonly kind: "place" | "everyday" | "kept";
      readonly lone: number | undefined;
      readonly start: number;
      readonly end: number;
      /** How many words were kept. */
      readonly words: number;
      /** One kept word is a known given or family name (NAME_LIKE). */
      readonly hasName: boolean;
      /** The kept words are a known place. */
      readonly knownPlace: boolean;
      /** The first kept word, lower-cased, is a curated given name. */
      readonly curatedFirst: boolean;
      /** The first kept word (bare) reads as a brand (isBrandLike) and is no everyday word built from English ones. */
      readonly brand: boolean;
      /** The first kept word (bare) is an everyday word built from English ones (isDerivedEnglish). */
      readonly derived: boolean;
    };

const NONE: RunReading = { kind: "none" };
const readings = new Map<string, RunReading>();

/** The reading of `run` (its words one space apart, as TITLE_RUN matches them), read once per distinct run. */
export function readRun(run: string): RunReading {
  let r = readings.get(run);
  if (r === undefined) {
    r = readRunWords(run);
    if (readings.size > 100_000) readings.clear();
    readings.set(run, r);
  }
  return r;
}

/** How many runs' readings are remembered (they hold names from the text: a scan forgets them when done). */
export function runReadingsHeld(): number {
  return readings.size;
}

/** Forgets the remembered readings (a scan calls this when done; the spec: a reading must not depend on the text the run was first met in). */
export function forgetRunReadings(): void {
  readings.clear();
}

const isInitial = (w: string): boolean => /^\p{Lu}\.?$/u.test(w);
const nameLike = (w: string): boolean => (runWordClass(w) & NAME_LIKE) !== 0;
const unknown = (w: string): boolean => (runWordClass(w) & UNKNOWN) !== 0;

function readRunWords(run: string): RunReading {
  const words: { w: string; at: number }[] = [];
  for (const m of run.matchAll(/\S+/g)) words.push({ w: m[0], at: m.index });
  const bare = bareWord;
  const word = (i: number): string => words[i]?.w ?? "";
  let a = 0;
  let b = words.length - 1;
  while (a <= b && !(nameLike(word(a)) || (unknown(word(a)) && !isInitial(word(a))))) a++;
  while (b >= a && !(nameLike(word(b)) || unknown(word(b)) || isInitial(word(b)))) b--;
  if (a > b) return NONE;
  // "the English language", "an Apple device": one dictionary word after an article is an adjective or a thing
  const lone = a === b && isDictionaryWord(bare(word(a))) ? (words[a]?.at ?? 0) : undefined;
  // "Mark Stevens", "Grant Wood": a given name that is also an everyday word still starts the name before a surname
  while (a > 0 && a <= b && nameLike(word(a)) && isFirstName(bare(word(a - 1))) && /^\p{Lu}\p{Ll}+$/u.test(word(a - 1)) && !isNotAName(bare(word(a - 1))) && !STOP_START.has(word(a - 1))) a--;
  // "W. Ian Roberts": initials in front of a given name are part of the name
  while (a > 0 && a <= b && isInitial(word(a - 1)) && isFirstName(bare(word(a)))) a--;
  // "John Smith", "Mary Baker": a known family name that is also an everyday word still follows a given name
  while (b + 1 < words.length && (isFirstName(bare(word(b))) || isInitial(word(b))) && isSurnameAfterGiven(bare(word(b + 1)))) b++;
  const end = (words[b]?.at ?? 0) + word(b).length;
  // "New South Wales", "Northern Wales": compass and qualifier words before a known place are part of the place
  if (b > a && isKnownPlaceName(bare(word(b))) && words.slice(a, b).every((x) => PLACE_QUALIFIER.test(x.w))) {
    while (a > 0 && PLACE_QUALIFIER.test(word(a - 1))) a--;
    return { kind: "place", lone, ...keptFacts(run, words[a]?.at ?? 0, end, word(a)), words: b - a + 1, hasName: false };
  }
  const kept = words.slice(a, b + 1);
  const everyday = kept.some((x) => (runWordClass(x.w) & EVERYDAY) !== 0);
  return { kind: everyday ? "everyday" : "kept", lone, ...keptFacts(run, words[a]?.at ?? 0, end, word(a)), words: kept.length, hasName: kept.some((x) => nameLike(x.w)) };
}

/** What the words kept from `start` to `end` of a run say with the word lists, `first` the first of them. */
function keptFacts(run: string, start: number, end: number, first: string): { start: number; end: number; knownPlace: boolean; curatedFirst: boolean; brand: boolean; derived: boolean } {
  const bare = bareWord(first);
  const derived = isDerivedEnglish(bare);
  return { start, end, knownPlace: isKnownPlaceName(run.slice(start, end)), curatedFirst: isCuratedFirstName(first.toLowerCase()), brand: !derived && isBrandLike(bare), derived };
}
