import { lexicon } from "./compromise-nlp";
import { isGivenOrFamilyName } from "./lexicons";

/** What compromise's lexicon says about a word or phrase (lower-case keys), as a list of tags. */
function tagsOf(phrase: string): readonly string[] {
  const tags = lexicon()[phrase];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}

const NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName", "LastName", "Person"]);
const FIRST_NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName"]);
const PLACE_NAME_TAGS = new Set(["Country", "City", "Region"]);

export const capitalise = (w: string): string => (w[0] ?? "").toUpperCase() + w.slice(1);

/** True when compromise's lexicon knows the word as a first or last name. */
export function isKnownName(word: string): boolean {
  return tagsOf(word.toLowerCase()).some((t) => NAME_TAGS.has(t));
}

/** True when compromise's lexicon knows the phrase as a country, city or region. */
export function isKnownPlaceName(phrase: string): boolean {
  return tagsOf(phrase.toLowerCase().replace(/\s+/g, " ")).some((t) => PLACE_NAME_TAGS.has(t));
}

/** A given name in compromise's (curated) lexicon and nothing else there (`word` as written, lower-case to match). */
export function isCuratedFirstName(word: string): boolean {
  const tags = tagsOf(word);
  return tags.length > 0 && tags.every((t) => FIRST_NAME_TAGS.has(t));
}

/** A given name in compromise's lexicon or humannames, in any case. */
export function isFirstName(word: string): boolean {
  if (tagsOf(word.toLowerCase()).some((t) => FIRST_NAME_TAGS.has(t))) return true;
  return isGivenOrFamilyName(capitalise(word.toLowerCase()));
}
