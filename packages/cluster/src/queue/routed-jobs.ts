import { Job, type JobsOptions, type Queue } from "bullmq";
import { ClusterError } from "../errors";
import { bullScript, type ScriptClient } from "./bull-scripts";
import { routeKey } from "./step-route";

/**
 * An attempt's job exists only on the queue its route record (`bear:route:<job>`) names. Two
 * scripts keep it so, each one atomic step in Redis:
 * - ROUTED_ADD records the queue (SET NX GET) and adds the job there only when the record names that
 *   queue: a sender that finds the attempt recorded on another queue (an instance that stalled past
 *   its lease while another took its run over) adds nothing and joins the job there;
 * - ROUTED_MOVE takes the job off a queue (BullMQ's remove: refused while a worker holds the job)
 *   and points the record at the new queue in the same step, so a late sender cannot add the job
 *   back to the old queue between the two.
 * A worker therefore needs no read of the record before it runs a job added this way (the
 * GET it sent per step, one round trip on each step's path; step job version 5, see step-job.ts).
 *
 * Both wrap BullMQ's own Lua (addStandardJob, removeJob) from the installed BullMQ — the scripts
 * its Queue runs — in a function, with the record's step before or after it.
 */
/**
 * KEYS 1-9: BullMQ's addStandardJob keys; 10: the route record. ARGV 1-3: BullMQ's; 4: the queue's
 * name; 5: the record's lifetime (s); 6: "1" to count the queue's jobs (waiting + active) after the add.
 * Returns {0, recorded queue} when the record names another queue (nothing added), else {1, BullMQ's
 * answer (the job id, or its negative error code), the count, the queue recorded before (nil: none)}.
 */
function routedAddLua(): string {
  return `local function bullAdd()
${bullScript("addStandardJob-9.js", "addStandardJob", 9)}
end
local prior = redis.call("SET", KEYS[10], ARGV[4], "EX", ARGV[5], "NX", "GET")
if prior and prior ~= ARGV[4] then return {0, prior} end
local added = bullAdd()
local jobs = 0
if ARGV[6] == "1" then jobs = redis.call("LLEN", KEYS[1]) + redis.call("LLEN", KEYS[7]) end
return {1, added, jobs, prior}`;
}

/**
 * KEYS 1-2: BullMQ's removeJob keys (the job's hash, the queue's repeat key); 3: the route record.
 * ARGV 1-3: BullMQ's (job id, remove children, the queue's key prefix); 4: the new queue's name;
 * 5: the record's lifetime (s). Returns BullMQ's answer: 1 removed (and the record moved), 0 refused
 * (a worker holds the job), negative an error code; and 0 for a job that has finished: BullMQ's
 * remove takes a finished job too, and one that finished between its sender's read of its state and
 * the move would have run a second time on the new queue.
 */
function routedMoveLua(): string {
  return `local function bullRemove()
${bullScript("removeJob-2.js", "removeJob", 2)}
end
if redis.call("HEXISTS", KEYS[1], "finishedOn") == 1 then return 0 end
local removed = bullRemove()
if removed == 1 then redis.call("SET", KEYS[3], ARGV[4], "EX", ARGV[5]) end
return removed`;
}

const ADD = "bearRoutedAdd";
const MOVE = "bearRoutedMove";
type Send = (...args: Array<string | number | Buffer>) => Promise<unknown>;
const defined = new WeakMap<object, Set<string>>();
let scripts: { add: string; move: string } | undefined;

function command(client: object, name: typeof ADD | typeof MOVE): Send {
  scripts ??= { add: routedAddLua(), move: routedMoveLua() };
  const names = defined.get(client) ?? new Set<string>();
  if (!names.has(name)) {
    (client as ScriptClient).defineCommand(name, name === ADD ? { numberOfKeys: 10, lua: scripts.add } : { numberOfKeys: 3, lua: scripts.move });
    names.add(name);
    defined.set(client, names);
  }
  const send = (client as Record<string, unknown>)[name];
  if (typeof send !== "function") throw new ClusterError("BULLMQ_UNSUPPORTED", `the Redis client could not define the ${name} script`, { retryable: false });
  return (send as Send).bind(client);
}

/**
 * What `addRouted` did: added the job on its queue (or found it there: `prior` names the queue when
 * the record was there before, null when this add made it), with the queue's job count when asked;
 * or found the attempt recorded on another queue, `recorded`, and added nothing.
 */
export type RoutedAdd = { readonly added: true; readonly jobs: number; readonly prior: string | null } | { readonly added: false; readonly recorded: string };

/**
 * Records `queue` as the attempt's route unless another is recorded, and adds the job there only
 * if the record names `queue` (an existing job of that id is left as it is: BullMQ's no-op). The
 * script is sent before this returns its promise, so a caller can put more commands in the same
 * write. `countJobs`: also count the queue's jobs, waiting and active, right after the add.
 */
export function addRouted(client: object, queue: Queue, name: string, data: object, options: JobsOptions & { jobId: string }, keepSeconds: number, countJobs: boolean): Promise<RoutedAdd> {
  const send = command(client, ADD);
  let reply: Promise<unknown> | undefined;
  // BullMQ builds its add's arguments (the job's JSON, its packed options, its keys) and hands them
  // to runCommand synchronously, before its first await; they go to the routed script instead
  const capture = {
    runCommand(commandName: string, args: Array<string | number | Buffer>): Promise<unknown> {
      if (!commandName.startsWith("addStandardJob:") || args.length !== 12) {
        throw new ClusterError("BULLMQ_UNSUPPORTED", `BullMQ asked for '${commandName}' with ${args.length} arguments to add a step job; this BEAR release adds standard jobs of 9 keys and 3 arguments`, { retryable: false });
      }
      reply = send(...args.slice(0, 9), routeKey(options.jobId), ...args.slice(9), queue.name, keepSeconds, countJobs ? "1" : "0");
      // BullMQ reads the answer as its add's: the job id, or a negative code it turns into an error
      return reply.then((r) => ((r as unknown[])[0] === 1 ? (r as unknown[])[1] : options.jobId));
    },
  };
  const added = new Job(queue, name, data, options, options.jobId).addJob(capture as never);
  if (!reply) throw new ClusterError("BULLMQ_UNSUPPORTED", "BullMQ did not send the step job's add at once", { retryable: false });
  const sent = reply;
  return added.then(async () => {
    const r = (await sent) as [number, string | number, number?, (string | null)?];
    return r[0] === 1 ? { added: true, jobs: Number(r[2] ?? 0), prior: r[3] ?? null } : { added: false, recorded: String(r[1]) };
  });
}

/**
 * Takes the attempt's job off `from` and records `to` as its route, in one step: true when it was
 * taken off (a job already gone counts: BullMQ's remove answers 1), false when a worker holds it
 * (it runs there, and the record still names `from`) or it has finished there (its state tells the
 * outcome). Rejects when Redis fails or refuses.
 */
export async function moveRoute(client: object, from: Queue, jobId: string, to: string, keepSeconds: number): Promise<boolean> {
  const answer = Number(await command(client, MOVE)(from.toKey(jobId), from.toKey("repeat"), routeKey(jobId), jobId, "1", from.toKey(""), to, keepSeconds));
  if (answer < 0) throw new ClusterError("REDIS_UNREACHABLE", `Redis refused to move step job '${jobId}' off '${from.name}' (BullMQ code ${answer})`, { retryable: true });
  return answer === 1;
}
