import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, json, removeTempDirs, tempDir } from "./harness";

const CONTRACT =
  "SERVICES AGREEMENT\n\nThis Agreement is made between Halvorsen Tooling AS (Supplier) and Pemberton Freight Ltd (Customer).\n\n9. Termination. Either party may terminate this Agreement on sixty (60) days' written notice.\n\n11. Governing Law. This Agreement is governed by the laws of England and Wales.\n";

type Stats = { kinds: Record<string, { l1Hits: number; l2Hits: number; misses: number }>; lifetime: Record<string, { l1Hits: number; l2Hits: number; misses: number }> | null; l2: { backend: string; entries: number; sealed: boolean } | null };

describe("bear cache", () => {
  afterAll(() => removeTempDirs());

  it("a second `bear review` of the same contract comes from the disk cache; stats count every process; clear empties it (audited); doctor shows it", () => {
    const ws = initWorkspace("cache");
    const inWs = (args: string[]) => bear(["--data-dir", ws, ...args]);
    const file = path.join(tempDir("contract"), "services.txt");
    fs.writeFileSync(file, CONTRACT);
    const first = inWs(["review", file, "--format", "json", "--json"]);
    expect(first.status).toBe(0);
    const second = inWs(["review", file, "--format", "json", "--json"]);
    expect(json(second)).toEqual(json(first));

    const stats = json<Stats>(inWs(["cache", "stats", "--json"]));
    expect(stats.l2).toMatchObject({ backend: "disk", sealed: false });
    expect(stats.l2!.entries).toBeGreaterThanOrEqual(1);
    expect(stats.lifetime?.["review"]).toMatchObject({ misses: 1, l2Hits: 1 });
    expect(inWs(["cache", "stats"]).stdout).toMatch(/review\s+0\s+1\s+1/);

    const doctor = json<{ checks: { area: string; level: string; summary: string }[] }>(inWs(["doctor", "--json"]));
    expect(doctor.checks.find((c) => c.area === "cache")).toMatchObject({ level: "ok", summary: expect.stringContaining("disk L2") });

    expect(inWs(["cache", "clear", "--kind", "everything"]).status).toBe(1);
    expect(json(inWs(["cache", "clear", "--kind", "review", "--json"]))).toEqual({ cleared: "review" });
    expect(json<Stats>(inWs(["cache", "stats", "--json"])).l2!.entries).toBe(0);
    const audit = fs.readFileSync(path.join(ws, "audit", "audit.jsonl"), "utf8");
    expect(audit).toContain('"action":"cache.clear"');
    expect(audit).not.toContain("Halvorsen");
  });
});
