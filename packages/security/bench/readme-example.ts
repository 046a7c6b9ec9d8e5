// The README example, runnable: npx tsx bench/readme-example.ts
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AuditLog, PiiScanner, PiiScrubber, TokenVault } from "../src/index";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-readme-"));
const audit = new AuditLog({ dir, key: randomBytes(32) });
const vaultKey = randomBytes(32);
const scrubber = new PiiScrubber({ vault: new TokenVault(vaultKey), audit, authorizeRestore: async (who) => who === "ann" });
const text = "The Plaintiff, John Doe (SSN 123-45-6788), paid with 4111 1111 1111 1111.";
console.log(new PiiScanner().analyze(text).risk.level);
const r = await scrubber.scrub(text, { documentId: "doc-1" });
console.log(r.text, r.toOriginalSpan(15, 25));
const t = await scrubber.scrub(text, { policy: "reversible" });
console.log(t.text);
console.log(await scrubber.restore(t.text, { key: vaultKey, principal: "ann" }), (await audit.verify()).ok);
fs.rmSync(dir, { recursive: true, force: true });
