// The name tagger and the scanner on real contracts: the fast path reports what plain compromise reported.
import fs from "node:fs";
import path from "node:path";
import { sharedDataDir } from "../bench/pii-eval";
import { nlp } from "../src/pii/recognizers/compromise-nlp";
import { NAME_GROUPS, NameTagger } from "../src/pii/recognizers/name-tagger";

const data = sharedDataDir(import.meta.dirname);
const contracts = path.join(data, "cuad_clauses/full_contract_txt");

/** 1500-character pieces (NameRecognizer's chunk size) of a few public CUAD contracts, and SEC sentences. */
function samples(): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(contracts).sort().slice(0, 6)) {
    const text = fs.readFileSync(path.join(contracts, f), "utf8").slice(0, 24000);
    for (let i = 0; i < text.length; i += 1500) out.push(text.slice(i, i + 1500));
  }
  const sec = fs.readFileSync(path.join(data, "pii_sec_filings_ner/pii.jsonl"), "utf8").split("\n").filter(Boolean).slice(0, 300);
  return [...out, ...sec.map((l) => (JSON.parse(l) as { text: string }).text)];
}

describe("NameTagger on real contracts", () => {
  it("reports the spans nlp(text) reports, with and without its memo", () => {
    const run = nlp() as unknown as (t: string) => { match(p: string): { json(o: object): { offset: { start: number; length: number } }[] } };
    const memo = new NameTagger();
    for (const text of samples()) {
      const doc = run(text);
      const expected = NAME_GROUPS.flatMap((p, group) => doc.match(p).json({ offset: true }).map((f) => ({ group, start: f.offset.start, length: f.offset.length })));
      expect(new NameTagger(0).spans(text)).toEqual(expected);
      expect(memo.spans(text)).toEqual(expected);
    }
  });
});
