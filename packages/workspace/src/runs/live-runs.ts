import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "@bear/core";
import { assertRunActor, isRunActor, type RunDetails, type WorkflowEngine } from "@bear/workflow-engine";
import { BearWorkspaceError } from "../errors";

/** What a process running a workflow publishes for other processes (the database has one owner at a time). */
export interface LiveRunStatus {
  readonly runId: string;
  readonly workflow: string;
  readonly pid: number;
  readonly status: string;
  readonly progress: RunDetails["progress"];
  readonly steps: ReadonlyArray<{ readonly id: string; readonly index: number | null; readonly status: string; readonly attempt: number }>;
  readonly updatedAt: string;
}

/** A run this process follows: publish its status after each event; `stop()` when it ends. */
export interface LiveRunTracker {
  publish(): void;
  stop(): void;
}

const FINISHED = ["cancelled", "completed", "failed"];

/** What a `.cancel` file says: who asks (older `bear` versions wrote the bare pid: nobody named). */
interface CancelRequest {
  readonly pid: number;
  readonly actor?: string;
}

/** The actor a cancel request names, if it names a well-formed one (a malformed file is a request by nobody). */
function cancelActor(file: string): string | undefined {
  let fd: number | undefined;
  try {
    // At most 1 KiB, never through a link planted in its place.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const buffer = Buffer.alloc(1_024);
    const request = JSON.parse(buffer.toString("utf8", 0, fs.readSync(fd, buffer, 0, buffer.length, 0))) as Partial<CancelRequest> | number;
    const actor = typeof request === "object" && request !== null ? request.actor : undefined;
    return isRunActor(actor) ? actor : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The live-run registry of a workspace: while one process owns the workflow database, it publishes
 * each run's status to a small file, and other processes read it or ask it to cancel (a `.cancel`
 * file the owner polls for).
 */
export class LiveRuns {
  constructor(private readonly dir: string) {}

  #file(runId: string, ext: "json" | "cancel"): string {
    return path.join(this.dir, `${runId.replace(/[^A-Za-z0-9_.:-]/g, "_")}.${ext}`);
  }

  /** Publishes the run's status on each `publish()` (after each event), and cancels it when another process asks. */
  track(engine: WorkflowEngine, runId: string): LiveRunTracker {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const cancelFile = this.#file(runId, "cancel");
    fs.rmSync(cancelFile, { force: true });
    const publish = (): void => {
      try {
        const d = engine.getRun(runId);
        const live: LiveRunStatus = {
          runId,
          workflow: d.workflow,
          pid: process.pid,
          status: d.status,
          progress: d.progress,
          steps: d.steps.map((s) => ({ id: s.stepId, index: s.index, status: s.status, attempt: s.attempt })),
          updatedAt: new Date().toISOString(),
        };
        // Each write has its own temporary file: two publishers of one run never write into each other's.
        // Not fsynced: a status other processes poll, rewritten after every event (the database is the record).
        writeFileAtomicSync(this.#file(runId, "json"), JSON.stringify(live), { mode: 0o600, durable: false });
      } catch {
        // best effort; the database is the record
      }
    };
    const poll = setInterval(() => {
      if (fs.existsSync(cancelFile)) {
        const actor = cancelActor(cancelFile);
        fs.rmSync(cancelFile, { force: true });
        engine.cancel(runId, "cancelled from another process", actor === undefined ? {} : { actor });
      }
    }, 100);
    return { publish, stop: () => clearInterval(poll) };
  }

  read(runId: string): LiveRunStatus | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.#file(runId, "json"), "utf8")) as LiveRunStatus;
    } catch {
      return undefined;
    }
  }

  list(): LiveRunStatus[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    return names.flatMap((n) => {
      const live = this.read(n.slice(0, -5));
      return live ? [live] : [];
    });
  }

  /**
   * Asks the process running `runId` to cancel it and waits for it to say so; true if it was cancelled.
   * `actor` (who asks) is written into the request for that process's audit record.
   */
  async requestCancel(runId: string, actor?: string, waitMs = 15_000): Promise<boolean> {
    assertRunActor(actor);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const request: CancelRequest = { pid: process.pid, ...(actor === undefined ? {} : { actor }) };
    writeFileAtomicSync(this.#file(runId, "cancel"), JSON.stringify(request), { mode: 0o600, durable: false });
    for (let waited = 0; waited < waitMs; waited += 100) {
      const live = this.read(runId);
      if (live && FINISHED.includes(live.status)) return live.status === "cancelled";
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new BearWorkspaceError("INPUT_INVALID", `the process running '${runId}' did not confirm the cancellation within ${Math.round(waitMs / 1000)} s`, {
      hint: "It may be busy in a step that ignores cancellation; try again or stop that process.",
    });
  }
}
