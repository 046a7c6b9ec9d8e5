// Quality evaluation of PiiScanner on the public PII sets (shared by bench/quality.ts and the jest quality test).
import fs from "node:fs";
import path from "node:path";
import type { PiiFinding } from "../src/pii/pii-types";

export interface GoldEntity {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly role_term?: boolean;
}
export interface GoldRecord {
  readonly id: string;
  readonly text: string;
  readonly entities: readonly GoldEntity[];
}

/** Scoring groups. ADDRESS and LOCATION are one group: both datasets split them differently. */
export const GROUP_OF_OUR_TYPE: Readonly<Record<string, string>> = {
  EMAIL: "EMAIL",
  PHONE: "PHONE",
  US_SSN: "US_SSN",
  CREDIT_CARD: "CREDIT_CARD",
  IBAN: "IBAN",
  IP_ADDRESS: "IP_ADDRESS",
  URL: "URL",
  DATE_OF_BIRTH: "DATE_OF_BIRTH",
  US_PASSPORT: "US_PASSPORT",
  DRIVER_LICENSE: "DRIVER_LICENSE",
  PERSON: "PERSON",
  ORGANIZATION: "ORGANIZATION",
  LOCATION: "LOCATION",
  ADDRESS: "LOCATION",
};

/** Presidio synthetic labels → our groups; null = not one of our entity types (ignored both ways). */
export const PRESIDIO_LABELS: Readonly<Record<string, string | null>> = {
  PERSON: "PERSON",
  ORGANIZATION: "ORGANIZATION",
  GPE: "LOCATION",
  STREET_ADDRESS: "LOCATION",
  ZIP_CODE: "LOCATION",
  CREDIT_CARD: "CREDIT_CARD",
  PHONE_NUMBER: "PHONE",
  EMAIL_ADDRESS: "EMAIL",
  IBAN_CODE: "IBAN",
  US_SSN: "US_SSN",
  US_DRIVER_LICENSE: "DRIVER_LICENSE",
  IP_ADDRESS: "IP_ADDRESS",
  DOMAIN_NAME: "URL",
  DATE_TIME: null, // any date or weekday; we only report dates of birth
  TITLE: null, // "Mr.", "Leasing consultant": not personal data by itself
  AGE: null,
  NRP: null, // nationality / religion / political group
};

/** SEC loan agreements (CoNLL): role terms ("Borrower", "Lender", "Bank") are dropped from gold and
 *  count as false positives if we flag them: they are defined terms, not personal data. */
export const SEC_LABELS: Readonly<Record<string, string | null>> = { PER: "PERSON", ORG: "ORGANIZATION", LOC: "LOCATION", MISC: null };

export const CHECKSUMMED = ["CREDIT_CARD", "IBAN", "US_SSN", "EMAIL", "IP_ADDRESS"] as const;

export function loadJsonl(file: string): GoldRecord[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as GoldRecord);
}

/** `fromDir` is a folder directly inside the package (bench/ or test/). */
export function sharedDataDir(fromDir: string): string {
  // ../shared beside the checkout; a worktree sits one level deeper (/work/wt/<name>), so look further up too
  for (let dir = path.resolve(fromDir, "../../../.."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared/data");
    if (fs.existsSync(candidate) || path.dirname(dir) === dir) return candidate;
  }
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export interface Metrics extends Counts {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly f2: number;
}

export function metrics(c: Counts): Metrics {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const fb = (b: number): number => (precision + recall === 0 ? 0 : ((1 + b * b) * precision * recall) / (b * b * precision + recall));
  return { ...c, precision, recall, f1: fb(1), f2: fb(2) };
}

export interface EvalReport {
  /** Type-agnostic token-level PII detection (as presidio-research's pii_precision / pii_recall / pii_f). */
  readonly overall: Metrics;
  /** Token-level, type-aware, per group. */
  readonly tokens: Readonly<Record<string, Metrics>>;
  /** Entity-level, type-aware, a gold span counts as found when a same-group prediction overlaps it with IoU ≥ 0.5. */
  readonly spans: Readonly<Record<string, Metrics>>;
  readonly records: number;
  readonly chars: number;
  readonly ms: number;
}

const IGNORE = "__ignore__";
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Scores a detector on gold records; `mapping` turns dataset labels into our groups (null = ignored). */
export function evaluate(
  records: readonly GoldRecord[],
  detect: (text: string) => readonly PiiFinding[],
  mapping: Readonly<Record<string, string | null>>,
): EvalReport {
  const tok: Record<string, Counts> = {};
  const spn: Record<string, Counts> = {};
  const overall: Counts = { tp: 0, fp: 0, fn: 0 };
  const bump = (m: Record<string, Counts>, g: string, k: keyof Counts): void => {
    (m[g] ??= { tp: 0, fp: 0, fn: 0 })[k]++;
  };
  let chars = 0;
  const t0 = performance.now();
  for (const r of records) {
    chars += r.text.length;
    const predicted = detect(r.text).map((f) => ({ start: f.start, end: f.end, group: GROUP_OF_OUR_TYPE[f.type] ?? f.type }));
    const gold = r.entities.map((e) => {
      const mapped = mapping[e.label];
      const group = e.role_term ? IGNORE_ROLE : mapped === undefined || mapped === null ? IGNORE : mapped;
      return { start: e.start, end: e.end, group };
    });
    // tokens
    for (const m of r.text.matchAll(TOKEN)) {
      const s = m.index;
      const e = s + m[0].length;
      const g = gold.find((x) => x.start < e && s < x.end)?.group;
      const p = predicted.find((x) => x.start < e && s < x.end)?.group;
      if (g === IGNORE) continue;
      const goldGroup = g === undefined || g === IGNORE_ROLE ? undefined : g;
      if (goldGroup && p) overall.tp++;
      else if (goldGroup) overall.fn++;
      else if (p) overall.fp++;
      if (goldGroup && p === goldGroup) bump(tok, goldGroup, "tp");
      else {
        if (goldGroup) bump(tok, goldGroup, "fn");
        if (p) bump(tok, p, "fp");
      }
    }
    // spans
    const used = new Set<number>();
    for (const g of gold) {
      if (g.group === IGNORE || g.group === IGNORE_ROLE) continue;
      const i = predicted.findIndex((p, k) => !used.has(k) && p.group === g.group && iou(p, g) >= 0.5);
      if (i >= 0) {
        used.add(i);
        bump(spn, g.group, "tp");
      } else bump(spn, g.group, "fn");
    }
    predicted.forEach((p, k) => {
      if (used.has(k)) return;
      if (gold.some((g) => g.group === IGNORE && g.start < p.end && p.start < g.end)) return;
      bump(spn, p.group, "fp");
    });
  }
  const ms = performance.now() - t0;
  const fin = (m: Record<string, Counts>): Record<string, Metrics> =>
    Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, metrics(v)]));
  return { overall: metrics(overall), tokens: fin(tok), spans: fin(spn), records: records.length, chars, ms };
}

const IGNORE_ROLE = "__role__";

/**
 * A detector of whole documents read as one of sentences: the records of each document (`docOf`, in their order) are
 * joined by `separator` (a space: the agreement is one long line, and what reads lines, headings, signature blocks, the
 * name model's line features, sees none; a line break: a line per sentence) and scanned once, and each record gets the findings that overlap it, cut to its text. Scored with
 * `evaluate`, it says what the scanner finds when it reads the whole agreement, as `bear redact` does, where the
 * per-record scoring shows each sentence alone (a figure beside that one, never instead of it).
 */
export function asDocuments<R extends GoldRecord>(
  records: readonly R[],
  docOf: (r: R) => string,
  detect: (text: string) => readonly PiiFinding[],
  separator: " " | "\n" = " ",
): (text: string) => readonly PiiFinding[] {
  const byRecord = new Map<R, PiiFinding[]>();
  const docs = new Map<string, R[]>();
  for (const r of records) docs.set(docOf(r), [...(docs.get(docOf(r)) ?? []), r]);
  for (const members of docs.values()) {
    const found = detect(members.map((r) => r.text).join(separator));
    let at = 0;
    for (const r of members) {
      const end = at + r.text.length;
      byRecord.set(
        r,
        found.filter((f) => f.start < end && at < f.end).map((f) => ({ ...f, start: Math.max(0, f.start - at), end: Math.min(r.text.length, f.end - at) })),
      );
      at = end + 1;
    }
  }
  // evaluate() reads the records in their order: the n-th call is the n-th record
  let next = 0;
  return () => byRecord.get(records[next++] as R) ?? [];
}

function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union === 0 ? 0 : inter / union;
}

export function formatReport(title: string, r: EvalReport): string {
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    `${title}: ${r.records} records, ${(r.chars / 1024).toFixed(0)} KiB, ${r.ms.toFixed(0)} ms`,
    `  overall (token, type-agnostic)  P ${f(r.overall.precision)}  R ${f(r.overall.recall)}  F1 ${f(r.overall.f1)}  F2 ${f(r.overall.f2)}`,
    `  ${"group".padEnd(15)} ${"token P".padStart(8)} ${"R".padStart(6)} ${"F1".padStart(6)} ${"F2".padStart(6)}   ${"span P".padStart(7)} ${"R".padStart(6)} ${"F1".padStart(6)} ${"F2".padStart(6)}  gold`,
  ];
  const groups = [...new Set([...Object.keys(r.tokens), ...Object.keys(r.spans)])].sort();
  for (const g of groups) {
    const t = r.tokens[g] ?? metrics({ tp: 0, fp: 0, fn: 0 });
    const s = r.spans[g] ?? metrics({ tp: 0, fp: 0, fn: 0 });
    lines.push(
      `  ${g.padEnd(15)} ${f(t.precision).padStart(8)} ${f(t.recall).padStart(6)} ${f(t.f1).padStart(6)} ${f(t.f2).padStart(6)}   ${f(s.precision).padStart(7)} ${f(s.recall).padStart(6)} ${f(s.f1).padStart(6)} ${f(s.f2).padStart(6)}  ${s.tp + s.fn}`,
    );
  }
  return lines.join("\n");
}
