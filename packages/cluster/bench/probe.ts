// Timestamps for bench/step-breakdown.ts: loaded into a process (`--import` for a worker, imported
// first by the bench for the API), it stamps every Redis command a client of this process writes
// and the moment its reply arrives (ioredis's sendCommand; BullMQ's scripts named by their SHA),
// every pub/sub message received, and the named method calls the bench wraps (`probeMethod`), on
// the machine's monotonic clock (process.hrtime: one clock for every process of the machine), and
// the thread's CPU time at each stamp. A worker's stamps are written to PROBE_OUT as JSON at exit.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Redis } from "ioredis";

export interface Stamp {
  /** Monotonic µs (shared by the machine's processes). */
  readonly t: number;
  /** This process's CPU µs (user + system) at the stamp. */
  readonly cpu: number;
  readonly ev: string;
  /** The Redis connection (numbered per process in creation order) or "" for a method. */
  readonly conn: string;
}

export const stamps: Stamp[] = [];
let on = true;
/** Stops (false) or resumes stamping (the warm-up is left out). */
export function probing(value: boolean): void {
  on = value;
}
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
export function stamp(ev: string, conn = ""): void {
  if (!on) return;
  const c = process.cpuUsage();
  stamps.push({ t: nowUs(), cpu: c.user + c.system, ev, conn });
}

const scriptNames = new Map<string, string>();
const connIds = new WeakMap<object, number>();
let nextConn = 1;
const connOf = (client: object): string => {
  let id = connIds.get(client);
  if (id === undefined) connIds.set(client, (id = nextConn++));
  return `c${id}`;
};

type Proto = Record<string, (...args: never[]) => unknown>;
const proto = Redis.prototype as unknown as Proto;
const defineCommand = proto["defineCommand"]!;
proto["defineCommand"] = function (this: object, name: string, definition: { lua: string }) {
  scriptNames.set(createHash("sha1").update(definition.lua).digest("hex"), name.split(":")[0]!);
  return (defineCommand as unknown as (...a: unknown[]) => unknown).call(this, name, definition);
} as never;
const sendCommand = proto["sendCommand"]!;
proto["sendCommand"] = function (this: object, command: { name: string; args: unknown[]; promise?: Promise<unknown> }, ...rest: unknown[]) {
  const conn = connOf(this);
  const name = command.name === "evalsha" || command.name === "eval" ? `${command.name}:${scriptNames.get(String(command.args[0])) ?? "?"}` : command.name;
  stamp(`> ${name}`, conn);
  const result = (sendCommand as unknown as (...a: unknown[]) => unknown).call(this, command, ...rest);
  command.promise?.then(
    () => stamp(`< ${name}`, conn),
    () => stamp(`<! ${name}`, conn),
  );
  return result;
} as never;
const emit = proto["emit"]!;
proto["emit"] = function (this: object, event: string, ...args: unknown[]) {
  if (event === "message" || event === "pmessage") stamp(`message`, connOf(this));
  return (emit as unknown as (...a: unknown[]) => unknown).call(this, event, ...args);
} as never;

/** Wraps `target[method]` (a prototype's) with stamps at its call and at its promise's settling. */
export function probeMethod(target: object, method: string, label: string): void {
  const t = target as Record<string, (...a: unknown[]) => unknown>;
  const original = t[method]!;
  t[method] = function (this: unknown, ...args: unknown[]) {
    stamp(`${label}(`);
    const r = original.apply(this, args);
    if (r instanceof Promise) return r.finally(() => stamp(`${label})`));
    stamp(`${label})`);
    return r;
  };
}

if (process.env.PROBE_OUT) {
  const out = process.env.PROBE_OUT;
  process.on("exit", () => fs.writeFileSync(out, JSON.stringify(stamps)));
}
