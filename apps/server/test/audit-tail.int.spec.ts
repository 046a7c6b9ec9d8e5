// Attack: cut the tail of audit.jsonl (and delete or rewrite the head checkpoint) under a running
// server; GET /api/v1/audit/verify must answer truncated, never ok.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestServer, type TestServer } from "./support/test-server";

describe("GET /api/v1/audit/verify sees a cut tail", () => {
  let t: TestServer;
  let pristine: string;
  let head: Buffer;
  const logFile = (): string => path.join(t.dir, "audit", "audit.jsonl");
  const headFile = (): string => path.join(t.dir, "audit", "audit.head");
  const verify = async (): Promise<{ ok: boolean; truncated: boolean; records: number; problems: { kind: string; message: string }[] }> => {
    const res = await fetch(`${t.url}/api/v1/audit/verify`, { headers: t.auth("admin") });
    expect(res.status).toBe(200);
    return (await res.json()) as { ok: boolean; truncated: boolean; records: number; problems: { kind: string; message: string }[] };
  };
  const cutTo = (n: number): void => fs.writeFileSync(logFile(), `${pristine.trim().split("\n").slice(0, n).join("\n")}\n`);

  beforeAll(async () => {
    t = await startTestServer();
    // each export appends one signed record
    while (!fs.existsSync(logFile()) || fs.readFileSync(logFile(), "utf8").trim().split("\n").length < 11) {
      const res = await fetch(`${t.url}/api/v1/audit/export`, { headers: t.auth("admin") });
      expect(res.status).toBe(200);
      await res.text();
    }
    pristine = fs.readFileSync(logFile(), "utf8");
    head = fs.readFileSync(headFile());
  });
  afterAll(() => t.close());

  it("an untouched log answers ok, not truncated", async () => {
    expect(await verify()).toMatchObject({ ok: true, truncated: false, records: 11 });
  });

  it("a log cut from 11 to 6 lines answers truncated, not ok", async () => {
    cutTo(6);
    const v = await verify();
    expect(v).toMatchObject({ ok: false, truncated: true, records: 6 });
    expect(v.problems[0]).toMatchObject({ kind: "truncated" });
  });

  it("…also when the head checkpoint is deleted", async () => {
    cutTo(6);
    fs.rmSync(headFile());
    expect(await verify()).toMatchObject({ ok: false, truncated: true });
    fs.writeFileSync(headFile(), head);
  });

  it("…also when the head checkpoint is rewritten to match the shorter log", async () => {
    cutTo(6);
    const last = JSON.parse(pristine.trim().split("\n")[5] ?? "{}") as { seq: number; hash: string; ts: string };
    fs.writeFileSync(headFile(), JSON.stringify({ seq: last.seq, hash: last.hash, ts: last.ts, mac: "00".repeat(32) }));
    expect(await verify()).toMatchObject({ ok: false, truncated: true });
    fs.writeFileSync(headFile(), head);
    fs.writeFileSync(logFile(), pristine);
    expect(await verify()).toMatchObject({ ok: true, truncated: false });
  });
});
