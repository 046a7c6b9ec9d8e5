import type { Redis } from "ioredis";
import { AdaptiveLoadBalancer, type BalancingCandidate, type CandidateScore } from "@bear/agents";
import { ClusterError } from "../errors";
import { stepQueueName } from "../queue/step-job";
import { covers, liveWorkers, type WorkerReport } from "./worker-presence";

/** Runs whose last worker the directory remembers (the oldest are forgotten: their next step goes to the best worker). */
const MAX_RUN_AFFINITY = 4_096;

/** A job this process sent a worker: its id (BullMQ's), the slot's queue, when it was sent, and when it settled. */
interface SentJob {
  readonly id: string | undefined;
  readonly queue?: string;
  readonly at: number;
  settledAt?: number;
  /** Settled by a cancel: the worker may still be aborting it, so it holds its slot while a report lists it running. */
  held?: boolean;
}

/** A live worker as the agents package's AdaptiveLoadBalancer sees it (capability, load, history). */
export class RemoteWorkerCandidate implements BalancingCandidate {
  constructor(
    readonly report: WorkerReport,
    private readonly capability: string,
    /**
     * Correction of the report's running count by what this process sent the worker: + jobs not
     * yet running there, − jobs the report counts that have finished since (WorkerDirectory#sentSince).
     */
    private readonly sinceReport = 0,
  ) {}
  get id(): string {
    return this.report.id;
  }
  get capabilities(): readonly string[] {
    // all of them: the balancer's capability match favours a specialist over a generalist
    return covers(this.report.capabilities, this.capability) ? this.report.capabilities : [];
  }
  get load() {
    return { running: Math.max(0, this.report.running + this.sinceReport), queued: 0, capacity: this.report.concurrency };
  }
  stats(capability: string) {
    const h = this.report.history[capability];
    return { samples: h?.samples ?? 0, successRate: h && h.samples > 0 ? h.successes / h.samples : 1, expectedLatencyMs: h?.ewmaMs ?? undefined };
  }
}

/** Where a step job goes: the direct queue of the worker the balancer chose, or its capability queue. */
export interface StepRoute {
  readonly queue: string;
  /**
   * The queue is one slot's (a worker reporting a direct queue per slot): it runs one job at a time,
   * so a job waiting there behind another waits for that one (the sender checks; see QueueExecutor).
   */
  readonly slot?: boolean;
  /**
   * Call when the step settles: frees the slot this process counted for the chosen worker.
   * `cancelled`: the step was cancelled, and the worker may still be aborting its job: the slot
   * stays taken while the worker's report lists the job running.
   */
  release(cancelled?: boolean): void;
}

/**
 * The live workers, read from their reports (cached for `refreshMs`), and the agents package's
 * AdaptiveLoadBalancer choosing among them: a step goes to the direct queue of the best-scored
 * worker with a free slot (capability, history, load and predicted time, as the seed weighs them);
 * when every capable worker is busy it goes to the capability queue, where the first worker to
 * free up takes it. A step waits up to `waitForWorkerMs` for a capable worker, then fails with
 * NO_CAPABLE_WORKER.
 */
export class WorkerDirectory {
  readonly #balancer = new AdaptiveLoadBalancer();
  #cache: { at: number; reports: WorkerReport[] } | undefined;
  #reading: Promise<WorkerReport[]> | undefined;
  /** Each recent run's home worker: where its first step went (oldest first; at most MAX_RUN_AFFINITY runs). */
  readonly #runWorker = new Map<string, string>();
  /** Per worker, the jobs this process sent it: which, when, and when they settled (until a report accounts for them). */
  readonly #sent = new Map<string, SentJob[]>();
  constructor(
    private readonly redis: Redis,
    private readonly options: { readonly refreshMs?: number; readonly waitForWorkerMs?: number; readonly runAffinity?: boolean } = {},
  ) {}

  /**
   * The live workers' reports. Past `refreshMs` the cached ones are still answered while a fresh
   * read runs in the background (a step does not wait two round trips once a second); past twice
   * that, the caller waits for the read.
   */
  async live(): Promise<WorkerReport[]> {
    const refreshMs = this.options.refreshMs ?? 1_000;
    const cache = this.#cache;
    const age = cache ? Date.now() - cache.at : Infinity;
    if (cache && age < refreshMs) return cache.reports;
    const reading = this.#read();
    if (cache && age < 2 * refreshMs) {
      reading.catch(() => undefined);
      return cache.reports;
    }
    return reading;
  }

  /** One read of the reports at a time. */
  #read(): Promise<WorkerReport[]> {
    this.#reading ??= liveWorkers(this.redis)
      .then((reports) => {
        this.#cache = { at: Date.now(), reports };
        return reports;
      })
      .finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  /** The balancer's ranking of live workers for `capability` (best first), or [] when none can do it. */
  async rank(capability: string): Promise<CandidateScore[]> {
    return this.#rankReports(capability, await this.live()).map(({ candidate: _c, ...score }) => score);
  }

  #rankReports(capability: string, reports: readonly WorkerReport[]) {
    const candidates = this.#candidates(capability, reports);
    if (candidates.length === 0) return [];
    return this.#balancer.rank(capability, candidates);
  }

  /** The live workers that can run `capability`, each with its load corrected by what this process sent it. */
  #candidates(capability: string, reports: readonly WorkerReport[]): RemoteWorkerCandidate[] {
    // a dead worker's id never comes back (ids are per process): drop what was counted for it
    if (this.#sent.size > reports.length) for (const id of this.#sent.keys()) if (!reports.some((r) => r.id === id)) this.#sent.delete(id);
    return reports.map((r) => new RemoteWorkerCandidate(r, capability, this.#sentSince(r))).filter((c) => c.capabilities.length > 0);
  }

  /**
   * What route chooses from: the balancer's ranking, best first, or — when one worker alone can run
   * the step — that worker, free unless its slots are all taken (what the balancer's ranking of one
   * says: a remote worker reports no health, so it is available exactly when not busy). Ranking one
   * candidate scored it on four criteria and sorted a list of one: ~40 µs of the API's CPU on every
   * step's path of a one-worker cluster, for an answer known before.
   */
  #choices(capability: string, reports: readonly WorkerReport[]): ReadonlyArray<{ readonly candidate: RemoteWorkerCandidate; readonly available: boolean }> {
    const candidates = this.#candidates(capability, reports);
    const only = candidates.length === 1 ? candidates[0]! : undefined;
    // (the balancer's own test of capability, exact, so a report it would refuse is still its to refuse)
    if (only?.capabilities.includes(capability)) {
      return [{ candidate: only, available: only.load.running < only.load.capacity }];
    }
    return candidates.length === 0 ? [] : this.#balancer.rank(capability, candidates);
  }

  /**
   * Where a `capability` step should go (waits for a capable worker like requireCapable; ranks
   * once when one is live). Until the chosen worker's next report counts the job, it holds one of
   * that worker's slots in this process's view: call `release` when the step settles.
   *
   * With `runAffinity` (default off), a step of `runId` goes to the run's home worker — where its
   * first step went — when that worker can take it (capable, with a free slot): it holds the run's
   * values already (the document text, the outputs it wrote; see FilePayloads), which another worker
   * would read and parse again. Measured, it saves nothing: with the workers busy a home worker is
   * seldom free, and the files it would save are ~1% of a worker's CPU (see the README's benchmark).
   */
  async route(capability: string, signal?: AbortSignal, runId?: string, jobId?: string): Promise<StepRoute> {
    let reports = await this.live();
    let ranked = this.#choices(capability, reports);
    if (ranked.length === 0) {
      await this.requireCapable(capability, signal);
      reports = await this.live();
      ranked = this.#choices(capability, reports);
    }
    // from the last ranking to the record of the choice nothing awaits: concurrent routes see each other's choices
    const free = (r: (typeof ranked)[number]): boolean => r.available && this.#freeSlot(r.candidate.report) !== undefined;
    const homed = this.options.runAffinity === true ? runId : undefined;
    const home = homed === undefined ? undefined : this.#runWorker.get(homed);
    const best = (home === undefined ? undefined : ranked.find((r) => r.candidate.id === home && free(r))) ?? ranked.find(free);
    if (!best) return { queue: stepQueueName(capability), release: () => undefined };
    const workerId = best.candidate.id;
    const queue = this.#freeSlot(best.candidate.report)!;
    // a run's first step, or one whose home worker is gone (not merely unable to run this step type): the chosen worker becomes its home
    if (homed !== undefined && (home === undefined || !reports.some((r) => r.id === home))) {
      this.#runWorker.delete(homed);
      this.#runWorker.set(homed, workerId);
      if (this.#runWorker.size > MAX_RUN_AFFINITY) this.#runWorker.delete(this.#runWorker.keys().next().value!);
    }
    const job: SentJob = { id: jobId, queue, at: Date.now() };
    const sent = this.#sent.get(workerId);
    if (sent) sent.push(job);
    else this.#sent.set(workerId, [job]);
    const release = (cancelled = false): void => {
      job.settledAt ??= Date.now();
      if (cancelled) job.held = true;
    };
    return { queue, slot: best.candidate.report.directQueues !== undefined, release };
  }

  /**
   * The direct queue of a slot of the worker that is free in this process's view: no job this
   * process sent there is unsettled, and the report shows none running there but one this process
   * knows has settled since (not by a cancel: the worker may still be aborting it). Another
   * instance's job sent after the report is not seen here: the sender counts the slot's jobs right
   * behind its add and moves a job that waits behind another to the capability queue (QueueExecutor).
   * A worker reporting one queue for all its slots (an older one) has it free while the balancer
   * counts a free slot.
   */
  #freeSlot(report: WorkerReport): string | undefined {
    const queues = report.directQueues ?? (report.directQueue === undefined ? [] : [report.directQueue]);
    if (report.directQueues === undefined) return queues[0];
    const sent = this.#sent.get(report.id) ?? [];
    return queues.find((queue, slot) => {
      if (sent.some((job) => job.queue === queue && job.settledAt === undefined)) return false;
      const running = report.slotJobs?.[slot];
      return running == null || sent.some((job) => job.id === running && job.settledAt !== undefined && job.held !== true);
    });
  }

  /** A finished run's steps need no worker any more. */
  forgetRun(runId: string): void {
    this.#runWorker.delete(runId);
  }

  /** Is a live worker taking jobs from `queue` (a direct queue)? Reads reports at most once per refresh. */
  async serves(queue: string): Promise<boolean> {
    return (await this.live()).some((r) => r.directQueue === queue || r.directQueues?.includes(queue) === true);
  }

  /**
   * The correction of the report's running count by what this process sent the worker. When the
   * report lists its running jobs: + each job sent and not settled that it does not list (in
   * transit, or still waiting in the direct queue, however long before the report it was sent), −
   * each it lists that has settled since; a settled job it does not list is dropped (no later
   * report will list it). A report without the list (an older worker) is read by time: + jobs sent
   * since the report and not settled, − jobs sent before it that settled since.
   */
  #sentSince(report: WorkerReport): number {
    const jobs = this.#sent.get(report.id);
    if (!jobs) return 0;
    const listed = report.runningJobs === undefined ? undefined : new Set(report.runningJobs);
    let delta = 0;
    let kept = 0;
    for (const job of jobs) {
      const settled = job.settledAt !== undefined;
      if (listed !== undefined && job.id !== undefined) {
        const running = listed.has(job.id);
        if (settled && !running) continue;
        jobs[kept++] = job;
        if (!settled && !running) delta++;
        else if (settled && running && job.held !== true) delta--;
        continue;
      }
      if (settled && job.settledAt! < report.seenAt) continue;
      jobs[kept++] = job;
      if (job.at >= report.seenAt && !settled) delta++;
      else if (job.at < report.seenAt && settled) delta--;
    }
    jobs.length = kept;
    return delta;
  }

  /** Resolves with the ranking once a live worker can do `capability`; NO_CAPABLE_WORKER after the wait. */
  async requireCapable(capability: string, signal?: AbortSignal): Promise<CandidateScore[]> {
    const deadline = Date.now() + (this.options.waitForWorkerMs ?? 30_000);
    for (;;) {
      const ranked = await this.rank(capability);
      if (ranked.length > 0) return ranked;
      if (Date.now() >= deadline || signal?.aborted) {
        const known = [...new Set((await this.live()).flatMap((r) => r.capabilities))];
        throw new ClusterError("NO_CAPABLE_WORKER", `no live worker can run step type '${capability}' (live workers offer: ${known.length ? known.join(", ") : "none"})`, {
          hint: "Start one: bear worker --redis URL --capabilities " + capability,
        });
      }
      this.#cache = undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
