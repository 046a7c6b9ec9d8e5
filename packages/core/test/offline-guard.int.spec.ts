import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";

const probe = path.join(import.meta.dirname, "fixtures/offline-probe.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");

function canUnshareNetwork(): boolean {
  return spawnSync("unshare", ["-n", "true"]).status === 0;
}

// The probe runs in a fresh, empty network namespace (only a loopback interface): even if the guard
// had a hole, no packet could leave this machine. CI runs as root, where unshare works; elsewhere the
// suite is skipped with a notice rather than run against the real network.
const runnable = canUnshareNetwork();
if (!runnable && process.env.CI) throw new Error("CI must be able to run `unshare -n` (root) for the offline guard tests");
const describeIfUnshare = runnable ? describe : describe.skip;

describeIfUnshare("offline guard, enforced in a child process inside an empty network namespace", () => {
  let report: { results: Record<string, string>; violationCount: number; firstViolation: { code: string; details: { via: string } } };

  beforeAll(() => {
    const run = spawnSync("unshare", ["-n", "sh", "-c", `ip link set lo up && exec node --import tsx "${probe}"`], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`probe failed (${run.status}): ${run.stderr}`);
    report = JSON.parse(run.stdout);
  }, 70_000);

  it.each([
    "tcpRemote",
    "tcpRemoteOptions",
    "tcpRemoteV6",
    "tcpMappedRemote",
    "tcpHostname",
    "tcpShorthandLoopback",
    "tlsRemote",
    "httpGetRemote",
    "httpsRequestHostname",
    "fetchRemote",
    "fetchRemoteV6",
    "fetchRequestObject",
    "dnsLookup",
    "dnsNamedImportLookup",
    "dnsPromisesLookup",
    "dnsResolve4",
    "dnsResolverInstance",
    "udpSend",
    "tcpLocalhostNameSpoofed",
    "afterScope",
  ])("refuses %s with OFFLINE_VIOLATION before any socket is used", (name) => {
    expect(report.results[name]).toBe("OFFLINE_VIOLATION");
  });

  it("keeps loopback working: 127.0.0.1, localhost and [::1] over fetch, http and net", () => {
    expect(report.results.fetchLoopback).toBe("hello from loopback");
    expect(report.results.fetchLocalhost).toBe("hello from loopback");
    expect(report.results.fetchLoopbackV6).toBe("hello from ::1");
    expect(report.results.httpGetLoopback).toBe("status 200");
    expect(report.results.tcpLoopback).toBe("connected");
  });

  it("steps aside inside allowNetwork(), leaving the namespace to refuse the route", () => {
    expect(report.results.allowedTcp).toBe("ENETUNREACH");
    expect(report.results.allowedFetch).toBe("ENETUNREACH");
  });

  it("refuses loopback and Unix sockets too when a sandbox turns loopback off, and allows them again after", () => {
    expect(report.results.sandboxLoopback).toBe("OFFLINE_VIOLATION");
    expect(report.results.sandboxFetchLocalhost).toBe("OFFLINE_VIOLATION");
    expect(report.results.sandboxUnixSocket).toBe("OFFLINE_VIOLATION");
    expect(report.results.loopbackAgain).toBe("connected");
  });

  it("reports every refusal to onViolation with the channel it came through", () => {
    expect(report.violationCount).toBeGreaterThanOrEqual(20);
    expect(report.firstViolation.code).toBe("OFFLINE_VIOLATION");
    expect(report.firstViolation.details.via).toBe("tcp");
  });
});
