// A plugin folder must be self-contained: Node's permission model follows symbolic links, so a link
// inside the folder pointing at the workspace's state/keys.json would be readable with no permission
// at all; a hard link to such a file is the same file under another name. Both are refused, at
// install and at every load, and an install copies links as written (relative), never as absolute.
import fs from "node:fs";
import path from "node:path";
import { isPathInside } from "@bear/core";
import { PluginManifestError } from "../errors";

const MAX_FILES = 20_000;

interface Walked {
  /** Path relative to the folder, with "/" separators. */
  readonly relative: string;
  readonly absolute: string;
  readonly stat: fs.Stats;
}

function* walk(folder: string): Generator<Walked> {
  const stack = [""];
  let count = 0;
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    for (const entry of fs.readdirSync(path.join(folder, rel), { withFileTypes: true })) {
      const relative = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const absolute = path.join(folder, relative);
      const stat = fs.lstatSync(absolute);
      if (++count > MAX_FILES) throw new PluginManifestError(path.basename(folder), "folder", `holds more than ${MAX_FILES} files`);
      yield { relative, absolute, stat };
      if (stat.isDirectory()) stack.push(relative);
    }
  }
}

/**
 * Throws PluginManifestError unless every symbolic link in `folder` resolves inside it and every
 * file with several hard links has all of them inside it. `folder` is the plugin's real path.
 */
export function assertSelfContained(folder: string, plugin: string): void {
  const real = fs.realpathSync(folder);
  const linked = new Map<string, { relative: string; nlink: number; seen: number }>();
  for (const { relative, absolute, stat } of walk(real)) {
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(absolute);
      if (path.isAbsolute(target)) {
        throw new PluginManifestError(plugin, `file '${relative}'`, `is an absolute symbolic link ('${target}'); only relative links inside the plugin folder are allowed`);
      }
      let resolved: string;
      try {
        resolved = fs.realpathSync(absolute);
      } catch {
        throw new PluginManifestError(plugin, `file '${relative}'`, `is a symbolic link to '${target}', which does not exist`);
      }
      if (!isPathInside(real, resolved)) {
        throw new PluginManifestError(plugin, `file '${relative}'`, `is a symbolic link leading outside the plugin folder ('${target}')`);
      }
    } else if (stat.isFile() && stat.nlink > 1) {
      const key = `${stat.dev}:${stat.ino}`;
      const entry = linked.get(key) ?? { relative, nlink: stat.nlink, seen: 0 };
      entry.seen += 1;
      linked.set(key, entry);
    } else if (!stat.isFile() && !stat.isDirectory()) {
      throw new PluginManifestError(plugin, `file '${relative}'`, "is not a regular file, folder or symbolic link");
    }
  }
  for (const { relative, nlink, seen } of linked.values()) {
    if (seen < nlink) {
      throw new PluginManifestError(plugin, `file '${relative}'`, `is a hard link to a file outside the plugin folder (${nlink - seen} of its ${nlink} names are elsewhere)`);
    }
  }
}

/**
 * Copies a plugin folder to `target` (which must not exist): regular files and folders, and
 * symbolic links recreated with the same relative text. Checks the source with assertSelfContained
 * first, and skips dot-files (.git, editor files) as installs always have.
 */
export function copyPluginFolder(source: string, target: string, plugin: string): void {
  const real = fs.realpathSync(source);
  assertSelfContained(real, plugin);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  fs.mkdirSync(target, { mode: 0o700 });
  for (const { relative, absolute, stat } of walk(real)) {
    if (relative.split("/").some((part) => part.startsWith("."))) continue;
    const destination = path.join(target, relative);
    if (stat.isDirectory()) fs.mkdirSync(destination, { mode: 0o700 });
    else if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(absolute), destination);
    else fs.copyFileSync(absolute, destination, fs.constants.COPYFILE_EXCL);
  }
}
