// pdf.js recovers from an image it cannot decode by leaving it out of the page, also when the decoder
// could not allocate its buffers: in a reader process, that is the address-space cap doing its job,
// and the page would silently lose its image (an OCR page read as blank). A reader therefore turns
// pdf.js's warnings on and listens for allocation failures, so the job fails with the memory error.
const ALLOCATION_FAILED = /allocation failed|Invalid typed array length|Invalid array buffer length|out of memory/i;

let listening = false;
let failure: string | undefined;

/** pdf.js's verbosity for a document opened here: warnings in a reader process (read, never printed), none elsewhere. */
export function pdfjsVerbosity(): number {
  return listening ? 1 : 0;
}

/** Called once by a reader process: pdf.js's warnings (console.warn) are read for allocation failures and dropped. */
export function listenForAllocationFailures(): void {
  listening = true;
  // pdf.js reports through console.warn; a reader process has no other use for it
  // eslint-disable-next-line no-console
  console.warn = (...args: unknown[]): void => {
    const message = args.map(String).join(" ");
    if (ALLOCATION_FAILED.test(message)) failure ??= message.slice(0, 200);
  };
}

/** The allocation failure pdf.js recovered from since the last call, if any. */
export function takeAllocationFailure(): string | undefined {
  const taken = failure;
  failure = undefined;
  return taken;
}
