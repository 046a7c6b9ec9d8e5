import fs from "node:fs";
import path from "node:path";

/** What an ingest of some files and folders will visit, and the folder it is confined to. */
export interface IngestPlan {
  /** The inputs as absolute paths. */
  readonly inputs: readonly string[];
  /** The deepest folder holding every input (real paths): the ingest root, so a symlink inside it that leads elsewhere is still refused. */
  readonly root: string;
  /** Files it will visit (an unreadable input counts as one), for a progress bar's total. */
  readonly files: number;
  /** Their bytes, for a throughput and an ETA. */
  readonly bytes: number;
  /** A visited file's size (0 when it cannot be read). */
  sizeOf(file: string): number;
}

/** Plans an ingest of `paths` (files or folders, relative to `cwd`): hidden entries are skipped, folders are walked 64 deep at most. */
export function planIngest(paths: readonly string[], cwd = process.cwd()): IngestPlan {
  const inputs = paths.map((p) => path.resolve(cwd, p));
  const sizes = new Map<string, number>();
  let files = 0;
  let bytes = 0;
  const visit = (p: string, depth: number): void => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      files++;
      return;
    }
    if (stat.isDirectory() && depth < 64) {
      for (const entry of fs.readdirSync(p)) if (!entry.startsWith(".")) visit(path.join(p, entry), depth + 1);
    } else if (stat.isFile()) {
      files++;
      bytes += stat.size;
      sizes.set(p, stat.size);
    }
  };
  for (const input of inputs) visit(input, 0);
  const sizeOf = (file: string): number => {
    const known = sizes.get(path.resolve(cwd, file));
    if (known !== undefined) return known;
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  };
  return { inputs, root: commonRoot(inputs, cwd), files, bytes, sizeOf };
}

/** The deepest folder holding every input, by real path. */
export function commonRoot(inputs: readonly string[], cwd = process.cwd()): string {
  const dirs = inputs.map((p) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      real = path.resolve(cwd, p);
    }
    try {
      return fs.statSync(real).isDirectory() ? real : path.dirname(real);
    } catch {
      return path.dirname(real);
    }
  });
  let root = dirs[0] ?? cwd;
  for (const dir of dirs.slice(1)) {
    while (root !== path.dirname(root) && !(dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) root = path.dirname(root);
  }
  return root;
}
