import type * as Rx from "rxjs";
import type { Observable, Subject } from "rxjs";
import { loadOnFirstUse } from "../modules/load-on-first-use";

const loadRxjs = loadOnFirstUse<typeof Rx>("rxjs");

/** Every event has a `type` (what happened) and a `source` (which component said so). */
export interface BearEvent {
  readonly type: string;
  readonly source: string;
  /** Milliseconds since the epoch, set on publish when absent. */
  readonly timestamp?: number;
}

/**
 * Progress and lifecycle events across packages (ingest progress, workflow steps, model loads).
 * Payloads carry ids and counts, never document text.
 */
export const EventBus = Symbol.for("@bear/core:EventBus");
export interface EventBus {
  readonly events: Observable<BearEvent>;
  publish(event: BearEvent): void;
  /** Events whose `type` is one of `types` (or starts with a `prefix:` given as `"prefix:*"`). */
  on<E extends BearEvent = BearEvent>(...types: string[]): Observable<E>;
}

/** The in-process EventBus, on an rxjs Subject. */
export class RxEventBus implements EventBus {
  readonly #subject: Subject<BearEvent> = new (loadRxjs().Subject)<BearEvent>();
  readonly events: Observable<BearEvent> = this.#subject.asObservable();

  publish(event: BearEvent): void {
    this.#subject.next(event.timestamp === undefined ? { ...event, timestamp: Date.now() } : event);
  }

  on<E extends BearEvent = BearEvent>(...types: string[]): Observable<E> {
    const exact = new Set(types.filter((t) => !t.endsWith(":*")));
    const prefixes = types.filter((t) => t.endsWith(":*")).map((t) => t.slice(0, -1));
    return this.events.pipe(
      loadRxjs().filter((e): e is E => exact.has(e.type) || prefixes.some((p) => e.type.startsWith(p))),
    );
  }

  /** Completes every subscriber's stream. */
  dispose(): void {
    this.#subject.complete();
  }
}
