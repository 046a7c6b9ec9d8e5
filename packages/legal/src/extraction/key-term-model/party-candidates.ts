import type { ContractDocument } from "../../text/contract-document";
import type { Party } from "../key-term-types";
import { band, comparableName, windowFeatures, type Candidate } from "./candidate-features";

/** A run of capitalised words that may name a party. */
export interface PartyCandidate {
  readonly start: number;
  readonly end: number;
}

/** How far into the text parties are looked for: the preamble, and at least this many characters. */
const REGION = 6000;
const TOKEN = /[A-Za-z0-9][\w.&'’@/-]*/g;
const CONNECTOR = /^(?:of|and|&|de|du|del|la|le|der|von|van|for|y|et|the|on|in)$/i;
const SUFFIX = /^(?:inc|corp|co|ltd|llc|l\.l\.c|l\.p|lp|llp|plc|n\.a|s\.a|ag|gmbh|b\.v|n\.v|pte|pty|limited|incorporated|corporation|company|s\.r\.l|srl|sa|spa|s\.p\.a|ab|as|oy|kg|se|bv|nv)\.?,?$/i;
const DETERMINER = /^(?:this|the|these|that|said|such|each|both|all|any|an?)$/i;
const MAX_TOKENS = 12;

interface Token {
  readonly start: number;
  readonly end: number;
  readonly word: string;
  /** The word was written with a possessive "'s" ("NETZEE's obligations"): the name ends with it. */
  readonly possessive?: boolean;
}

// A clause number ("16.3", "2.", "10.1.2") is never part of a name, nor is a number that opens one ("12 Governing Law").
const CLAUSE_NUMBER = /^\d+(?:\.\d+)*\.$|^\d+(?:\.\d+)+$/;
const NUMBER = /^\d+$/;
// "ACME's", "ACME’s": the owner's name without its possessive ending.
const POSSESSIVE = /['’]s$/i;

// Signature-block labels end a name ("ACME INC.\nBy: ____").
const LABEL = /^(?:By|Name|Title|Its|Date|Address|Attn|Attention|Signature|Witness|Per)$/;
const isCapitalised = (w: string) => !LABEL.test(w) && !CLAUSE_NUMBER.test(w) && /^[A-Z0-9]/.test(w) || /^[a-z]+[A-Z]/.test(w) || /^[a-z](?:\.[a-z])+\.?$/.test(w);

/** A word in capitals ("ATHENE", "L.P."), as against one in Title Case ("Athene"); a digit or a single letter is neither. */
const isUpperWord = (w: string) => /[A-Z].*[A-Z]/.test(w) && w === w.toUpperCase();

/** The text between two tokens lets a name go on: spaces (one line break at most), ", " before a suffix, "&". */
function joins(text: string, a: Token, b: Token): boolean {
  if (a.possessive) return false;
  const gap = text.slice(a.end, b.start);
  if (/^[ \t]*\n?[ \t]*$/.test(gap) && gap.length <= 40) return true;
  if (/^,\s{0,3}$/.test(gap) && SUFFIX.test(b.word)) return true;
  return /^\s*&\s*$/.test(gap);
}

// Where the parties are named when a cover page or a table of contents pushes the preamble down.
const LATE_PREAMBLE = /\bby\s+and\s+(?:between|among)\b|\bentered\s+into\b|\bis\s+made\b/gi;
const SIGNATURE_AREA = 3000;

/** The opening, and a preamble pushed down by a cover page or a table of contents. */
function preambleRegions(doc: ContractDocument): { start: number; end: number }[] {
  const text = doc.text;
  const regions = [{ start: 0, end: Math.min(text.length, Math.max(doc.preambleEnd, REGION)) }];
  // The module's expression itself (a copy per call was a new object each time): its lastIndex is set before the one exec.
  LATE_PREAMBLE.lastIndex = regions[0]!.end;
  const m = LATE_PREAMBLE.exec(text);
  if (m && m.index < text.length / 2) regions.push({ start: Math.max(regions[0]!.end, m.index - 600), end: Math.min(text.length, m.index + 2400) });
  return regions;
}

// Signature pages open with "IN WITNESS WHEREOF" and may list many signers ("For and on behalf of X", one per party).
const WITNESS_OPENING = /IN\s+WITNESS\s+WHEREOF/gi;
const SIGNATURE_PAGES = 8000;

/** The parts of the text that name parties: the opening, a preamble found later, the signature pages and blocks. */
export function partyRegions(doc: ContractDocument): { start: number; end: number }[] {
  const text = doc.text;
  const regions = preambleRegions(doc);
  const witness = [...text.matchAll(WITNESS_OPENING)].at(-1)?.index;
  if (witness !== undefined) regions.push({ start: witness, end: Math.min(text.length, witness + SIGNATURE_PAGES) });
  regions.push({ start: Math.max(0, text.length - SIGNATURE_AREA), end: text.length });
  // Sorted and merged, so no text is read twice.
  const merged: { start: number; end: number }[] = [];
  for (const r of regions.sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** Runs of capitalised words (with "of", "and", "&" inside) where parties are named, and their parts between connectors. */
export function partyCandidateSpans(doc: ContractDocument): PartyCandidate[] {
  const text = doc.text;
  const tokens: Token[] = [];
  for (const region of partyRegions(doc)) {
    for (const m of text.slice(region.start, region.end).matchAll(TOKEN)) {
      const raw = m[0].replace(/[.,'’/-]+$/, (t) => (t.startsWith(".") ? "." : ""));
      const possessive = POSSESSIVE.test(raw) && raw.length > 2;
      const word = possessive ? raw.slice(0, -2) : raw;
      tokens.push({ start: region.start + m.index, end: region.start + m.index + word.length, word, ...(possessive ? { possessive } : {}) });
    }
  }
  const out = new Map<string, PartyCandidate>();
  const add = (from: number, to: number) => {
    // Determiners, connectors and numbers never start a name; connectors never end one.
    while (from <= to && (DETERMINER.test(tokens[from]!.word) || CONNECTOR.test(tokens[from]!.word) || NUMBER.test(tokens[from]!.word))) from++;
    while (to >= from && CONNECTOR.test(tokens[to]!.word)) to--;
    if (from > to || to - from >= MAX_TOKENS) return;
    const start = tokens[from]!.start;
    const end = tokens[to]!.end;
    if (!/[A-Za-z]{2}/.test(text.slice(start, end))) return;
    out.set(`${start}:${end}`, { start, end });
  };
  let i = 0;
  while (i < tokens.length) {
    if (!isCapitalised(tokens[i]!.word)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && joins(text, tokens[j]!, tokens[j + 1]!)) {
      const next = tokens[j + 1]!.word;
      if (isCapitalised(next) || SUFFIX.test(next)) j++;
      else if (CONNECTOR.test(next) && j + 2 < tokens.length && isCapitalised(tokens[j + 2]!.word) && joins(text, tokens[j + 1]!, tokens[j + 2]!)) j += 2;
      else break;
    }
    add(i, j);
    // "Acme Corp and Beta LLC", "COMWARE TECHNICAL SERVICES OF 17922 SKY PARK": every part between connectors is a name too.
    const starts = [i];
    const ends: number[] = [];
    for (let k = i + 1; k < j; k++) {
      if (/^(?:and|of)$/i.test(tokens[k]!.word)) {
        starts.push(k + 1);
        ends.push(k - 1);
      }
    }
    ends.push(j);
    if (starts.length <= 4) for (const s of starts) for (const e of ends) if (s <= e && (s !== i || e !== j)) add(s, e);
    // Without a leading word that is a title or a label ("Parties ACME CORP", "Licensor Acme Inc.").
    if (j - i >= 2) add(i + 1, j);
    // Where the run changes from words in Title Case to words in capitals, or back: a signer's title run into
    // the next signature block ("Authorized Signatory ATHENE USA CORPORATION"), a name run into a heading.
    for (let k = i + 1; k <= j; k++) {
      if (isUpperWord(tokens[k - 1]!.word) !== isUpperWord(tokens[k]!.word) && !SUFFIX.test(tokens[k]!.word) && !CONNECTOR.test(tokens[k]!.word)) {
        add(i, k - 1);
        add(k, j);
      }
    }
    i = j + 1;
  }
  return [...out.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}

const ANCHOR = /\b(?:between|among|by\s+and\s+between|by\s+and\s+among|made\s+by|entered\s+into\s+by)\b|\bB\s?E\s?T\s?W\s?E\s?E\s?N\b/gi;
const ROLE_AFTER = /^[^"“”()]{0,120}\(\s*(?:the\s+|each\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?["“]/i;
// The defined term itself ("Licensor", "Company", "Agreement"): its words say whether it names a party.
const ROLE_TERM = /^[^"“”()]{0,120}\(\s*(?:the\s+|each\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?["“]([^"“”\n]{1,40})["”]/i;
// How a party is described right after its name: "a Delaware corporation", "organized under the laws of".
const DESCRIBED = /^,?\s*(?:(?:a|an)\s+(?:[\w.-]+\s+){0,5}(?:corporation|company|partnership|association|entity|trust|bank|individual|organi[sz]ation|société|gmbh|limited)\b|(?:a\s+)?(?:company\s+)?(?:duly\s+)?(?:organi[sz]ed|incorporated|existing|registered|formed)\s+(?:and\s+existing\s+)?under)/i;
const IN_DESCRIPTION = /^\s*(?:[A-Za-z-]+\s+){0,3}?(?:corporation|company|partnership|association|entity|trust|bank|banking|organi[sz]ation|limited|corp\b|llc\b|l\.l\.c\.)/i;
const ADDRESSED = /^,?\s*(?:with\s+(?:its\s+)?(?:principal|registered|offices?|a\s+place)|having\s+(?:its|a)\s+(?:principal|registered)|whose\s+(?:principal|registered)|located\s+at|of\s+\d|residing\s+at|\(?(?:CIK|company\s+(?:no|number)|registration))/i;
// A signature block follows the name: "ACME LLC By: /s/ …", "ACME LLC\n\nBy: ______" (one per party in a list of signers).
const SIGNER_AFTER = /^[\s,.:]{0,8}By\s*(?::|\/s\/|_{2,})/;
// A name in a list of names: "A, Inc., B LLC and C Corp." (its neighbours are parties when it is).
const LISTED_BEFORE = /(?:,|;|\band|\bAND|\))\s*$/;
const WITNESS = /IN\s+WITNESS\s+WHEREOF|SIGNATURES?\s*:?\s*\n|\bBy\s*:\s*_{3,}/i;

/** Features of each candidate: its words and shape, its neighbours, where it sits, how often the name recurs, and whether the rules chose it. */
export function partyCandidates(doc: ContractDocument, ruleParties: readonly Party[]): Candidate<PartyCandidate>[] {
  const text = doc.text;
  const spans = partyCandidateSpans(doc);
  const anchors = preambleRegions(doc).flatMap((r) => [...text.slice(r.start, r.end).matchAll(ANCHOR)].map((m) => r.start + m.index));
  const witness = text.search(WITNESS);
  const signatureArea = witness >= 0 ? text.slice(witness).toLowerCase() : text.slice(Math.max(0, text.length - 4000)).toLowerCase();
  const lower = text.toLowerCase();
  const recurrence = new Map<string, { occurrences: number; signed: boolean }>();
  // Where each word starts, so a name's recurrences are counted without scanning the text once per name.
  const wordStarts = new Map<string, number[]>();
  for (const m of lower.matchAll(/[a-z0-9][a-z0-9&'’@/-]*/g)) {
    const list = wordStarts.get(m[0]);
    if (list) list.push(m.index);
    else wordStarts.set(m[0], [m.index]);
  }
  // Spans are sorted by start: distinctStarts[i] counts the different starts among spans[0..i].
  const distinctStarts: number[] = [];
  spans.forEach((c, i) => distinctStarts.push((i > 0 ? distinctStarts[i - 1]! : 0) + (i === 0 || spans[i - 1]!.start !== c.start ? 1 : 0)));
  const firstSpanAfter = new Map<number, number>();
  for (const a of anchors) {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start < a) lo = mid + 1;
      else hi = mid;
    }
    firstSpanAfter.set(a, lo);
  }
  const mentions = spans.map((c, index) => {
    const quote = text.slice(c.start, c.end);
    const words = quote.split(/\s+/);
    const f: string[] = ["bias", ...windowFeatures(text, c.start, c.end, 6, 6)];
    for (const w of words) f.push(`t:${w.toLowerCase().replace(/[.,]+$/, "")}`);
    f.push(`first:${words[0]!.toLowerCase()}`, `last:${words.at(-1)!.toLowerCase().replace(/[.,]+$/, "")}`);
    f.push(band("ntok", words.length), band("chars", quote.length / 4));
    // Flags that also describe the entity: any mention of the same name carrying one lends it to the others.
    const flags: string[] = [];
    if (SUFFIX.test(words.at(-1)!)) flags.push("suffix");
    if (quote === quote.toUpperCase()) f.push("allcaps");
    if (/["“]\s*$/.test(text.slice(Math.max(0, c.start - 2), c.start)) && /^\s*["”]/.test(text.slice(c.end, c.end + 2))) flags.push("quoted");
    const after = text.slice(c.end, c.end + 160);
    if (ROLE_AFTER.test(after)) flags.push("role-after");
    const term = ROLE_TERM.exec(after)?.[1];
    if (term) for (const w of term.toLowerCase().split(/\s+/).slice(0, 3)) f.push(`role:${w}`);
    if (DESCRIBED.test(after)) flags.push("described");
    // Inside a description of a party ("a Delaware corporation", "a Cayman Islands exempted company"): a place, not a name.
    if (/\b(?:a|an)\s+$/i.test(text.slice(Math.max(0, c.start - 4), c.start)) && IN_DESCRIPTION.test(text.slice(c.start, c.start + 80).replace(/^\S+/, ""))) flags.push("in-description");
    if (ADDRESSED.test(after)) flags.push("addressed");
    if (SIGNER_AFTER.test(after)) flags.push("by-after");
    const lineBefore = text.slice(Math.max(0, text.lastIndexOf("\n", c.start - 1) + 1), c.start);
    if (/\b(?:on\s+behalf\s+of|for\s+and\s+on\s+behalf|signed\s+(?:by|for))\b/i.test(lineBefore)) flags.push("signed-for");
    if (LISTED_BEFORE.test(text.slice(Math.max(0, c.start - 8), c.start))) f.push("listed-before");
    f.push(band("pos", c.start / 250), band("rank", index));
    if (c.start < doc.preambleEnd) flags.push("preamble");
    const anchor = anchors.filter((a) => a <= c.start).at(-1);
    f.push(anchor === undefined ? "no-anchor" : band("from-anchor", (c.start - anchor) / 40));
    if (anchor !== undefined) {
      // The how-many-th name after "between" (nested parts of one run count once).
      const firstAfter = firstSpanAfter.get(anchor)!;
      const rank = distinctStarts[index]! - (firstAfter > 0 ? distinctStarts[firstAfter - 1]! : 0);
      if (c.start - anchor < 1500) flags.push(band("after-anchor-rank", rank));
    }
    if (anchors.length > 0 && anchors[0]! > c.start) f.push("before-anchor");
    const key = quote.toLowerCase().replace(/\s+/g, " ");
    let seen = recurrence.get(key);
    if (seen === undefined) {
      let occurrences = 0;
      for (const at of wordStarts.get(key.slice(0, key.search(/[\s.,]|$/))) ?? []) if (lower.startsWith(key, at) && ++occurrences >= 16) break;
      seen = { occurrences, signed: key.length >= 4 && signatureArea.includes(key) };
      recurrence.set(key, seen);
    }
    f.push(band("occ", seen.occurrences));
    if (seen.signed) flags.push("in-signatures");
    const rule = ruleParties.find((p) => p.span.start < c.end && c.start < p.span.end);
    flags.push(rule === undefined ? "rule:none" : rule.span.start === c.start && rule.span.end === c.end ? "rule:exact" : "rule:overlap");
    // Pairs a linear model cannot form itself.
    if (flags.includes("suffix") && flags.includes("role-after")) flags.push("suffix&role-after");
    if (flags.includes("described") && flags.includes("preamble")) flags.push("described&preamble");
    if (flags.includes("preamble") && flags.includes("in-signatures")) flags.push("preamble&in-signatures");
    return { value: c, features: f, flags, entity: comparableName(quote) };
  });
  const entityFlags = new Map<string, Set<string>>();
  for (const m of mentions) {
    const set = entityFlags.get(m.entity) ?? new Set<string>();
    for (const flag of m.flags) set.add(flag);
    entityFlags.set(m.entity, set);
  }
  const entityMentions = new Map<string, number>();
  for (const m of mentions) entityMentions.set(m.entity, (entityMentions.get(m.entity) ?? 0) + 1);
  return mentions.map((m) => ({
    value: m.value,
    features: [...m.features, ...m.flags, ...[...(entityFlags.get(m.entity) ?? [])].map((flag) => `e:${flag}`), band("e:mentions", entityMentions.get(m.entity) ?? 0)],
  }));
}
