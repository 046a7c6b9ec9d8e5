import { lexicon } from "./compromise-nlp";
import { AU_TOWNS } from "./au-places";
import { isEnglishWord, isGivenOrFamilyName } from "./lexicons";

/** What compromise's lexicon says about a word or phrase (lower-case keys), as a list of tags. */
function tagsOf(phrase: string): readonly string[] {
  const tags = lexicon()[phrase];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}

const NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName", "LastName", "Person"]);
const FIRST_NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName"]);
const PLACE_NAME_TAGS = new Set(["Country", "City", "Region"]);
const AU_REGIONS: readonly string[] = ["New South Wales", "Queensland", "South Australia", "Western Australia", "Tasmania", "Northern Territory", "Australian Capital Territory"];

interface NameSets {
  readonly known: ReadonlySet<string>;
  readonly place: ReadonlySet<string>;
  readonly first: ReadonlySet<string>;
  readonly curatedFirst: ReadonlySet<string>;
}
let sets: NameSets | undefined;
/**
 * The lexicon's words by what the functions below ask of them, made once: they are asked for nearly every word of
 * a text, and reading the lexicon's tags each time made an array per word.
 */
function nameSets(): NameSets {
  if (sets) return sets;
  const known = new Set<string>();
  const place = new Set<string>();
  const first = new Set<string>();
  const curatedFirst = new Set<string>();
  for (const word of Object.keys(lexicon())) {
    const tags = tagsOf(word);
    if (tags.some((t) => NAME_TAGS.has(t))) known.add(word);
    if (tags.some((t) => PLACE_NAME_TAGS.has(t))) place.add(word);
    if (tags.some((t) => FIRST_NAME_TAGS.has(t))) first.add(word);
    if (tags.length > 0 && tags.every((t) => FIRST_NAME_TAGS.has(t))) curatedFirst.add(word);
  }
  // Australian states and territories, and the towns of a public gazetteer (au-places.ts) whose words are no English
  // word and which are no known given or family name ("Toowoomba", "Wagga Wagga"; not "Ascot", "Victoria", "Perth")
  for (const t of [...AU_REGIONS, ...AU_TOWNS]) {
    const key = t.toLowerCase();
    const words = key.split(/[\s-]+/);
    if (words.some((w) => isEnglishWord(w)) && !AU_REGIONS.includes(t)) continue;
    if (known.has(key) || words.some((w) => isGivenOrFamilyName(capitalise(w)))) continue;
    place.add(key);
  }
  sets = { known, place, first, curatedFirst };
  return sets;
}

export const capitalise = (w: string): string => (w[0] ?? "").toUpperCase() + w.slice(1);

/** True when compromise's lexicon knows the word as a first or last name. */
export function isKnownName(word: string): boolean {
  return nameSets().known.has(word.toLowerCase());
}

/** True when compromise's lexicon knows the phrase as a country, city or region. */
export function isKnownPlaceName(phrase: string): boolean {
  return nameSets().place.has(phrase.toLowerCase().replace(/\s+/g, " "));
}

/** A given name in compromise's (curated) lexicon and nothing else there (`word` as written, lower-case to match). */
export function isCuratedFirstName(word: string): boolean {
  return nameSets().curatedFirst.has(word);
}

/** The words isCuratedFirstName accepts. */
export const curatedFirstNames = (): ReadonlySet<string> => nameSets().curatedFirst;

/** A given name in compromise's lexicon or humannames, in any case. */
export function isFirstName(word: string): boolean {
  if (nameSets().first.has(word.toLowerCase())) return true;
  return isGivenOrFamilyName(capitalise(word.toLowerCase()));
}
