// CPU time of repeated timed passes, with an optional V8 CPU profile of those passes only (warm-up and loading left
// out), for the prof-*.ts benches.
import fs from "node:fs";
import { Session } from "node:inspector/promises";

/** Runs `pass` `reps` times and returns each pass's CPU ms (user + system); writes the passes' profile to `profileFile`. */
export async function cpuPasses(reps: number, pass: () => void, profileFile?: string): Promise<number[]> {
  const session = new Session();
  if (profileFile) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const u0 = process.cpuUsage();
    pass();
    const u = process.cpuUsage(u0);
    times.push((u.user + u.system) / 1000);
  }
  if (profileFile) {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  return times;
}
