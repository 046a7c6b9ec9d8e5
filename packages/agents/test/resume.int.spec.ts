import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { SqliteRunStore, type JsonValue } from "@bear/workflow-engine";
import { filter, firstValueFrom } from "rxjs";
import { AgentSystem } from "../src/index";
import { LEASE, legalTestSpecialists } from "./support/fixtures";

describe("durability", () => {
  it("resumes an agent workflow a crashed process left running, once its agents are back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-resume-"));
    const dbPath = path.join(dir, "runs.db");
    try {
      // What a killed process leaves behind: a run marked running, nothing completed.
      const store = await SqliteRunStore.open({ dbPath });
      const definition = {
        name: "interrupted-review",
        inputs: { document: { type: "string" } },
        steps: [{ id: "terms", type: "agent.task", parameters: { capability: "term_extraction", input: { document: "{{ inputs.document }}" } } }],
      };
      const now = Date.now();
      store.insertRun({ id: "crashed-1", workflow: definition.name, definition: definition as unknown as JsonValue, inputs: { document: LEASE }, matter: null, actor: null, status: "running", error: null, createdAt: now, updatedAt: now, startedAt: now, finishedAt: null });
      store.flush();
      store.close();

      const system = await AgentSystem.open({ dbPath, specialists: [legalTestSpecialists().terms] });
      try {
        const done = await firstValueFrom(system.engine.events.pipe(filter((e) => e.type === "run.completed" && e.runId === "crashed-1")));
        expect(done).toMatchObject({ type: "run.completed", status: "completed" });
        const run = system.engine.getRun("crashed-1");
        expect(run.status).toBe("completed");
        expect(system.inspectAgent("term-extractor").metrics.tasksCompleted).toBe(1);
      } finally {
        await system.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
