// What the NDA checklist model reads of one evidence unit (a sentence, with the lead-in of its list):
// hashed words and word pairs, the clause heading, generic negation / permission / exception cues, and
// which of the requirement's hand-written cues match. Feature strings are hashed once per unit; each
// requirement then reads them through its own hash space (conjoined), the polarity head also through a
// shared one, so generic cues ("shall not", "may", "except") carry over between requirements.
import { fnv1a, tokenize } from "../../classification/clause-model/sentence-features";
import type { EvidenceUnit } from "../evidence-units";

/** Which of a requirement's checklist cues match the unit. */
export interface UnitCueHits {
  readonly evidence: boolean;
  readonly contradicted: boolean;
  readonly weak: boolean;
}

const NEGATION = /\b(?:not|no|never|nothing|neither|nor|without|none)\b|n't\b/i;
const PERMISSION = /\b(?:may|can|is\s+permitted|are\s+permitted|is\s+entitled|are\s+entitled|is\s+allowed|right\s+to)\b/i;
const OBLIGATION = /\b(?:shall|must|will|agrees?\s+to|undertakes?\s+to|is\s+required|are\s+required)\b/i;
const EXCEPTION = /\b(?:except|unless|other\s+than|provided\s+(?:that|however)|notwithstanding|save\s+(?:as|for))\b/i;
const PROHIBITION = /\b(?:shall|will|must|may)\s+not\b|\bshall\s+in\s+no\s+event\b|\bprohibited\b/i;

/** The unit's feature strings (before hashing); `heading` is its clause heading, `position` its start / text length. */
export function unitFeatureStrings(unit: EvidenceUnit, heading: string | undefined, position: number): string[] {
  const out: string[] = [];
  const words = tokenize(unit.sentence.quote, 120);
  for (let i = 0; i < words.length; i++) {
    out.push(`w:${words[i]}`);
    if (i > 0) out.push(`b:${words[i - 1]} ${words[i]}`);
  }
  if (unit.leadIn) {
    out.push("lead");
    for (const w of new Set(tokenize(unit.leadIn.quote, 60))) out.push(`l:${w}`);
  }
  if (heading) for (const w of tokenize(heading, 10)) out.push(`h:${w}`);
  const text = unit.text;
  if (NEGATION.test(text)) out.push("cue:negation");
  if (PERMISSION.test(text)) out.push("cue:permission");
  if (OBLIGATION.test(text)) out.push("cue:obligation");
  if (EXCEPTION.test(text)) out.push("cue:exception");
  if (PROHIBITION.test(text)) out.push("cue:prohibition");
  out.push(`pos:${Math.min(9, Math.floor(position * 10))}`);
  out.push(`len:${Math.min(9, Math.floor(Math.log2(1 + words.length)))}`);
  return out;
}

/** Cue-hit feature strings (they depend on the requirement, so they are hashed per requirement). */
export function cueFeatureStrings(hits: UnitCueHits): string[] {
  const out: string[] = [];
  if (hits.evidence) out.push("rule:evidence");
  if (hits.contradicted) out.push("rule:contradicted");
  if (hits.weak) out.push("rule:weak");
  if (!hits.evidence && !hits.contradicted && !hits.weak) out.push("rule:none");
  return out;
}

/** Base hashes of feature strings (before they are placed in a requirement's space). */
export function baseHashes(features: readonly string[]): Uint32Array {
  return Uint32Array.from(features, fnv1a);
}

/** The bucket of a base hash in space `space` (0 = shared, k + 1 = requirement k). */
export function bucket(hash: number, space: number, hashBits: number): number {
  return (Math.imul(hash ^ Math.imul(space + 1, 0x9e3779b1), 0x85ebca6b) >>> (32 - hashBits)) >>> 0;
}
