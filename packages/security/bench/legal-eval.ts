// Legal-text checks of PiiScanner on CUAD contracts (shared by bench/legal-text.ts and the jest quality test):
// headings and quoted defined terms must come through untouched, the parties CUAD's lawyers named must be found.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PiiFinding } from "../src/pii/pii-types";
import { isDictionaryWord, isEnglishWord, isNotAName } from "../src/pii/recognizers/lexicons";

/** Fixed split by hash of a key (file name, document or template id): "tune" is looked at, "report" is not. */
export function splitOf(key: string): "tune" | "report" {
  return (createHash("sha256").update(`bear-pii-split-v1|${key}`).digest()[0] ?? 0) < 128 ? "tune" : "report";
}

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
export interface CuadContract {
  readonly file: string;
  readonly text: string;
  /** CUAD "Parties" quotes that name a party (quoted role words such as "Provider" left out). */
  readonly parties: readonly Span[];
}

/** A party quote that is only dictionary words in quotes ("Provider", "the Company") is a role, not a name. */
export function namesAParty(s: string): boolean {
  // role words, quoted or not ("Provider", the "Company", LICENSEE, Co-Trustee, Contractor.)
  const words = (s.match(/\p{L}+/gu) ?? []).filter((w) => !/^(?:the|or|and|co|a|an)$/i.test(w));
  if (words.every(isRoleWord)) return false;
  // sentences about the parties ("X and Y may be referred to … as a "Party"")
  if (/\b(?:referred|hereinafter|collectively|individually|on behalf of|each a|together)\b/i.test(s)) return false;
  return /\p{Lu}/u.test(s);
}

/**
 * A "Parties" answer that is a role label the contract defines ("Party B", "the Professional", "CELEBRITY", each and
 * both of them "Recipient"): English words and single letters only, one word of substance (articles, pronouns and
 * letters aside) or a term in quotes, no legal form, acronym or digit, and none of its words part of one of the
 * contract's answers that names a party ("FUSION" beside "FUSION Pharmaceuticals Inc." and "Diplomat" beside "Diplomat
 * Direct Marketing Corporation" are short names), nor a trade name ("doing business as …"). Names made of two or more
 * English words ("World Energy Solutions", "The Right Solution") are names. Issue 18 item 1 keeps role words in clear, so
 * these answers are reported apart ("answers that name a party"), never dropped from the goal's figure. Chosen on the
 * tune part's answers (bench/party-misses.ts --show), not the report's.
 */
export function isRoleLabel(answer: string, answers: readonly string[]): boolean {
  if (!roleShaped(answer)) return false;
  const nameWords = new Set(answers.filter((a) => !roleShaped(a)).flatMap((a) => wordsOf(a).map((w) => w.toLowerCase())));
  return !wordsOf(answer).some((w) => w.length > 2 && nameWords.has(w.toLowerCase()));
}
const wordsOf = (s: string): string[] => s.match(/\p{L}[\p{L}'’]*/gu) ?? [];
const FILLER = /^(?:the|a|an|or|and|of|each|both|them|you|your|as|hereafter|hereinafter|individually|collectively)$/i;
/** English words and letters only, one word of substance or a quoted term; no legal form, acronym, digit or trade name. */
function roleShaped(s: string): boolean {
  if (/\d/.test(s) || LEGAL_FORM.test(s) || /\b(?:doing business as|d\/b\/a|dba|trading as)\b/i.test(s)) return false;
  const words = wordsOf(s);
  if (words.some((w) => /^\p{Lu}{2,5}$/u.test(w))) return false; // an acronym ("AT&T", "BE")
  if (!words.every((w) => w.length === 1 || isDictionaryWord(w.replace(/['’]s?$/u, "")))) return false;
  const substance = words.filter((w) => w.length > 2 && !FILLER.test(w));
  return substance.length <= 1 || /["“”]/u.test(s);
}

/** A party's role ("Provider", "Licensee", "Company", "you"): a defined role word, or a dictionary noun of agency. */
function isRoleWord(w: string): boolean {
  if (isNotAName(w) || /^(?:company|party|parties|you|your|trust|fund|client|customer|consultant|us|we|our)$/i.test(w)) return true;
  return /(?:er|or|ee|ant|ent|ist|ary)s?$/i.test(w) && isEnglishWord(w);
}

/** Words of the party names, lower-case: a heading or defined term holding one names a party. */
function partyWords(parties: readonly Span[]): Set<string> {
  return new Set(parties.flatMap((p) => p.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2));
}
const LEGAL_FORM = /\b(?:inc|llc|ltd|corp|corporation|company|limited|plc|gmbh|n\.a|bank|trust|partners|group|holdings)\b/i;

/** The contracts of `cuad_train` in one part of the split, in hash order, at most `limit`. */
export function loadCuad(dataDir: string, part: "tune" | "report", limit: number): CuadContract[] {
  const dir = path.join(dataDir, "cuad_train");
  const parties = new Map<string, Span[]>();
  for (const line of fs.readFileSync(path.join(dir, "clauses.jsonl"), "utf8").split("\n")) {
    if (!line.includes('"category": "Parties"')) continue;
    const r = JSON.parse(line) as { file: string; spans: Span[] };
    parties.set(r.file, r.spans.filter((s) => namesAParty(s.text)));
  }
  const hash = (f: string): string => createHash("sha256").update(f).digest("hex");
  return fs
    .readdirSync(path.join(dir, "full_contract_txt"))
    .filter((f) => splitOf(f) === part)
    .sort((a, b) => hash(a).localeCompare(hash(b)))
    .slice(0, limit)
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, "full_contract_txt", file), "utf8"), parties: parties.get(file) ?? [] }));
}

const CONNECTIVE = /^(?:of|and|or|the|to|for|in|on|by|with|a|an|&|upon|under|from|not|no)$/i;
const dictionaryWords = (s: string): boolean => {
  const words = s.split(/[\s/,;-]+/).filter((w) => /\p{L}/u.test(w)).map((w) => w.replace(/['’]s?$|^[("“]|[)"”.:]$/gu, ""));
  return words.length > 0 && words.length <= 8 && words.every((w) => CONNECTIVE.test(w) || (/^\p{Lu}/u.test(w) && isEnglishWord(w)));
};

/**
 * Headings as a reader sees them, found independently of the scanner: a line (or the run-in caption that starts
 * a paragraph, "12. Severability.") made of capitalised dictionary words, optionally numbered.
 */
export function headings(text: string): Span[] {
  const out: Span[] = [];
  const LINE = /^[ \t]*((?:(?:ARTICLE|Article|SECTION|Section)\s+)?(?:[0-9]+(?:\.[0-9]+)*\.?|[IVXL]+\.|\([a-z0-9]+\)|[A-Z]\.)?[ \t]*)([^\n]{3,80}?)[ \t]*$/gmu;
  for (const m of text.matchAll(LINE)) {
    const body = m[2] ?? "";
    if (/\d/.test(body)) continue;
    const start = m.index + (m[0].length - m[0].trimStart().length) + (m[1] ?? "").trimStart().length;
    const caption = /^([^.:\n]{3,60})[.:](?:\s|$)/u.exec(body);
    for (const cand of caption && m[1]?.trim() ? [caption[1] ?? ""] : [body]) {
      const t = cand.trim().replace(/[.:]$/, "");
      if (t.length < 3 || !/^\p{Lu}/u.test(t) || !dictionaryWords(t)) continue;
      const at = text.indexOf(t, start);
      out.push({ start: at, end: at + t.length, text: t });
    }
  }
  return out;
}

/** The initials of the last `n` capitalised words before `at` ("Morgan Stanley & Co. Incorporated, a Delaware corporation" → "MS…"). */
function initialsBefore(text: string, at: number, n: number): string {
  const before = text.slice(Math.max(0, at - 200), at);
  // the name ends before its legal form and description (", a Delaware corporation")
  const name = before.replace(/,?\s*(?:an?\s+[^,()]*)?$/u, "").replace(/[\s,]*(?:Inc|Incorporated|LLC|Ltd|Limited|Corp|Corporation|Co|Company|plc|L\.?P)\.?$/iu, "");
  const words = (name.match(/\p{Lu}[\p{L}'’-]*/gu) ?? []).filter((w) => !/^(?:Inc|Incorporated|LLC|Ltd|Limited|Corp|Corporation|Co|Company)$/i.test(w));
  return words.slice(-n).map((w) => w[0]).join("");
}

/** `(the "Effective Date")`, `("Services")`: quoted defined terms made of capitalised dictionary words. */
export function definedTerms(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/\((?:[^()"“”]{0,40}?)["“]([^"“”\n]{2,60})["”]/gu)) {
    const t = m[1] ?? "";
    if (!/^\p{Lu}/u.test(t) || !dictionaryWords(t)) continue;
    // ("MS") after Morgan Stanley & Co.: an acronym of the name just before is that name, not a dictionary word
    if (/^\p{Lu}{2,6}$/u.test(t) && initialsBefore(text, m.index, t.length) === t) continue;
    const start = m.index + m[0].lastIndexOf(t);
    out.push({ start, end: start + t.length, text: t });
  }
  return out;
}

export interface LegalTextReport {
  readonly contracts: number;
  readonly chars: number;
  readonly headings: number;
  readonly headingHits: Span[];
  readonly terms: number;
  readonly termHits: Span[];
  readonly parties: number;
  readonly partiesFound: number;
  /** The same, role labels left out (`isRoleLabel`): the answers that name a party. */
  readonly namingParties: number;
  readonly namingPartiesFound: number;
  readonly missedParties: Span[];
  /** Names (the same text in one contract) found both as a person and as an organisation: two placeholders for one entity. */
  readonly typeSplits: number;
  /** The mentions of those names carrying the type less of them carry. */
  readonly splitMentions: number;
  readonly ms: number;
}

/** Names of one text found as PERSON and as ORGANIZATION, and the mentions of the less frequent type. */
function typeSplitsOf(text: string, findings: readonly PiiFinding[]): { names: number; mentions: number } {
  const byName = new Map<string, { person: number; org: number }>();
  for (const f of findings) {
    if (f.type !== "PERSON" && f.type !== "ORGANIZATION") continue;
    const name = text.slice(f.start, f.end).replace(/\s+/gu, " ");
    const c = byName.get(name) ?? { person: 0, org: 0 };
    if (f.type === "PERSON") c.person++;
    else c.org++;
    byName.set(name, c);
  }
  let names = 0;
  let mentions = 0;
  for (const c of byName.values()) {
    if (c.person === 0 || c.org === 0) continue;
    names++;
    mentions += Math.min(c.person, c.org);
  }
  return { names, mentions };
}

const overlaps = (f: readonly PiiFinding[], s: Span): boolean => f.some((x) => x.start < s.end && s.start < x.end);
/** A party is found when findings cover at least half of its letters. */
function covered(f: readonly PiiFinding[], s: Span, text: string): boolean {
  let letters = 0;
  let hit = 0;
  for (let i = s.start; i < s.end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i] ?? "")) continue;
    letters++;
    if (f.some((x) => x.start <= i && i < x.end)) hit++;
  }
  return letters > 0 && hit * 2 >= letters;
}

export function evaluateLegalText(contracts: readonly CuadContract[], detect: (text: string) => readonly PiiFinding[]): LegalTextReport {
  let nh = 0;
  let nt = 0;
  let np = 0;
  let found = 0;
  let nn = 0;
  let nnFound = 0;
  let chars = 0;
  const headingHits: Span[] = [];
  const termHits: Span[] = [];
  const missedParties: Span[] = [];
  let typeSplits = 0;
  let splitMentions = 0;
  const t0 = performance.now();
  for (const c of contracts) {
    chars += c.text.length;
    const f = detect(c.text);
    const split = typeSplitsOf(c.text, f);
    typeSplits += split.names;
    splitMentions += split.mentions;
    const words = partyWords(c.parties);
    // a caption or term naming a party ("INDEMNIFICATION BY GOOGLE", ("Magenta")) may be redacted: not counted
    const partyAt = (s: Span): boolean =>
      c.parties.some((p) => p.start < s.end && s.start < p.end) ||
      LEGAL_FORM.test(s.text) ||
      (s.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).some((w) => words.has(w));
    for (const h of headings(c.text)) {
      if (partyAt(h)) continue;
      nh++;
      if (overlaps(f, h)) headingHits.push(h);
    }
    for (const t of definedTerms(c.text)) {
      if (partyAt(t)) continue;
      nt++;
      if (overlaps(f, t)) termHits.push(t);
    }
    const answers = c.parties.map((p) => p.text);
    for (const p of c.parties) {
      np++;
      const naming = !isRoleLabel(p.text, answers);
      if (naming) nn++;
      if (covered(f, p, c.text)) {
        found++;
        if (naming) nnFound++;
      } else missedParties.push(p);
    }
  }
  return { contracts: contracts.length, chars, headings: nh, headingHits, terms: nt, termHits, parties: np, partiesFound: found, namingParties: nn, namingPartiesFound: nnFound, missedParties, typeSplits, splitMentions, ms: performance.now() - t0 };
}
