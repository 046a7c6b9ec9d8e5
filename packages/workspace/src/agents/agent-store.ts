import fs from "node:fs";
import path from "node:path";
import { agentSpecSchema, type AgentSpec } from "@bear/agents";
import { writeFileAtomicSync } from "@bear/core";

/**
 * The agents created through the API (`state/agents.json`, 0600): their specs only (type, id,
 * capability or specialist, slots), so they come back when the workspace opens again. A file
 * another process changed is re-read on every call; writes replace it atomically.
 */
export class AgentStore {
  constructor(private readonly file: string) {}

  /** Stored specs; a damaged file or entry is skipped (the rest still come back). */
  list(): AgentSpec[] {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      return [];
    }
    const entries = Array.isArray((raw as { agents?: unknown })?.agents) ? (raw as { agents: unknown[] }).agents : [];
    return entries.flatMap((e) => {
      const parsed = agentSpecSchema.safeParse(e);
      return parsed.success ? [parsed.data as AgentSpec] : [];
    });
  }

  save(spec: AgentSpec): void {
    this.#write([...this.list().filter((s) => s.id !== spec.id), spec]);
  }

  /** True when an agent of this id was stored. */
  remove(id: string): boolean {
    const specs = this.list();
    const kept = specs.filter((s) => s.id !== id);
    if (kept.length === specs.length) return false;
    this.#write(kept);
    return true;
  }

  #write(specs: readonly AgentSpec[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.file, `${JSON.stringify({ version: 1, agents: specs }, null, 2)}\n`, { mode: 0o600 });
  }
}
