import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { RequestQueue } from "./request-queue";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("RequestQueue", () => {
  it("serves waiters in arrival order and never more than the concurrency at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }), async (concurrency, delays) => {
        const queue = new RequestQueue(concurrency);
        const started: number[] = [];
        let running = 0;
        let peak = 0;
        await Promise.all(
          delays.map((delay, i) =>
            queue.run(async () => {
              started.push(i);
              running++;
              peak = Math.max(peak, running);
              for (let k = 0; k < delay; k++) await tick();
              running--;
            }),
          ),
        );
        expect(started).toEqual(delays.map((_, i) => i));
        expect(peak).toBeLessThanOrEqual(concurrency);
      }),
      { numRuns: 25 },
    );
  });

  it("lets an aborted waiter leave the queue without blocking the ones behind it", async () => {
    const queue = new RequestQueue(1);
    const first = await queue.acquire();
    const controller = new AbortController();
    const aborted = queue.acquire(controller.signal);
    const third = queue.acquire();
    expect(queue.waiting).toBe(2);
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    first.release();
    const lease = await third;
    expect(lease.waitMs).toBeGreaterThanOrEqual(0);
    lease.release();
    expect(queue.active).toBe(0);
    await queue.whenIdle();
  });

  it("refuses a concurrency below one", () => {
    expect(() => new RequestQueue(0)).toThrow(/concurrency/);
  });
});
