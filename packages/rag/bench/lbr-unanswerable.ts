// Questions about the LegalBench-RAG-style corpus whose named document has NO answer, to measure
// "not found". Built from the labels of the same documents, never written by hand:
// - CUAD: a category the lawyers found no clause for in that contract (cuad_clauses, no span);
// - ContractNLI: a hypothesis labelled NotMentioned for that NDA (contractnli/nli.jsonl).
// Each is asked the way the corpus's answerable queries are: the document's own "Consider …;"
// opening, then the question LegalBench-RAG uses for that category (taken from its queries).
import fs from "node:fs";
import path from "node:path";

export interface UnanswerableQuestion {
  readonly source: "cuad" | "contractnli";
  /** Corpus-relative file, as in queries.jsonl answers ("cuad/…", "contractnli/…"). */
  readonly file: string;
  readonly category: string;
  readonly query: string;
}

interface LbrQuery {
  source: "cuad" | "contractnli";
  query: string;
  category?: string;
  answers: { file: string }[];
}

export function unanswerableQuestions(dataDir: string): UnanswerableQuestion[] {
  const queries = fs
    .readFileSync(path.join(dataDir, "legalbench_rag/queries.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LbrQuery);
  const opening = new Map<string, string>();
  const asked = new Map<string, string>();
  const askedOf = new Set<string>();
  for (const q of queries) {
    const cut = q.query.indexOf(";");
    if (cut < 0 || !q.category) continue;
    const file = q.answers[0]!.file;
    if (!opening.has(file)) opening.set(file, q.query.slice(0, cut));
    if (!asked.has(q.category)) asked.set(q.category, q.query.slice(cut + 1).trim());
    askedOf.add(`${file}|${q.category}`);
  }
  const out: UnanswerableQuestion[] = [];
  const add = (source: UnanswerableQuestion["source"], file: string, category: string): void => {
    const prefix = opening.get(file);
    const question = asked.get(category);
    // A category the corpus asks about this document is answerable there, whatever the labels say.
    if (!prefix || !question || askedOf.has(`${file}|${category}`)) return;
    out.push({ source, file, category, query: `${prefix}; ${question}` });
  };
  for (const line of fs.readFileSync(path.join(dataDir, "cuad_clauses/clauses.jsonl"), "utf8").split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line) as { file: string; category: string; spans: unknown[] };
    if (r.spans.length === 0) add("cuad", `cuad/${r.file}`, r.category);
  }
  for (const line of fs.readFileSync(path.join(dataDir, "contractnli/nli.jsonl"), "utf8").split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line) as { file: string; category: string; label: string };
    if (r.label === "NotMentioned") add("contractnli", `contractnli/${r.file}`, r.category);
  }
  return out;
}
