// CUAD's answers for the document-level key terms (Parties, Agreement / Effective / Expiration Date)
// and how an extraction is scored against them. Training and benchmarks only.
import { parseDate } from "../src/parsing/parse-date";
import { contractFold, type CuadContract } from "./cuad-data";

/** The fixed split of the key-term model: fold 0 of 5 (a hash of the file name) is held out, never trained or tuned on. */
export const KEY_TERM_SPLIT_SALT = "legal-key-terms";
export type KeyTermPart = "train" | "dev" | "held-out";
/** held-out = fold 0; dev = fold 1 (what the features were tuned against); train = folds 2–4. */
export function keyTermPart(file: string): KeyTermPart {
  const f = contractFold(file, 5, KEY_TERM_SPLIT_SALT);
  return f === 0 ? "held-out" : f === 1 ? "dev" : "train";
}

/** Lower case, "&" → "and", no punctuation, no corporate suffixes (English anywhere, other countries' at the end) or "the". */
export function normaliseName(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b(?:the|inc|corp|corporation|ltd|limited|llc|co|company|plc|l p|lp)\b/g, " ")
    // Legal forms of other countries ("EuroTel Bratislava a.s.", "Merck Serono SA", "Cremer Oleo GmbH"), at the end of the name only.
    .replace(/(?:\s(?:a s|s a|ag|gmbh|b v|bv|n v|nv|sa|s p a|spa|s r l|srl|pte|pty|ab|oy|kg|s a s|sas|s l|sl))+\s*$/, " ")
    .replace(/\s+/g, " ")
    .trim();
}

// A Parties entry that says how the parties are referred to rather than naming one ("Transporter and Shipper
// shall collectively be referred to herein as the Parties", "each a Party and together Parties").
const COLLECTIVE = /\b(?:referred\s+to|collectively|individually|hereinafter|party|parties)\b/;
// Several names in one entry: "SutroVax and Sutro", "AFI Licensing LLC together with Armstrong Flooring, Inc.".
const JOINED = /\s+(?:and\/or|and|together\s*with)\s+/i;
// Its parenthetical defines the parties as a whole: "(individually as a “Party” and collectively as the “Parties”)".
const DEFINES_THE_PARTIES = /\bparties\b|\b(?:each|individually|collectively|together)\b[^)]*\bparty\b|\bparty\b[^)]*\b(?:collectively|together)\b/i;
// What the entry says about the party after its name, not part of it: "together with its successors and assigns",
// "on behalf of itself and its retail affiliates", "including its successors", "and its Affiliates".
const QUALIFIER = /\s*,?\s+(?:(?:together\s+with|including|on\s+behalf\s+of)\s+(?:its|his|her|their|itself)|and\s+(?:its|their)\s+(?:duly\s+\w+\s+)?(?:\w+\s+)?(?:affiliates|subsidiaries|successors))\b.*$/is;
const QUOTED = /["“]([^"“”]{1,60})["”]/g;

/**
 * The party names of a Parties answer, normalised, each parenthetical dropped. Skipped: blanks, role-only
 * entries, and entries that name no new party: "Transporter and Shipper shall collectively be referred to
 * herein as the Parties", "SutroVax and Sutro (individually as a “Party” and collectively as the “Parties”)",
 * "AFI Licensing LLC together with Armstrong Flooring, Inc. ("Arizona")" when both are listed on their own
 * (every joined name is another entry's name or defined name). What follows a name about its successors or
 * affiliates is not part of it.
 */
export function goldPartyEntries(answer: string): string[] {
  const entries = answer.split(";").map((raw) => {
    const cut = raw.search(/\(/);
    const namePart = (cut < 0 ? raw : raw.slice(0, cut)).replace(QUALIFIER, "");
    const parenthetical = cut < 0 ? "" : raw.slice(cut);
    return { namePart, name: normaliseName(namePart), parenthetical, roles: [...parenthetical.matchAll(QUOTED)].map((m) => normaliseName(m[1]!)).filter((r) => r.length > 0) };
  });
  const out: string[] = [];
  entries.forEach((e, i) => {
    if (e.name.length === 0 || COLLECTIVE.test(e.name)) return;
    if (JOINED.test(e.namePart)) {
      const defines = DEFINES_THE_PARTIES.test(e.parenthetical);
      const others = entries.filter((_, j) => j !== i).flatMap((o) => [o.name, ...o.roles]).filter((n) => n.length > 0);
      const parts = e.namePart.split(JOINED).map(normaliseName).filter((n) => n.length > 0);
      const redundant = parts.length > 1 && parts.every((part) => others.some((o) => nameMatches(part, o)));
      if (defines || redundant) return;
    }
    out.push(e.name);
  });
  return out;
}

/** The party names CUAD lists for a contract (`goldPartyEntries` of its answer). */
export function goldPartyNames(c: CuadContract): string[] {
  return goldPartyEntries(c.answers.get("Parties") ?? "");
}

/**
 * A gold name is found when an extracted name is the same (normalised), when one is inside the other as
 * whole words covering at least half of the longer one's words ("Envision Health" for "LifeUSA/Envision
 * Health", not "Gulf" for "Gulf Houghton Lubricants"), or when they differ by a misspelling (one edit per
 * ten characters, names of 8+ characters: "Berkely Lights" in CUAD's answer for "Berkeley Lights").
 */
export function nameMatches(extracted: string, gold: string): boolean {
  const n = normaliseName(extracted);
  if (n.length === 0 || gold.length === 0) return false;
  if (n === gold) return true;
  const [short, long] = n.length <= gold.length ? [n, gold] : [gold, n];
  if (` ${long} `.includes(` ${short} `) && 2 * short.split(" ").length >= long.split(" ").length) return true;
  return short.length >= 8 && editDistance(n, gold) <= Math.max(1, Math.floor(long.length / 10));
}

// One party under two names: "EWSD 1, LLC d/b/a SHI FARMS", "Cellco Partnership d/b/a Verizon Wireless",
// "VerticalNet Enterprises LLC (formerly known as Tradeum, Inc.)" (normalised: "d b a", "formerly known as").
const ALSO_KNOWN_AS = /\s(?:d b a|dba|doing business as|trading as|t a|formerly known as|f k a|fka|operating with (?:the )?service name)\s/;

/** The names a gold entry goes by: the entry itself and, for "X d/b/a Y", each of X and Y. */
export function goldAliases(gold: string): string[] {
  const parts = gold.split(ALSO_KNOWN_AS).map((p) => p.trim()).filter((p) => p.length > 0);
  return parts.length > 1 ? [gold, ...parts] : [gold];
}

/** An extracted name finds a gold entry when it matches the entry or one of the names it goes by (`goldAliases`). */
export function partyMatches(extracted: string, gold: string): boolean {
  return goldAliases(gold).some((g) => nameMatches(extracted, g));
}

/** Levenshtein distance (two rows). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** "6/21/99" → "1999-06-21" ("31/01/2025", day first, → "2025-01-31", as `parseDate` reads it); "perpetual" kept; blanks, "[]/[]/2004" and impossible dates → undefined (not scored). */
export function goldDate(answer: string | undefined): string | undefined {
  const a = (answer ?? "").trim();
  if (/^perpetual$/i.test(a)) return "perpetual";
  // CUAD writes its answers as numbers; an impossible date ("2/30/2020") is not scored, like a blank.
  return /^\d{1,2}\/\d{1,2}\/(?:\d{2}|\d{4})$/.test(a) ? parseDate(a) : undefined;
}

export const DATE_FIELDS = [
  ["agreement", "Agreement Date"],
  ["effective", "Effective Date"],
  ["expiration", "Expiration Date"],
] as const;
export type DateField = (typeof DATE_FIELDS)[number][0];

/** What an extractor returns for the measure: party names and one value per date field (ISO or "perpetual"). */
export interface KeyTermAnswer {
  readonly parties: readonly string[];
  /** The defined names the parties go by ("Licensor", "Franchisee"): CUAD lists some parties by them alone. */
  readonly roles?: readonly string[];
  readonly dates: Readonly<Partial<Record<DateField, string>>>;
  /** The contract renews automatically (the renewal clause read from it): its expiry date ends the initial term only. */
  readonly renewsAutomatically?: boolean;
}

export interface KeyTermTally {
  partiesFound: number;
  /** Gold names found as a party's name or as the defined name it goes by. */
  partiesFoundWithRoles: number;
  partiesGold: number;
  /** Contracts where every gold party name was found. */
  contractsAllParties: number;
  contractsWithParties: number;
  /** Extracted names that match some gold name (precision). */
  extractedRight: number;
  extracted: number;
  /** Per field: right answers, contracts with a gold date, and contracts where CUAD's lawyers found no such date (blank, nothing highlighted) but a value was given. */
  dates: Record<DateField, { ok: number; n: number; blankAnswered: number }>;
  /** Expiries counted right by the evergreen rule (`evergreen`). */
  evergreen: number;
}

export function emptyTally(): KeyTermTally {
  return { partiesFound: 0, partiesFoundWithRoles: 0, partiesGold: 0, contractsAllParties: 0, contractsWithParties: 0, extractedRight: 0, extracted: 0, dates: { agreement: { ok: 0, n: 0, blankAnswered: 0 }, effective: { ok: 0, n: 0, blankAnswered: 0 }, expiration: { ok: 0, n: 0, blankAnswered: 0 } }, evergreen: 0 };
}

/**
 * CUAD asks when the initial term expires ("Date / Perpetual"), and its lawyers answered "perpetual" for
 * many contracts that run a first term and then renew automatically until terminated. An answer that
 * gives the end of the initial term and says the contract renews automatically says both, so it meets
 * a "perpetual" answer too. (A "perpetual" answer never meets a gold date.)
 */
function evergreen(got: KeyTermAnswer): boolean {
  return got.renewsAutomatically === true && /^\d{4}-\d{2}-\d{2}$/.test(got.dates.expiration ?? "");
}

/** Adds one contract's answer to the tally; returns the misses (for a dev-part --detail listing). */
export function score(t: KeyTermTally, c: CuadContract, got: KeyTermAnswer): string[] {
  const misses: string[] = [];
  const gold = goldPartyNames(c);
  if (gold.length > 0) {
    t.contractsWithParties++;
    let all = true;
    for (const g of gold) {
      const ok = got.parties.some((p) => partyMatches(p, g));
      t.partiesGold++;
      if (ok || (got.roles ?? []).some((r) => partyMatches(r, g))) t.partiesFoundWithRoles++;
      if (ok) t.partiesFound++;
      else {
        all = false;
        misses.push(`party: gold '${g}' got ${got.parties.map((p) => `'${p}'`).join(" | ")}`);
      }
    }
    if (all) t.contractsAllParties++;
    for (const p of got.parties) {
      t.extracted++;
      if (gold.some((g) => partyMatches(p, g))) t.extractedRight++;
    }
  }
  for (const [field, cat] of DATE_FIELDS) {
    const g = goldDate(c.answers.get(cat));
    // Blank answer and no highlighted text: the lawyers found no such date.
    if ((c.answers.get(cat) ?? "").trim() === "" && (c.gold.get(cat) ?? []).length === 0 && got.dates[field] !== undefined) t.dates[field].blankAnswered++;
    if (g === undefined) continue;
    t.dates[field].n++;
    if (got.dates[field] === g) t.dates[field].ok++;
    else if (field === "expiration" && g === "perpetual" && evergreen(got)) {
      t.dates[field].ok++;
      t.evergreen++;
    }
    else misses.push(`${field}: gold ${g} got ${got.dates[field]}`);
  }
  return misses;
}
