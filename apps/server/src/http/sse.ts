import type { FastifyReply } from "fastify";

/** An open server-sent-events response. `signal` aborts when the client goes away or the server shuts down. */
export interface SseStream {
  readonly signal: AbortSignal;
  send(event: string, data: unknown): void;
  end(): void;
}

/** The event streams one server has open, so shutdown can end them instead of waiting on them. */
export class SseStreams {
  readonly #open = new Set<AbortController>();

  get size(): number {
    return this.#open.size;
  }

  abortAll(): void {
    for (const c of this.#open) c.abort();
  }

  /** Takes over the reply and starts an event stream (text/event-stream). */
  start(reply: FastifyReply): SseStream {
    const controller = new AbortController();
    const open = this.#open;
    open.add(controller);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-content-type-options": "nosniff",
      "x-accel-buffering": "no",
    });
    res.flushHeaders();
    let ended = false;
    // The response closes when the client disconnects (or after end()).
    res.once("close", () => {
      open.delete(controller);
      if (!controller.signal.aborted) controller.abort();
    });
    controller.signal.addEventListener("abort", () => {
      open.delete(controller);
      if (!ended) {
        ended = true;
        res.end();
      }
    });
    return {
      signal: controller.signal,
      send(event, data) {
        if (ended || res.destroyed) return;
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      end() {
        if (ended) return;
        ended = true;
        open.delete(controller);
        res.end();
      },
    };
  }
}
