// Writes model/compromise-lexicon.json: the word -> tags lexicon of the installed compromise, which the recognizers read
// (lexicon-tags.ts, the name model's word facts). Loading compromise to read it costs about 350 ms of CPU in every
// thread that scans; parsing this file about 20 ms. Run after upgrading compromise (compromise-nlp.spec.ts fails until then):
//   npm run lexicon -w @bear/security
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type nlpType from "compromise";
import { COMPROMISE_LEXICON_FILE } from "../src/pii/recognizers/compromise-nlp";

const nlp = createRequire(import.meta.url)("compromise") as typeof nlpType;
const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
const file = path.join(import.meta.dirname, "..", "model", COMPROMISE_LEXICON_FILE);
fs.writeFileSync(file, JSON.stringify(lexicon));
process.stdout.write(`${file}: ${Object.keys(lexicon).length} words, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB\n`);
