// A stand-in for the PDF reader script (test only; the pool runs it when a test passes it as `childUrl`):
// it answers nothing and waits, without using CPU, as a reader wedged on a crafted file would (a promise
// in a parser that never settles, a decoder blocked in a native wait). The job's file name picks how.
process.on("message", (request) => {
  const file = String(request?.args?.file ?? "");
  if (file.startsWith("blocked")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // the event loop itself stops
  else void new Promise(() => undefined); // the job awaits what never comes; the loop stays free
});
process.on("disconnect", () => process.exit(0));
