import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

let fingerprint: string | undefined;

/**
 * What identifies the installed contract reviewer (@bear/legal's code and shipped model): a hash of
 * its package version and the names, sizes and times of its built files and weights. Part of every
 * cached review's key, so an upgraded reviewer never serves reports of the old one. Computed once.
 */
export function reviewerFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash("sha256");
  try {
    const manifest = createRequire(import.meta.url).resolve("@bear/legal/package.json");
    const root = path.dirname(manifest);
    hash.update(fs.readFileSync(manifest));
    for (const folder of ["dist", "model"]) {
      const dir = path.join(root, folder);
      const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
      for (const name of names) {
        const s = fs.statSync(path.join(dir, name));
        hash.update(`${folder}/${name}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  } catch {
    hash.update("unresolved");
  }
  fingerprint = hash.digest("hex").slice(0, 16);
  return fingerprint;
}
