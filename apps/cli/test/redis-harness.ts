import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A real redis-server for a test: random free loopback port, a password, AOF on, its own temp dir. */
export async function startRedis(): Promise<{ url: string; port: number; password: string; aof: () => string; stop: () => Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const password = randomBytes(12).toString("hex");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-cli-redis-"));
  const proc: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", password, "--appendonly", "yes", "--dir", dir, "--save", "", "--loglevel", "warning"], { stdio: "ignore" });
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (up) break;
    if (i > 200) throw new Error("redis-server did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    port,
    password,
    /** Everything Redis ever persisted (its append-only files), as text. */
    aof: () => {
      const aofDir = path.join(dir, "appendonlydir");
      return fs.existsSync(aofDir) ? fs.readdirSync(aofDir).map((f) => fs.readFileSync(path.join(aofDir, f), "latin1")).join("\n") : "";
    },
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once("exit", () => (fs.rmSync(dir, { recursive: true, force: true }), resolve()));
        proc.kill("SIGKILL");
      }),
  };
}
