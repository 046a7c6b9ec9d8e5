import fs from "node:fs";
import path from "node:path";

/** `<root>/docs/contract-NN.txt` for NN in 0..count-1: "AGREEMENT n" and 40 numbered clauses naming party n and widget<n>. */
export function writeNumberedContracts(root: string, count: number): void {
  fs.mkdirSync(path.join(root, "docs"), { recursive: true });
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 40 }, (_, j) => `${i}.${j} The party number ${i} shall deliver widget${i} notice ${j} in writing.`).join("\n");
    fs.writeFileSync(path.join(root, "docs", `contract-${String(i).padStart(2, "0")}.txt`), `AGREEMENT ${i}\n\n${body}\n`);
  }
}
