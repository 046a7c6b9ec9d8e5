// Stands in for @bear/core in a test build of the sandbox runner without the JS offline guard, so
// the containment tests prove what the operating-system layer stops on its own.
export function enforceOffline(): () => void {
  return () => undefined;
}
