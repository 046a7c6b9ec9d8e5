/**
 * Memos that remember words or numbers of the texts scanned (the name model's word table, the run word classes, the
 * phone validity answers, a party's compiled word patterns) make a data room's scan fast because a contract repeats
 * its names hundreds of times; but kept across scans they hold names and numbers of documents of other matters for as
 * long as the process lives. Such memos register here, and everything they hold is forgotten once no scan has ended
 * for `SCAN_MEMORY_IDLE_MS`: back-to-back documents keep the memo warm, an idle process holds nothing scanned.
 */

/** How long after the last scan ended the memos are forgotten. */
export const SCAN_MEMORY_IDLE_MS = 1000;

/** Something that holds words or numbers of scanned texts and can let them go. */
export interface ScanMemo {
  /** How many entries it holds now. */
  held(): number;
  forgetScannedText(): void;
}

/** A memo: a ScanMemo, or a Map of words, forgotten by clearing it. */
type Memo = ScanMemo | Map<unknown, unknown>;
// Weak: a recognizer that is no longer used must not be kept alive by being registered (a module's own Map is held by
// its module, so it can be registered as it is, with no wrapper object that nothing else would hold).
const memos = new Set<WeakRef<Memo>>();
let idleTimer: NodeJS.Timeout | undefined;

/** Registers `memo` to be forgotten when scanning goes idle (module-level memos register once, instances when made). */
export function forgetWhenScanningIdles(memo: Memo): void {
  memos.add(new WeakRef(memo));
}

/** Called when a scan ends: (re)starts the idle countdown. The timer never keeps the process alive. */
export function scanEnded(): void {
  if (idleTimer) idleTimer.refresh();
  else idleTimer = setTimeout(forgetScannedTextNow, SCAN_MEMORY_IDLE_MS).unref();
}

/** How many entries the registered memos hold now (0 once scanning has been idle). */
export function scanMemoryHeld(): number {
  let n = 0;
  for (const ref of memos) {
    const memo = ref.deref();
    if (memo) n += memo instanceof Map ? memo.size : memo.held();
  }
  return n;
}

/** Forgets every registered memo at once (the idle timer calls this). */
export function forgetScannedTextNow(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  for (const ref of memos) {
    const memo = ref.deref();
    if (memo instanceof Map) memo.clear();
    else if (memo) memo.forgetScannedText();
    else memos.delete(ref);
  }
}
