#!/usr/bin/env node
// Runs the plugin tests (`jest` and its arguments) inside an empty network namespace whose only interface is its own
// loopback, when the kernel allows it (root, as in CI): plugins are hostile, and a plugin that escapes its sandbox
// in a failing test must still reach nothing outside this machine, nor any loopback service of the host. Elsewhere
// the tests run as they are (the containment tests then skip what needs namespaces), and CI refuses that.
import { spawnSync } from "node:child_process";

const command = process.argv.slice(2);
if (command.length === 0) throw new Error("usage: test-in-empty-netns.mjs <command> [args...]");
const isolated = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up"], { stdio: "ignore" }).status === 0;
if (!isolated && process.env.CI) {
  console.error("CI must run the plugin tests in an empty network namespace: `unshare -n` and `ip` (root) are required");
  process.exit(1);
}
if (!isolated) console.error("note: cannot make an empty network namespace here (unshare -n needs root); the plugin tests run in the host's");
const run = isolated
  ? spawnSync("unshare", ["-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...command], { stdio: "inherit", env: { ...process.env, BEAR_TESTS_IN_EMPTY_NETNS: "1" } })
  : spawnSync(command[0], command.slice(1), { stdio: "inherit" });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
