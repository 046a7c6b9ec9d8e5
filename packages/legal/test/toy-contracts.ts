// Small invented contracts for the trainers' tests: one governing-law sentence among ordinary ones,
// located as CUAD locates spans.
import type { CuadContract } from "../train/cuad-data";

const PLACES = ["Delaware", "New York", "Ontario", "Texas", "England", "Nevada", "Ohio", "Quebec"];
const FILLER = ["The Supplier shall deliver the Products within thirty days.", "Each party shall keep records of its invoices.", "Notices shall be sent by registered mail.", "The Distributor shall market the Products diligently."];

/** Toy contract k (file `toy-k.txt`). */
export function toyContract(k: number): CuadContract {
  const law = `This Agreement shall be governed by the laws of ${PLACES[k % PLACES.length]!}.`;
  const sentences = [...FILLER.slice(k % 2), law, ...FILLER.slice(0, 1 + (k % 3))];
  const text = sentences.map((s, i) => `${i + 1}. ${s}`).join("\n\n");
  const start = text.indexOf(law);
  return { file: `toy-${k}.txt`, text, gold: new Map([["Governing Law", [[{ start, end: start + law.length }]]]]), answers: new Map() };
}
