// Runs a timing fixture in a child process whose regexes V8 compiles without optimisation (--no-regexp-optimization:
// what every new regex gets once a process has generated 1 MB of regex code, a long-lived server or a jest process
// after a few dozen test files). A child process, because flags set here would not reach regexes V8 has already compiled.
import { execFileSync } from "node:child_process";

/** The fixture's [unit, CPU ms of its main thread] for each unit, in its order: the fixture reads a `length`-character run of each. */
export function unoptimisedTimes(script: string, units: readonly string[], length: number, timeoutMs: number): [string, number][] {
  const out = execFileSync(process.execPath, ["--no-regexp-optimization", "--import", "tsx", script, JSON.stringify(units), String(length)], {
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return JSON.parse(out) as [string, number][];
}
