// How one long text's scan is shared among threads: by recognizer, not by piece of text. Each recognizer reads the
// whole text (the organisation recognizer finds a party's later mentions anywhere, the address recognizer counts a
// town's mentions in the whole text, a cue may span a blank line), so cutting the text could change what they find;
// giving each thread whole recognizers cannot. The document-wide reading (PiiScanner.finish) runs once after.

/**
 * Relative CPU cost of each built-in recognizer on contracts (bench/scan-speed.ts profile, 50 CUAD contracts as one
 * 2.5 MB text: ms of CPU). Only their ratios matter: they decide how the recognizers are shared among lanes.
 */
const RECOGNIZER_COST: Readonly<Record<string, number>> = {
  NameRecognizer: 700,
  OrganizationRecognizer: 330,
  AddressRecognizer: 160,
  PhoneRecognizer: 80,
  DateOfBirthRecognizer: 15,
  DriverLicenseRecognizer: 8,
};
/** A recognizer not in the table (the small pattern recognizers, custom ones). */
const OTHER_COST = 5;

/**
 * The recognizers (by index) each of `lanes` threads runs: the costliest first, each to the lane with the least work
 * so far (longest-processing-time first). Every index is in exactly one lane; a lane's indices ascend; lanes that
 * would be empty are left out, so there are at most `names.length` lanes.
 */
export function planLanes(names: readonly string[], lanes: number): number[][] {
  const n = Math.max(1, Math.min(Math.floor(lanes), names.length));
  const order = names.map((name, i) => ({ i, cost: RECOGNIZER_COST[name] ?? OTHER_COST })).sort((a, b) => b.cost - a.cost || a.i - b.i);
  const plan = Array.from({ length: n }, () => ({ cost: 0, indices: [] as number[] }));
  for (const r of order) {
    let least = plan[0] as { cost: number; indices: number[] };
    for (const lane of plan) if (lane.cost < least.cost) least = lane;
    least.cost += r.cost;
    least.indices.push(r.i);
  }
  return plan.map((lane) => lane.indices.sort((a, b) => a - b)).filter((indices) => indices.length > 0);
}
