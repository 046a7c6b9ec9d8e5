// Where the name recognizer's cue patterns may match, read from the text's shared letter runs (text-runs.ts) instead of
// searching each pattern's opening words over the whole text. Each function names a superset of the positions where
// its pattern can start: the pattern itself, tried there, decides.
import { AsciiWordSet, textRuns } from "../text-runs";

/** The starts of the letter runs that may be one of `set`'s words. */
function wordStarts(text: string, set: AsciiWordSet): number[] {
  const { starts } = textRuns(text).words;
  return set.indexesIn(text).map((k) => starts[k] as number);
}

const HONORIFICS = new AsciiWordSet(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "judge", "justice", "hon", "rev"]);
/** "Mr. Smith", "Dr Karen O'Neil": the title (`\b(?:Mr|…|Rev)\.?\s+`). */
export const honorificStarts = (text: string): number[] => wordStarts(text, HONORIFICS);

const ROLES = [
  "plaintiff", "defendant", "petitioner", "respondent", "appellant", "appellee", "claimant", "debtor", "guarantor", "witness", "testator",
  "testatrix", "executor", "executrix", "trustee", "decedent", "deponent", "affiant", "tenant", "landlord", "employee", "counsel", "attorney",
  "notary",
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

const NAME_CUE_WORDS = new AsciiWordSet([
  "my", "name", "call", "names", "called", "named", "written", "signed", "dear", "hi", "hello", "thanks", "thank", "married", "met", "spoke",
]);
/** The first word of NAME_CUE's phrases ("My name is", "called", "dear", "spoke with"). */
export const nameCueStarts = (text: string): number[] => wordStarts(text, NAME_CUE_WORDS);

const LOWER_CUE_WORDS = new AsciiWordSet(["mr", "mrs", "ms", "dr", "prof", "name", "signed", "by", "attn"]);
/** LOWER_CUE's title or label ("mr.", "name:"). */
export const lowerCueStarts = (text: string): number[] => wordStarts(text, LOWER_CUE_WORDS);

const COMMONWEALTH = new AsciiWordSet(["commonwealth"]);
/** "Commonwealth", "COMMONWEALTH". */
export const commonwealthStarts = (text: string): number[] => wordStarts(text, COMMONWEALTH);
