// Test data: a contract written for these tests, and readers for the public dev data in ../shared
// (tests may read it; the product never does).
import fs from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
export const sharedData = path.resolve(here, "../../../../shared/data");
export const cuadDir = path.join(sharedData, "cuad_clauses");

export function servicesAgreement(): string {
  return fs.readFileSync(path.join(here, "fixtures/services-agreement.txt"), "utf8");
}

export function cuadContract(prefix: string): { file: string; text: string } {
  const dir = path.join(cuadDir, "full_contract_txt");
  const file = fs.readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no CUAD dev contract starts with ${prefix}`);
  return { file, text: fs.readFileSync(path.join(dir, file), "utf8") };
}

export interface CuadRow {
  file: string;
  category: string;
  answer: string;
  spans: { start: number; end: number; text: string }[];
}

export function cuadRows(file: string): CuadRow[] {
  return fs
    .readFileSync(path.join(cuadDir, "clauses.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CuadRow)
    .filter((r) => r.file === file);
}

/** Every `{ start, end, quote }` object in a value. */
export function allCitations(value: unknown): { start: number; end: number; quote: string }[] {
  const out: { start: number; end: number; quote: string }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o["start"] === "number" && typeof o["end"] === "number" && typeof o["quote"] === "string") out.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}
