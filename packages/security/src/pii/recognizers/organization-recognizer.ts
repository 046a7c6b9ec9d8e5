import type { PiiFinding, Recognizer } from "../pii-types";
import { isNotAName } from "./lexicons";
import { institutions, suffixNames } from "./company-names";
import { definedParties, propagate, roleDefinedParties } from "./defined-parties";
import { nameSpan } from "./name-spans";
import { affiliations, contextNames, firms, lowerCaseSuffixNames, noticeNames, onBehalfNames, surnamePairs, tradeNames } from "./organization-cues";
import type { Push } from "./organization-words";

/** A tab or three spaces between two non-blank characters of a line. */
const COLUMN_GAP = /\S(?:[ \u00a0]*\t[ \t\u00a0]*|[ \u00a0]{3,})(?=\S)/u;
const COLUMN_GAPS = /(?<=\S)(?:[ \u00a0]*\t[ \t\u00a0]*|[ \u00a0]{3,})(?=\S)/gu;

/**
 * Organisations named by legal and business cues: corporate and institutional suffixes
 * (company-names), firms, employers and affiliations (organization-cues), and contract parties with
 * their short names (defined-parties). compromise's own organisation tags stay in NameRecognizer;
 * cards and letterheads, which need the other findings, are read by the scanner (letterhead.ts).
 */
export class OrganizationRecognizer implements Recognizer {
  readonly name = "OrganizationRecognizer";
  readonly types = ["ORGANIZATION"] as const;

  recognize(input: string): PiiFinding[] {
    // columns laid out on one line (signature blocks: "ACME CORP.     BETA LLC") are read as separate lines, so that
    // no name runs across a gap of a tab or three spaces (offsets unchanged: a gap's first character becomes a line break)
    const text = COLUMN_GAP.test(input) ? input.replace(COLUMN_GAPS, (g) => `\n${g.slice(1)}`) : input;
    const out: PiiFinding[] = [];
    const push: Push = (start, end, score, lowerCase = false) => {
      // "… Santa Clara County. Acme Widgets, Inc.": a name starts after the end of a sentence (not after "Co.", "Inc.")
      const breaks = [...text.slice(start, end).matchAll(/(?<![\p{L}])\p{Lu}?\p{Ll}{3,}\.\s+(?=\p{Lu})/gu)].pop();
      const from = breaks && !/^(?:Inc|Corp|Ltd|Bros|Assn|Intl)\.$/u.test(breaks[0].trim()) ? start + breaks.index + breaks[0].length : start;
      const span = nameSpan(text, from, end, false);
      if (!span) return;
      const [s, e] = span;
      // "iMine Corporation", "eBay Inc.": a lower-case letter before a capital starts a name too
      if (e - s < 2 || (!lowerCase && !/^(?:[\p{Lu}\d]|\p{Ll}\p{Lu})/u.test(text.slice(s, s + 2)))) return;
      const words = text.slice(s, e).split(/[\s,'’]+/).filter((w) => /\p{L}{2,}/u.test(w));
      if (words.length > 0 && words.every((w) => isNotAName(w))) return;
      out.push({ type: "ORGANIZATION", start: s, end: e, score, recognizer: "LegalCueRecognizer" });
    };
    firms(text, push);
    contextNames(text, push);
    tradeNames(text, push);
    onBehalfNames(text, push);
    noticeNames(text, push);
    affiliations(text, push);
    surnamePairs(text, push);
    lowerCaseSuffixNames(text, push);
    suffixNames(text, push);
    institutions(text, push);
    definedParties(text, push);
    roleDefinedParties(text, push);
    propagate(text, out, push);
    return out;
  }
}
