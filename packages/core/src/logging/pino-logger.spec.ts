import { Writable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { createPinoLogger } from "./pino-logger";
import { silentLogger } from "./logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination: destination as unknown as NodeJS.WritableStream & { write(s: string): boolean } };
}

describe("createPinoLogger", () => {
  it("writes structured JSON lines with level, name and message", () => {
    const { lines, destination } = capture();
    const log = createPinoLogger({ level: "info", name: "test", destination });
    log.info({ documentId: "doc-1", chunks: 12 }, "ingested");
    expect(lines[0]).toMatchObject({ level: 30, name: "test", documentId: "doc-1", chunks: 12, msg: "ingested" });
  });

  it("redacts fields that may hold document text or secrets, at any of the first three levels", () => {
    const { lines, destination } = capture();
    const log = createPinoLogger({ level: "info", destination });
    log.info(
      {
        text: "The Tenant, John Smith, SSN 123-45-6789",
        chunk: { text: "privileged words", id: "c1" },
        request: { headers: { authorization: "Bearer abc" } },
        passphrase: "hunter2",
        apiKey: "k-123",
      },
      "event",
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ["John Smith", "privileged words", "Bearer abc", "hunter2", "k-123"]) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ text: "[redacted]", chunk: { text: "[redacted]", id: "c1" }, passphrase: "[redacted]" });
  });

  it("respects the level and passes bindings to child loggers", () => {
    const { lines, destination } = capture();
    const log = createPinoLogger({ level: "warn", destination });
    log.info("dropped");
    log.child({ name: "rag:LanceChunkStore" }).warn("kept");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: "rag:LanceChunkStore", msg: "kept" });
  });

  it("offers a silent logger for libraries", () => {
    expect(() => silentLogger.child({ a: 1 }).error({ text: "x" }, "nothing")).not.toThrow();
    expect(silentLogger.level).toBe("silent");
  });

  it("logs an error's type, message, code and cause, never what a client library hung on it (a Redis command's value)", () => {
    const { lines, destination } = capture();
    const log = createPinoLogger({ level: "info", destination });
    const refused = Object.assign(new Error("OOM command not allowed when used memory > 'maxmemory'."), {
      command: { name: "set", args: ["bear:cache:ns:review:ab", Buffer.from("Tenant Oriel Vantablack of 12 Quarry Lane")] },
      cause: Object.assign(new Error("socket said no"), { code: "ECONNRESET", request: { body: "Quarry Lane" } }),
    });
    log.warn({ err: refused }, "the L2 cache cannot be written");
    log.warn({ error: refused }, "the same under another name");
    const text = JSON.stringify(lines);
    expect(text).not.toContain("Quarry Lane");
    expect(text).not.toContain(Buffer.from("Quarry Lane").toString("base64"));
    expect(lines[0]).toMatchObject({ err: { type: "Error", message: expect.stringContaining("OOM"), cause: { message: "socket said no", code: "ECONNRESET" } } });
  });
});
