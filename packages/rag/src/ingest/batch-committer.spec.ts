import { describe, expect, it } from "@jest/globals";
import { BatchCommitter, type BatchLimits } from "./batch-committer";

const limits: BatchLimits = { maxDocuments: 2, maxChars: 1_000_000, maxAgeMs: 60_000 };
const doc = (n: number): { n: number; chars: number } => ({ n, chars: 10 });

type Doc = { n: number; chars: number };

/** A committer whose commits finish only when the test says so, logging every step (a document numbered 13 cannot be added). */
function gated(): { committer: BatchCommitter<Doc, Doc[], number[]>; log: string[]; release: () => void } {
  const log: string[] = [];
  const gates: (() => void)[] = [];
  const committer = new BatchCommitter<Doc, Doc[], number[]>(
    {
      open: () => [],
      add: (batch, d) => {
        if (d.n === 13) throw new Error("cannot encode 13");
        log.push(`add ${d.n}`);
        batch.push(d);
      },
      seal: (batch) => {
        log.push(`seal ${batch.map((d) => d.n).join(",")}`);
        return batch.map((d) => d.n);
      },
      commit: async (sealed) => {
        log.push(`commit ${sealed.join(",")} start`);
        await new Promise<void>((resolve) => gates.push(resolve));
        log.push(`commit ${sealed.join(",")} end`);
      },
    },
    limits,
  );
  return { committer, log, release: () => gates.shift()?.() };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("BatchCommitter", () => {
  it("seals (encodes) the next batch while the one before it is still being committed, and commits in order", async () => {
    const { committer, log, release } = gated();
    await committer.add(doc(1));
    await committer.add(doc(2)); // batch 1 sealed; its commit starts and hangs
    await committer.add(doc(3));
    const fourth = committer.add(doc(4)); // batch 2 sealed now, while batch 1 is still being written
    await settle();
    expect(log).toEqual(["add 1", "add 2", "seal 1,2", "commit 1,2 start", "add 3", "add 4", "seal 3,4"]);
    release();
    await fourth; // resolves once batch 1 is committed
    await settle();
    expect(log.slice(-2)).toEqual(["commit 1,2 end", "commit 3,4 start"]);
    const flushed = committer.flush();
    release();
    await flushed;
    expect(log.at(-1)).toBe("commit 3,4 end");
  });

  it("holds back the producer while a sealed batch waits behind the one being committed (memory: about two batches)", async () => {
    const { committer, release } = gated();
    for (const n of [1, 2, 3]) await committer.add(doc(n));
    let returned = false;
    const fourth = committer.add(doc(4)).then(() => (returned = true));
    await settle();
    expect(returned).toBe(false);
    release();
    await fourth;
    expect(returned).toBe(true);
    const flushed = committer.flush();
    release();
    await flushed;
  });

  it("holds at most two sealed batches (one committing, one queued) however many workers add", async () => {
    for (const workers of [1, 2, 4, 8]) {
      let held = 0;
      let most = 0;
      const committer = new BatchCommitter<{ chars: number }, number[], number>(
        {
          open: () => [],
          add: (batch) => batch.push(1),
          seal: (batch) => {
            most = Math.max(most, ++held);
            return batch.length;
          },
          commit: async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            held--;
          },
        },
        { maxDocuments: 3, maxChars: 1e9, maxAgeMs: 1e9 },
      );
      let left = 60;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (left-- > 0) {
            await settle(); // a document prepared
            await committer.add({ chars: 1 });
          }
        }),
      );
      await committer.flush();
      expect({ workers, most }).toEqual({ workers, most: 2 });
    }
  });

  it("abandon drops the batch being filled: it is never sealed nor committed", async () => {
    const { committer, log, release } = gated();
    await committer.add(doc(1));
    await committer.add(doc(2));
    await committer.add(doc(3));
    const abandoned = committer.abandon();
    release();
    await abandoned;
    expect(log).toEqual(["add 1", "add 2", "seal 1,2", "commit 1,2 start", "add 3", "commit 1,2 end"]);
  });

  it("adds each document to the batch as it comes; one that cannot be added rejects its own add and leaves the batch as it was", async () => {
    const { committer, log, release } = gated();
    await committer.add(doc(1));
    expect(log).toEqual(["add 1"]); // encoded at once, before the batch is full
    await expect(committer.add(doc(13))).rejects.toThrow("cannot encode 13");
    await committer.add(doc(2));
    const flushed = committer.flush();
    release();
    await flushed;
    expect(log).toEqual(["add 1", "add 2", "seal 1,2", "commit 1,2 start", "commit 1,2 end"]);
  });
});
