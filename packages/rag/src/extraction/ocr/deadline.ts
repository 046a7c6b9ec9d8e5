import { OcrError } from "../../errors";

/**
 * Settles with `work`, or rejects when `timeoutMs` passes (RAG_OCR_TIMEOUT) or `signal` aborts (its
 * reason). `onGiveUp` runs once when either happens, to stop the work itself (kill a worker).
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, onGiveUp: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const giveUp = (error: unknown): void =>
      finish(() => {
        onGiveUp();
        reject(error);
      });
    const onAbort = (): void => giveUp(signal?.reason);
    const timer = setTimeout(
      () =>
        giveUp(
          new OcrError("RAG_OCR_TIMEOUT", `OCR of the page took longer than ${Math.round(timeoutMs / 1000)} s`, {
            hint: "The page is unusually large or noisy; raise ocr.pageTimeoutMs, or lower ocr.dpi.",
            details: { timeoutMs },
          }),
        ),
      timeoutMs,
    );
    timer.unref?.();
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
