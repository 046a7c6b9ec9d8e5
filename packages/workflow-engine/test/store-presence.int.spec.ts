// Standalone (exclusive) and shared (cluster instance) openers of one workflow database refuse each
// other while the other is live, so no run is resumed by two engines at once. Real SQLite files,
// real child processes (killed with -9 for the crash cases), markers as another host would write them.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { RunStoreError, RunStoreInUseError, SqliteRunStore } from "../src/index";
import { processScope, processStartOf } from "@bear/core";
import { presenceDirOf } from "../src/store/store-presence";

const packageDir = path.resolve(import.meta.dirname, "..");
const holderScript = path.join(import.meta.dirname, "fixtures", "store-holder.ts");

let dir: string;
let dbPath: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-presence-"));
  dbPath = path.join(dir, "workflows.db");
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill9(c)));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a child holding the database; resolves once it has it open. */
async function holder(mode: "shared" | "exclusive"): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", holderScript, dbPath, mode], { cwd: packageDir, stdio: ["ignore", "pipe", "inherit"] });
  children.push(proc);
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    proc.once("exit", (code) => reject(new Error(`holder exited (${code}) before opening: ${out}`)));
  });
  expect(line).toBe("open");
  return proc;
}

async function kill9(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGKILL");
  await exited;
}

async function refusal(open: Promise<SqliteRunStore>): Promise<RunStoreInUseError> {
  const error = await open.then(
    (store) => (store.close(), undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunStoreInUseError);
  return error as RunStoreInUseError;
}

const markers = (): string[] => (fs.existsSync(presenceDirOf(dbPath)) ? fs.readdirSync(presenceDirOf(dbPath)) : []);

function writeMarker(host: string, pid: number, mode: "shared" | "exclusive", at: number, id?: string, identity: { scope?: string; start?: string } = {}): string {
  fs.mkdirSync(presenceDirOf(dbPath), { recursive: true });
  const file = path.join(presenceDirOf(dbPath), `${host.replace(/[^\w.-]/g, "_").slice(0, 64)}.${pid}.0123456789ab.json`);
  fs.writeFileSync(file, JSON.stringify({ host, pid, mode, at, ...(id === undefined ? {} : { id }), ...identity }));
  return file;
}

/** A live process of this host that is not an engine (a pid reused after a crash or reboot). */
function bystander(): ChildProcess {
  const proc = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(proc);
  return proc;
}

async function opens(options: Parameters<typeof SqliteRunStore.open>[0] = { dbPath }): Promise<void> {
  (await SqliteRunStore.open(options)).close();
}

describe("a standalone opener while cluster instances are live", () => {
  it("is refused, naming every live instance and saying to stop them or to pass --redis; it opens once they closed", async () => {
    const a = await SqliteRunStore.open({ dbPath, shared: true });
    const b = await SqliteRunStore.open({ dbPath, shared: true }); // instances share with each other
    const other = await holder("shared");
    const error = await refusal(SqliteRunStore.open({ dbPath }));
    expect(error.code).toBe("STORE_IN_USE");
    expect(error.message).toMatch(/in use by live cluster instances/);
    expect(error.holders.map((h) => h.pid).sort()).toEqual([process.pid, process.pid, other.pid].sort());
    expect(error.message).toContain(`process ${other.pid}`);
    expect(error.hint).toMatch(/Stop those instances.*--redis/);
    // the refused opener left neither its lock nor its marker
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(false);
    expect(markers()).toHaveLength(3);
    a.close();
    b.close();
    await refusal(SqliteRunStore.open({ dbPath })); // the child is still live
    await kill9(other);
    const standalone = await SqliteRunStore.open({ dbPath }); // killed -9: its pid is dead on this host, no wait
    expect(markers()).toHaveLength(1); // the dead instance's marker was cleared
    standalone.close();
    expect(markers()).toHaveLength(0);
  }, 60_000);

  it("judges another host's instance by its marker's age: fresh (or dated ahead, clock skew) refuses, stale does not", async () => {
    const fresh = writeMarker("other-host", 4242, "shared", Date.now() - 2_000);
    const error = await refusal(SqliteRunStore.open({ dbPath }));
    expect(error.message).toContain("process 4242 on other-host");
    fs.rmSync(fresh);
    const ahead = writeMarker("other-host", 4243, "shared", Date.now() + 20_000);
    await refusal(SqliteRunStore.open({ dbPath }));
    fs.rmSync(ahead);
    const stale = writeMarker("other-host", 4244, "shared", Date.now() - 31_000);
    const store = await SqliteRunStore.open({ dbPath });
    expect(fs.existsSync(stale)).toBe(false);
    store.close();
    // the threshold is configurable (a few heartbeat periods)
    writeMarker("other-host", 4245, "shared", Date.now() - 2_000);
    (await SqliteRunStore.open({ dbPath, presence: { staleMs: 1_000 } })).close();
  });

  it("a marker of this host whose process is dead does not count, whatever its age", async () => {
    const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => gone.once("exit", resolve));
    writeMarker(os.hostname(), gone.pid ?? 0, "shared", Date.now());
    expect(gone.pid).toBeGreaterThan(0);
    (await SqliteRunStore.open({ dbPath })).close();
    expect(markers()).toHaveLength(0);
  });
});

describe("a shared opener (cluster instance) while a standalone holds the database", () => {
  it("is refused, naming the standalone and saying to stop it; opens once it is gone (closed or killed -9)", async () => {
    const standalone = await SqliteRunStore.open({ dbPath });
    const error = await refusal(SqliteRunStore.open({ dbPath, shared: true }));
    expect(error.message).toMatch(new RegExp(`in use by a standalone engine: process ${process.pid}`));
    expect(error.holders).toEqual([expect.objectContaining({ pid: process.pid, mode: "exclusive", host: os.hostname() })]);
    expect(error.hint).toMatch(/Stop the standalone server/);
    standalone.close();
    (await SqliteRunStore.open({ dbPath, shared: true })).close();

    const child = await holder("exclusive");
    const again = await refusal(SqliteRunStore.open({ dbPath, shared: true }));
    expect(again.holders.map((h) => h.pid)).toEqual([child.pid]);
    await kill9(child);
    const instance = await SqliteRunStore.open({ dbPath, shared: true });
    instance.close();
  }, 60_000);

  it("also sees a standalone by its pid lock alone (a standalone of an earlier version, with no marker)", async () => {
    const old = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    children.push(old);
    fs.writeFileSync(`${dbPath}.lock`, String(old.pid));
    const error = await refusal(SqliteRunStore.open({ dbPath, shared: true }));
    expect(error.holders.map((h) => h.pid)).toEqual([old.pid]);
    await kill9(old);
    (await SqliteRunStore.open({ dbPath, shared: true })).close();
  });

  it("a standalone on another host is judged by its marker's age", async () => {
    writeMarker("far-host", 77, "exclusive", Date.now() - 1_000);
    const error = await refusal(SqliteRunStore.open({ dbPath, shared: true }));
    expect(error.message).toContain("process 77 on far-host");
    // another host's instance does not stop an instance from joining
    fs.rmSync(presenceDirOf(dbPath), { recursive: true });
    writeMarker("far-host", 78, "shared", Date.now());
    (await SqliteRunStore.open({ dbPath, shared: true })).close();
  });
});

describe("an opener that never runs runs (presence: false, a cluster worker)", () => {
  it("neither blocks a standalone nor is blocked by one", async () => {
    const worker = await SqliteRunStore.open({ dbPath, shared: true, presence: false });
    expect(markers()).toEqual([]);
    const standalone = await SqliteRunStore.open({ dbPath });
    const late = await SqliteRunStore.open({ dbPath, shared: true, presence: false });
    late.close();
    standalone.close();
    worker.close();
  });
});

describe("markers", () => {
  it("are refreshed every period while open (atomically: never seen half-written) and removed on close", async () => {
    const store = await SqliteRunStore.open({ dbPath, shared: true, presence: { periodMs: 30 } });
    const [name = ""] = markers();
    expect(name).not.toBe("");
    const file = path.join(presenceDirOf(dbPath), name);
    const first = JSON.parse(fs.readFileSync(file, "utf8")) as { host: string; pid: number; mode: string; at: number };
    expect(first).toMatchObject({ host: os.hostname(), pid: process.pid, mode: "shared" });
    let seen = first.at;
    for (let i = 0; i < 40 && seen === first.at; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen = (JSON.parse(fs.readFileSync(file, "utf8")) as { at: number }).at; // a torn write would throw here
    }
    expect(seen).toBeGreaterThan(first.at);
    expect(Object.keys(first).sort()).toEqual(["at", "host", "id", "mode", "pid", "scope", "start"]); // no document data
    store.close();
    expect(markers()).toEqual([]);
  });

  it("are written without fsync: a refresh never holds the opener's event loop on the disk", async () => {
    // a marker says who is live; after a power cut nobody is, and a torn one reads as no marker (not live)
    const fsync = jest.spyOn(fs, "fsyncSync");
    try {
      const store = await SqliteRunStore.open({ dbPath, shared: true, presence: { periodMs: 20 } });
      const file = path.join(presenceDirOf(dbPath), markers()[0] ?? "");
      const first = (JSON.parse(fs.readFileSync(file, "utf8")) as { at: number }).at;
      fsync.mockClear(); // the database's own opening is not what is measured
      let seen = first;
      for (let i = 0; i < 50 && seen === first; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen = (JSON.parse(fs.readFileSync(file, "utf8")) as { at: number }).at;
      }
      expect(seen).toBeGreaterThan(first);
      expect(fsync).not.toHaveBeenCalled();
      store.close();
    } finally {
      fsync.mockRestore();
    }
  });
});

describe("a marker of this host", () => {
  it("counts only while fresh, even if its pid is alive (reused after a crash); the refusal names the marker to delete", async () => {
    const other = bystander();
    const fresh = writeMarker(os.hostname(), other.pid ?? 0, "shared", Date.now() - 1_000);
    const error = await refusal(SqliteRunStore.open({ dbPath }));
    expect(error.hint).toContain(`delete '${fresh}'`);
    expect(error.holders).toEqual([expect.objectContaining({ pid: other.pid, file: fresh })]);
    fs.rmSync(fresh);
    const stale = writeMarker(os.hostname(), other.pid ?? 0, "shared", Date.now() - 31_000);
    await opens();
    expect(fs.existsSync(stale)).toBe(false);
  });

  it("of a stopped instance (SIGSTOP, Ctrl-Z) keeps counting past staleMs: a standalone is refused until it is gone", async () => {
    expect(processScope).toBeDefined(); // Linux: boot id and pid namespace
    const instance = await holder("shared");
    instance.kill("SIGSTOP");
    try {
      await new Promise((resolve) => setTimeout(resolve, 800)); // its marker is now older than staleMs, never refreshed
      const error = await refusal(SqliteRunStore.open({ dbPath, presence: { staleMs: 300 } }));
      expect(error.holders).toEqual([expect.objectContaining({ pid: instance.pid, mode: "shared" })]);
      expect(error.hint).toContain("Ctrl-Z");
      expect(markers()).toHaveLength(1); // not pruned as dead
    } finally {
      instance.kill("SIGCONT");
    }
    await kill9(instance);
    await opens({ dbPath, presence: { staleMs: 300 } }); // killed: gone at once
  }, 60_000);

  it("of a live pid with another start time (the pid reused) does not count however fresh; with its start time it counts however old", async () => {
    const other = bystander();
    const pid = other.pid ?? 0;
    const start = processStartOf(pid);
    expect(start).toMatch(/^\d+$/);
    const reused = writeMarker(os.hostname(), pid, "shared", Date.now(), undefined, { scope: processScope!, start: String(Number(start) + 1) });
    await opens();
    expect(fs.existsSync(reused)).toBe(false);
    writeMarker(os.hostname(), pid, "shared", Date.now() - 3_600_000, undefined, { scope: processScope!, start: start! });
    await refusal(SqliteRunStore.open({ dbPath }));
    // a marker of another kernel or pid namespace with our host name: judged by its age and pid, as before
    const elsewhere = { scope: "00000000-0000-0000-0000-000000000000/pid:[1]", start: start! };
    writeMarker(os.hostname(), pid, "shared", Date.now() - 1_000, undefined, elsewhere);
    await refusal(SqliteRunStore.open({ dbPath }));
    writeMarker(os.hostname(), pid, "shared", Date.now() - 31_000, undefined, elsewhere);
    await opens();
  });

  it("with this process's pid but another process id (a container with the same hostname, pid 1) is judged by its age", async () => {
    const twin = writeMarker(os.hostname(), process.pid, "exclusive", Date.now() - 1_000, "feedfacefeedface");
    const error = await refusal(SqliteRunStore.open({ dbPath, shared: true }));
    expect(error.holders).toEqual([expect.objectContaining({ pid: process.pid, file: twin })]);
    expect(fs.existsSync(twin)).toBe(true); // not pruned as this process's own dead marker
    fs.rmSync(twin);
    writeMarker(os.hostname(), process.pid, "exclusive", Date.now() - 31_000, "feedfacefeedface");
    await opens({ dbPath, shared: true });
    expect(markers()).toEqual([]);
  });
  it("of another thread of this process (same pid and start time, another id) counts while fresh and is kept", async () => {
    // A worker thread has its own globals (process id, held markers): it must not judge the main thread's marker dead.
    const script = path.join(import.meta.dirname, "fixtures", "presence-threads.ts");
    const out = execFileSync(process.execPath, ["--import", "tsx", script, dbPath], { cwd: packageDir, encoding: "utf8" });
    expect(JSON.parse(out.trim())).toEqual({ holders: 1, markers: 1 });
  });
});

describe("an untrusted presence folder", () => {
  it("a marker dated more than staleMs ahead is no clock skew: it does not count", async () => {
    const forged = writeMarker("other-host", 4246, "shared", Date.now() + 10 * 365 * 86_400_000);
    await opens();
    expect(fs.existsSync(forged)).toBe(false);
  });

  it("a marker-named symlink is not followed (to a live marker outside, or /dev/zero)", async () => {
    const outside = path.join(dir, "outside.json");
    fs.writeFileSync(outside, JSON.stringify({ host: "other-host", pid: 9, mode: "shared", at: Date.now() }));
    fs.mkdirSync(presenceDirOf(dbPath));
    fs.symlinkSync(outside, path.join(presenceDirOf(dbPath), "other-host.9.0123456789ab.json"));
    fs.symlinkSync("/dev/zero", path.join(presenceDirOf(dbPath), "other-host.10.0123456789ab.json"));
    await opens();
    expect(fs.existsSync(outside)).toBe(true);
  });

  it("a marker-named FIFO does not block, and a marker over 1 KiB is ignored", async () => {
    fs.mkdirSync(presenceDirOf(dbPath));
    const big = path.join(presenceDirOf(dbPath), "other-host.11.0123456789ab.json");
    fs.writeFileSync(big, JSON.stringify({ host: "other-host", pid: 11, mode: "shared", at: Date.now() }) + " ".repeat(1_100));
    let fifo = false;
    try {
      execFileSync("mkfifo", [path.join(presenceDirOf(dbPath), "other-host.12.0123456789ab.json")]);
      fifo = true;
    } catch {
      // no mkfifo here (Windows): the size check is still tested
    }
    await opens();
    expect(fifo || process.platform === "win32").toBe(true);
  }, 10_000);

  it("a host name is capped at 255 characters with control characters stripped before it reaches a message", async () => {
    writeMarker(`evil\nSTORE_OK: injected\u001b[2J${"h".repeat(400)}`, 4247, "shared", Date.now());
    const error = await refusal(SqliteRunStore.open({ dbPath }));
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("\u001b");
    expect(error.message).toContain("on evilSTORE_OK: injected[2J");
    expect(error.holders[0]?.host).toHaveLength(255);
  });

  it("a .live swapped for a symlink after it was checked: nothing is pruned or written through it", async () => {
    const elsewhere = path.join(dir, "elsewhere");
    fs.mkdirSync(elsewhere);
    const victim = path.join(elsewhere, "other-host.13.0123456789ab.json");
    const stale = JSON.stringify({ host: "other-host", pid: 13, mode: "shared", at: 0 }); // would be pruned
    fs.writeFileSync(victim, stale);
    const live = presenceDirOf(dbPath);
    fs.mkdirSync(live);
    fs.writeFileSync(path.join(live, path.basename(victim)), stale);
    // the swap lands between the folder's check and the listing's use (a readdir of the real folder)
    const readdir = fs.readdirSync;
    const swap = jest.spyOn(fs, "readdirSync").mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      const names = (readdir as (...a: unknown[]) => string[])(p, ...rest);
      if (String(p) === live) {
        fs.renameSync(live, `${live}-old`);
        fs.symlinkSync(elsewhere, live);
      }
      return names;
    }) as typeof fs.readdirSync);
    try {
      const error = await SqliteRunStore.open({ dbPath }).then((s) => (s.close(), undefined), (e: unknown) => e);
      expect(error).toBeInstanceOf(RunStoreError);
      expect((error as RunStoreError).message).toMatch(/presence folder .* (replaced while in use|a symbolic link)/);
    } finally {
      swap.mockRestore();
    }
    expect(fs.readdirSync(elsewhere)).toEqual([path.basename(victim)]); // not pruned, nothing written there
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(false);
  });

  it("refuses a .live that is a symlink, deleting nothing where it points", async () => {
    const elsewhere = path.join(dir, "elsewhere");
    fs.mkdirSync(elsewhere);
    const victim = path.join(elsewhere, "other-host.13.0123456789ab.json");
    fs.writeFileSync(victim, JSON.stringify({ host: "other-host", pid: 13, mode: "shared", at: 0 })); // stale: would be pruned
    fs.symlinkSync(elsewhere, presenceDirOf(dbPath));
    const error = await SqliteRunStore.open({ dbPath }).then((s) => (s.close(), undefined), (e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoreError);
    expect((error as RunStoreError).message).toMatch(/presence folder .* a symbolic link/);
    expect((error as RunStoreError).hint).toContain(`delete '${presenceDirOf(dbPath)}'`);
    expect(fs.existsSync(victim)).toBe(true);
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(false);
  });

  it("a folder that cannot be made is a RunStoreError saying what to do", async () => {
    const longPath = path.join(dir, `${"w".repeat(251)}`); // its '.live' (256 bytes) is too long a name
    const error = await SqliteRunStore.open({ dbPath: longPath, shared: true }).then((s) => (s.close(), undefined), (e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoreError);
    expect((error as RunStoreError).message).toMatch(/failed to create its presence folder/);
    expect((error as RunStoreError).hint).toMatch(/shorter database path/);
  });

  it("sweeps a temporary marker older than staleMs (a writer died mid-write), keeping a fresh one", async () => {
    fs.mkdirSync(presenceDirOf(dbPath));
    // writeFileAtomicSync's names (16 hex) and the 8-hex names of the version before it
    const old = path.join(presenceDirOf(dbPath), "h.1.0123456789ab.json.0123456789abcdef.tmp");
    const olderFormat = path.join(presenceDirOf(dbPath), "h.3.0123456789ab.json.01234567.tmp");
    const young = path.join(presenceDirOf(dbPath), "h.2.0123456789ab.json.89abcdef89abcdef.tmp");
    for (const file of [old, olderFormat, young]) fs.writeFileSync(file, "{");
    const then = new Date(Date.now() - 60_000);
    fs.utimesSync(old, then, then);
    fs.utimesSync(olderFormat, then, then);
    await opens();
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(olderFormat)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
  });
});
