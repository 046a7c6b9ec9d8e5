import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

/** A free loopback port (the OS picks one; it is free again when this returns). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real redis-server on a random port of `host` (loopback by default), with a password and no persistence, for one test file. */
export async function startRedis(password = "test-password", host = "127.0.0.1"): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await freePort();
  // password "": a server with no password (the URL still carries one, which Redis 7 lets pass)
  const auth = password === "" ? [] : ["--requirepass", password];
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", host, ...auth, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) resolve();
    };
    child.stdout!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
  return {
    url: `redis://:${password || "unchecked"}@${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
