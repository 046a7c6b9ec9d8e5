import { RUN_ACTOR } from "@bear/workflow-engine";
import type { PayloadRef } from "../payloads/payload-store";
import { STEP_REPLY_ID } from "./step-replies";

/**
 * The step job's and its result's checks on each step's path, written out by hand: the zod
 * schemas (step-job.ts) cost a worker ~70 µs per job and the API ~25 µs per result on a machine
 * whose caches other processes keep cold (the path runs once every few milliseconds), against a few
 * µs here. Each check accepts only what its schema accepts, field for field (the same patterns and
 * integers, no unknown key; lengths in UTF-16 units, which the schema counts in code points, so a string
 * of astral characters it takes by a hair is left to it), and answers undefined for anything else, which the schema then judges
 * (with its own message): a job or result the sender made as this release makes them never reaches
 * the schema. `test/step-job-check.spec.ts` holds the two to agreement on generated data.
 */

const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const JOB_KEYS = new Set(["v", "actor", "runId", "stepId", "key", "type", "agent", "attempt", "index", "matter", "payload", "reply", "queuedAt", "act"]);
const RESULT_KEYS = new Set(["output", "workerId", "handlerMs", "startedAt"]);

/** A job's data of `version` (this release's) as its schema would give it back, or undefined: let the schema judge it. */
export function checkedStepJob<T>(data: unknown, version: number): T | undefined {
  const d = plainObject(data);
  if (d === undefined || d.v !== version) return undefined;
  for (const k in d) if (!JOB_KEYS.has(k)) return undefined;
  if (Object.keys(d).length !== countKeys(d)) return undefined;
  if (!(d.actor === null || (typeof d.actor === "string" && RUN_ACTOR.test(d.actor)))) return undefined;
  if (!(typeof d.runId === "string" && RUN_ID.test(d.runId))) return undefined;
  if (!text(d.stepId, 1, 200) || !text(d.key, 1, 240) || !text(d.type, 1, 200)) return undefined;
  if ("agent" in d && !text(d.agent, 0, 200)) return undefined;
  if (!(Number.isSafeInteger(d.attempt) && (d.attempt as number) >= 1)) return undefined;
  if ("index" in d && !(Number.isSafeInteger(d.index) && (d.index as number) >= 0)) return undefined;
  if (!(d.matter === null || text(d.matter, 1, 200))) return undefined;
  if (!payloadRef(d.payload)) return undefined;
  if (!(typeof d.reply === "string" && STEP_REPLY_ID.test(d.reply))) return undefined;
  if (!(typeof d.queuedAt === "number" && Number.isFinite(d.queuedAt))) return undefined;
  if ("act" in d && d.act !== true) return undefined;
  return { ...d } as T;
}

/** A step job's result as its schema would give it back, or undefined: let the schema judge it. */
export function checkedStepResult<T>(value: unknown): T | undefined {
  const r = plainObject(value);
  if (r === undefined) return undefined;
  let keys = 0;
  for (const k in r) {
    if (!RESULT_KEYS.has(k)) return undefined;
    keys++;
  }
  if (keys !== 4 || Object.keys(r).length !== 4) return undefined;
  if (!payloadRef(r.output) || typeof r.workerId !== "string" || !finite(r.handlerMs) || !finite(r.startedAt)) return undefined;
  return { ...r } as T;
}

/** One of PayloadRef's three forms, exactly (one key, of its type and length). */
function payloadRef(value: unknown): value is PayloadRef {
  const p = plainObject(value);
  if (p === undefined) return false;
  const keys = Object.keys(p);
  if (keys.length !== 1 || countKeys(p) !== 1) return false;
  if (keys[0] === "file") return text(p.file, 1, 500);
  if (keys[0] === "sealed") return text(p.sealed, 1, 16_000_000);
  // the schema takes any inline value; an undefined one it drops with its key (left to it)
  return keys[0] === "inline" && p.inline !== undefined;
}

/** An object made by JSON.parse or an object literal (no array, no class, no prototype of its own). */
function plainObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  return value as Record<string, unknown>;
}

/** Own and inherited enumerable keys (for..in): equal to Object.keys when nothing is inherited. */
function countKeys(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function text(value: unknown, min: number, max: number): boolean {
  return typeof value === "string" && value.length >= min && value.length <= max;
}

function finite(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value);
}
