/** Anything that holds native memory, files or sockets. */
export interface Disposable {
  dispose(): Promise<void> | void;
}

export function isDisposable(value: unknown): value is Disposable {
  return typeof value === "object" && value !== null && typeof (value as Disposable).dispose === "function";
}
