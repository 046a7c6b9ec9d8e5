// Reads CUAD in the normalised form of ../shared/data (clauses.jsonl + full_contract_txt/).
// Training and benchmarks only: product code never reads evaluation data.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { cuadCategory, type CuadCategory } from "../src/index";

export interface GoldRange {
  readonly start: number;
  readonly end: number;
}

export interface CuadContract {
  readonly file: string;
  readonly text: string;
  /** Per category, each gold span as its alternative locations (a quote that occurs several times). */
  readonly gold: ReadonlyMap<CuadCategory, readonly (readonly GoldRange[])[]>;
  /** CUAD's answer column per category ("Yes", a date, party names …). */
  readonly answers: ReadonlyMap<CuadCategory, string>;
}

interface Row {
  file: string;
  category: string;
  answer: string;
  spans: { start: number; end: number; all_occurrence_starts?: number[] }[];
}

export const CUAD_TRAIN_DIR = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train");

/** Loads every contract of a CUAD folder, sorted by file name (a stable order for seeded training). */
export function loadCuad(dir = CUAD_TRAIN_DIR, keep: (file: string) => boolean = () => true): CuadContract[] {
  const rows = fs
    .readFileSync(path.join(dir, "clauses.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
  const byFile = new Map<string, { gold: Map<CuadCategory, GoldRange[][]>; answers: Map<CuadCategory, string> }>();
  for (const r of rows) {
    if (!keep(r.file)) continue;
    const cat = cuadCategory(r.category);
    if (!cat) throw new Error(`unknown CUAD category '${r.category}' in ${dir}`);
    const entry = byFile.get(r.file) ?? { gold: new Map(), answers: new Map() };
    entry.gold.set(cat, r.spans.map((s) => (s.all_occurrence_starts ?? [s.start]).map((st) => ({ start: st, end: st + (s.end - s.start) }))));
    entry.answers.set(cat, r.answer);
    byFile.set(r.file, entry);
  }
  return [...byFile.keys()].sort().map((file) => ({ file, text: fs.readFileSync(path.join(dir, "full_contract_txt", file), "utf8"), ...byFile.get(file)! }));
}

/** Contract-level fold in [0, k): a fixed hash of the file name, so no contract is ever on both sides. */
export function contractFold(file: string, k: number, salt = "legal-cuad-cv"): number {
  return parseInt(crypto.createHash("sha256").update(`${salt}|${file}`).digest("hex").slice(0, 8), 16) % k;
}
