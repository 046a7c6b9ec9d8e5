// Where the name recognizer's cue patterns may match, read from the text's shared letter runs (text-runs.ts) instead of
// searching each pattern's opening words over the whole text. Each function names a superset of the positions where
// its pattern can start: the pattern itself, tried there, decides.
import { AsciiWordSet, textRuns } from "../text-runs";

/** The starts of the letter runs that may be one of `set`'s words. */
function wordStarts(text: string, set: AsciiWordSet): number[] {
  const { starts } = textRuns(text).words;
  return set.indexesIn(text).map((k) => starts[k] as number);
}

/** Titles before a person's name, as written, in the order the honorific cue tries them. */
export const HONORIFIC_WORDS = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Judge", "Justice", "Hon", "Rev"];
const HONORIFICS = new AsciiWordSet(HONORIFIC_WORDS);
/** "Mr. Smith", "Dr Karen O'Neil": the title (`\b(?:Mr|…|Rev)\.?\s+`). */
export const honorificStarts = (text: string): number[] => wordStarts(text, HONORIFICS);

/** Parties' roles before a person's name ("the Plaintiff, John Doe"), as written, in the order the role cue tries them. */
export const ROLES = [
  "Plaintiff", "Defendant", "Petitioner", "Respondent", "Appellant", "Appellee", "Claimant", "Debtor", "Guarantor", "Witness", "Testator",
  "Testatrix", "Executor", "Executrix", "Trustee", "Decedent", "Deponent", "Affiant", "Tenant", "Landlord", "Employee", "Counsel", "Attorney",
  "Notary",
];
const ROLE_WORDS = new AsciiWordSet([...ROLES, ...ROLES.map((r) => `${r}s`)]);
/** "the Plaintiff, John Doe": the role word, maybe plural (`\b(?:Plaintiff|…)s?,?\s+`). */
export const roleStarts = (text: string): number[] => wordStarts(text, ROLE_WORDS);

const SIGNATURE_LABELS = new AsciiWordSet(["by", "name", "signed", "signature", "attn", "attention", "s"]);
/** "By:", "Name:", "Attn.:", and the "/" of "/s/" (a run "s" between two slashes). */
export function signatureStarts(text: string): number[] {
  const { starts, ends } = textRuns(text).words;
  const out: number[] = [];
  for (const k of SIGNATURE_LABELS.indexesIn(text)) {
    const start = starts[k] as number;
    if ((ends[k] as number) - start === 1) {
      if (text.charCodeAt(start - 1) === 47) out.push(start - 1);
    } else out.push(start);
  }
  return out;
}

/** Phrases after which a name follows, in the order NAME_CUE tries them. */
export const NAME_CUE_PHRASES = [
  "my name is", "name is", "call me", "names are", "names were", "called", "named", "written by", "signed by", "dear", "hi", "hello", "thanks",
  "thank you", "married", "met with", "spoke with",
];
const NAME_CUE_WORDS = new AsciiWordSet(NAME_CUE_PHRASES.map((p) => p.split(" ")[0] as string));
/** The first word of NAME_CUE's phrases ("My name is", "called", "dear", "spoke with"). */
export const nameCueStarts = (text: string): number[] => wordStarts(text, NAME_CUE_WORDS);

/** LOWER_CUE's titles (before a name, maybe with a period) and labels (before a colon), in the order it tries them. */
export const LOWER_CUE_TITLES = ["mr", "mrs", "ms", "dr", "prof"];
export const LOWER_CUE_LABELS = ["name", "signed", "by", "attn"];
const LOWER_CUE_WORDS = new AsciiWordSet([...LOWER_CUE_TITLES, ...LOWER_CUE_LABELS]);
/** LOWER_CUE's title or label ("mr.", "name:"). */
export const lowerCueStarts = (text: string): number[] => wordStarts(text, LOWER_CUE_WORDS);

const COMMONWEALTH = new AsciiWordSet(["commonwealth"]);
/** "Commonwealth", "COMMONWEALTH". */
export const commonwealthStarts = (text: string): number[] => wordStarts(text, COMMONWEALTH);
