// CUAD "Parties" answers the scanner misses, counted by kind (what the answer is made of), never listed for the
// report part: npx tsx bench/party-misses.ts [tune|report] [n] [--show]   (--show lists the tune part's misses by kind)
// The kinds are read from the answer's own words, the same way for both parts:
// - description: a phrase about a party (seven words or more, three or more of them in lower case: "The party
//   specified as …", "… and its duly licensed affiliates …");
// - role label: English words only and none of them in a name among the contract's answers (legal-eval.ts isRoleLabel;
//   reported apart in the "answers that name a party" figure);
// - English words only, the rest: a word of it is part of a party's name among the answers ("FUSION" beside "FUSION
//   Pharmaceuticals Inc.") or it is a trade name ("doing business as …"): a short name or brand made of English words;
// - name found in part: a finding covers one of its name words but less than half its letters (the answer also
//   holds a role, a short name in quotes, "doing business as", a description: `covered` in legal-eval.ts);
// - name missed: none of the above.
import { PiiScanner } from "../src/pii/pii-scanner";
import { isDictionaryWord } from "../src/pii/recognizers/lexicons";
import { evaluateLegalText, isRoleLabel, loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const part = process.argv[2] === "report" ? "report" : "tune";
const n = Number(process.argv[3] ?? 50);
const show = process.argv.includes("--show") && part === "tune";
const scanner = new PiiScanner();
const contracts = loadCuad(sharedDataDir(import.meta.dirname), part, n);
const kinds = new Map<string, string[]>();
let parties = 0;
let found = 0;
let naming = 0;
let namingFound = 0;
for (const c of contracts) {
  const findings = scanner.scan(c.text);
  const r = evaluateLegalText([c], () => findings);
  parties += r.parties;
  found += r.partiesFound;
  naming += r.namingParties;
  namingFound += r.namingPartiesFound;
  for (const p of r.missedParties) {
    const words = p.text.match(/\p{L}[\p{L}'’]*/gu) ?? [];
    const lower = words.filter((w) => /^\p{Ll}/u.test(w)).length;
    const touched = findings.some((f) => f.start < p.end && p.start < f.end);
    const kind =
      words.length >= 7 && lower >= 3
        ? "description (a phrase about a party)"
        : isRoleLabel(p.text, c.parties.map((x) => x.text))
          ? "role label (English words only, none in a name of the contract's answers: reported apart)"
          : words.every((w) => w.length === 1 || isDictionaryWord(w.replace(/['’]s?$/u, "")))
          ? "English words only, part of a party's name or a trade name (a short name or brand made of words)"
          : touched
          ? "name found in part (under half its letters)"
          : "name missed";
    kinds.set(kind, [...(kinds.get(kind) ?? []), p.text.replace(/\s+/gu, " ")]);
  }
}
console.log(`cuad_train (${part} part): ${contracts.length} contracts, parties found ${found} of ${parties} (${((100 * found) / Math.max(1, parties)).toFixed(1)}%); missed by kind:`);
console.log(`  answers that name a party (role labels apart): ${namingFound} of ${naming} (${((100 * namingFound) / Math.max(1, naming)).toFixed(1)}%)`);
for (const [kind, xs] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`  ${String(xs.length).padStart(4)}  ${kind}`);
  if (show) for (const x of xs) console.log(`          ${x.slice(0, 100)}`);
}
