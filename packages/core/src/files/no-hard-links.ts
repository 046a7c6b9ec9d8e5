/** Errors of a hard link on a file system without them (FAT/exFAT drives, some SMB mounts), or with no room for one more. */
const NO_HARD_LINK_CODES = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** True when `link()` failed because a hard link cannot be made here: a caller falls back to an exclusive create. */
export function noHardLinks(error: unknown): boolean {
  return NO_HARD_LINK_CODES.has((error as NodeJS.ErrnoException).code ?? "");
}
