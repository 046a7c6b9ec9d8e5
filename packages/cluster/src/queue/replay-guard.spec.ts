import { describe, expect, it } from "@jest/globals";
import { bullScript, bullVersion } from "./bull-scripts";
import { assertReplayGuardSupported, BULLMQ_BUILT_WITH, DONE_MARKER_PREFIX, markingHandedOutJobs } from "./replay-guard";

describe("the replay guard's patch of BullMQ's scripts", () => {
  it("finds its anchor in the installed BullMQ's moveToActive and moveToFinished (fails on a BullMQ that hands jobs out otherwise)", () => {
    expect(bullVersion()).toBe(BULLMQ_BUILT_WITH);
    expect(() => assertReplayGuardSupported()).not.toThrow();
    for (const [file, name, keys] of [
      ["moveToActive-11.js", "moveToActive", 11],
      ["moveToFinished-14.js", "moveToFinished", 14],
    ] as const) {
      const marked = markingHandedOutJobs(bullScript(file, name, keys));
      // every place the script hands a job out reads the attempt's mark
      expect(marked.split(`rcall("GET", "${DONE_MARKER_PREFIX}" .. jobId)`).length - 1).toBe(1);
      expect(marked).not.toContain('return {rcall("HGETALL", jobKey), jobId, 0, 0}');
    }
  });

  it("refuses a script without the anchor with BULLMQ_UNSUPPORTED, never returning it unpatched", () => {
    expect(() => markingHandedOutJobs("local rcall = redis.call\nreturn {rcall('HGETALL', KEYS[1]), ARGV[1], 0, 0}")).toThrow(expect.objectContaining({ code: "BULLMQ_UNSUPPORTED" }));
  });
});
