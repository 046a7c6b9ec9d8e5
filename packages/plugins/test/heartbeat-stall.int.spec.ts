// The host's own thread stalling (a synchronous page decode, a long GC under load) must not be taken for
// a plugin that stopped answering: its answer to the last ping is then waiting unread in the pipe.
// This file wraps setInterval (so it has its own file) to queue the stall in the same loop turn as a beat.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "@jest/globals";
import { PluginHost } from "../src/host/plugin-host";
import { manifestFor, sandboxOptions, stepEntry, writePlugin } from "./support/sandbox-runner";

const BEAT_MS = 1000;
let stallAfterNextBeat: (() => void) | undefined;
const realSetInterval = globalThis.setInterval;
// Only the heartbeat uses an interval of exactly BEAT_MS here: after its tick, the armed stall runs once,
// in the check phase of that same turn — after the ping went out, before the pong can be read.
globalThis.setInterval = ((fn: () => void, ms: number, ...rest: unknown[]) =>
  realSetInterval(
    () => {
      fn();
      if (ms === BEAT_MS && stallAfterNextBeat) {
        const stall = stallAfterNextBeat;
        stallAfterNextBeat = undefined;
        setImmediate(stall);
      }
    },
    ms,
    ...rest,
  )) as typeof setInterval;
afterAll(() => {
  globalThis.setInterval = realSetInterval;
});

it("keeps an idle plugin running through a host stall of 2.5 beats that starts right after a ping", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-stall-"));
  writePlugin(root, "idler", manifestFor("idler"), { "index.mjs": stepEntry("idler") });
  const { runnerPath } = await sandboxOptions();
  const host = await PluginHost.open({ directories: [root], runnerPath, limits: { memoryMb: 128, callTimeoutMs: 30_000, loadTimeoutMs: 30_000, heartbeatMs: BEAT_MS } });
  try {
    await new Promise((r) => setTimeout(r, 2.5 * BEAT_MS)); // beats answered
    expect(host.plugins()[0]?.state).toBe("running");
    let stalled = false;
    stallAfterNextBeat = () => {
      const until = Date.now() + 2.5 * BEAT_MS;
      while (Date.now() < until);
      stalled = true;
    };
    while (!stalled) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2 * BEAT_MS)); // the beats after the stall
    expect(host.plugins()[0]).toMatchObject({ name: "idler", state: "running" });
    await expect(host.stepTypes().find((s) => s.id === "idler.step")?.run({ a: 1 })).resolves.toEqual({ plugin: "idler", version: "1", input: { a: 1 } });
  } finally {
    await host.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 60_000);
