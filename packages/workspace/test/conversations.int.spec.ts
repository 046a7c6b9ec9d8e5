import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { filesHolding, quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { openWorkspace, WorkspaceFolder, type Answer, type AnswerStreamEvent } from "@bear/workspace";

const tempDir = tempDirs("bear-conversations-");

const LEASE = "COMMERCIAL LEASE between Quillfeather Holdings and Brambleton Bakery\n\nSection 4. Rent. The Tenant shall pay the Zanzibarian rent of five thousand dollars on the first day of each month.\n\nSection 9. Term. This lease lasts for three years from the Commencement Date.\n";
const SUPPLY = "SUPPLY AGREEMENT between Orchard Metals and Brambleton Bakery\n\nSection 2. Price. The Buyer shall pay eleven dollars per ton of flour delivered.\n\nSection 7. Term. This agreement lasts for seven years from the Effective Date.\n";

async function collect(stream: AsyncGenerator<AnswerStreamEvent, Answer | undefined>): Promise<Answer> {
  let final: Answer | undefined;
  for await (const event of stream) if (event.type === "answer") final = event.answer;
  if (!final) throw new Error("no answer");
  return final;
}

describe("conversations", () => {
  it("keeps questions and cited answers per matter; a follow-up that names no document keeps the scope of the answer before it", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      const lease = await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      const supply = await workspace.upload({ matter: "acme", fileName: "supply-agreement.txt", body: Readable.from([SUPPLY]), actor: "alice" });
      const conversation = workspace.conversations.create({ matter: "acme", actor: "alice" });
      expect(conversation.id).toMatch(/^conv_[A-Za-z0-9_-]{20}$/);

      const first = await collect(workspace.answerInConversation(conversation, "What rent does the commercial lease with Quillfeather Holdings require?", {}, "alice"));
      expect(first.citations[0]?.documentId).toBe(lease.document.id);
      expect(first.scope).toEqual([lease.document.id]);

      // The follow-up names no document: it stays in the lease (the supply agreement also has a term).
      const after = workspace.conversations.find(conversation.id, ["acme"])!;
      expect(after.title).toBe("What rent does the commercial lease with Quillfeather Holdings require?");
      // The turn is stored before its answer reaches the caller: a client that saw it finds it kept.
      let keptWhenAnswered = 0;
      const second = await collect(
        (async function* () {
          for await (const event of workspace.answerInConversation(after, "How long does it last?", {}, "alice")) {
            if (event.type === "answer") keptWhenAnswered = workspace.conversations.find(conversation.id, ["acme"])!.turns.length;
            yield event;
          }
          return undefined;
        })(),
      );
      expect(keptWhenAnswered).toBe(2);
      expect(second.citations.length).toBeGreaterThan(0);
      expect(second.citations.every((c) => c.documentId === lease.document.id)).toBe(true);
      expect(second.citations[0]?.quote).toContain("three years");
      // Outside the conversation the same question is not limited, and cites the other term too.
      const plain = await workspace.answer("How long does it last?", {}, "alice");
      expect(plain.scope).toBeUndefined();
      expect(plain.citations.some((c) => c.documentId === supply.document.id)).toBe(true);

      const stored = workspace.conversations.find(conversation.id)!;
      expect(stored.turns.map((t) => t.question)).toEqual(["What rent does the commercial lease with Quillfeather Holdings require?", "How long does it last?"]);
      expect(stored.turns[1]).toMatchObject({ actor: "alice", answer: { mode: "extractive", notFound: false, scope: [lease.document.id] } });
      expect(stored.turns[1]!.answer.citations[0]).toMatchObject({ documentId: lease.document.id, fileName: "lease.txt" });

      // Per matter: another matter neither lists nor finds it.
      expect(workspace.conversations.list("acme").map((c) => [c.id, c.turnCount])).toEqual([[conversation.id, 2]]);
      expect(workspace.conversations.list("globex")).toEqual([]);
      expect(workspace.conversations.find(conversation.id, ["globex"])).toBeUndefined();
      expect(() => workspace.conversations.list("../acme")).toThrow(/is not a matter id/);
      expect(workspace.conversations.find("../../state/keys")).toBeUndefined();

      // A conversation limited to documents answers from them only, whatever the question names.
      const supplyOnly = workspace.conversations.create({ matter: "acme", actor: "alice", title: "Supply", documentIds: [supply.document.id] });
      const scoped = await collect(workspace.answerInConversation(supplyOnly, "How long does the term last?", {}, "alice"));
      expect(scoped.citations[0]?.quote).toContain("seven years");
      expect(workspace.conversations.remove(supplyOnly)).toBe(true);
      expect(workspace.conversations.find(supplyOnly.id)).toBeUndefined();
    });
    expect(fs.statSync(path.join(dir, "conversations", "acme")).mode & 0o777).toBe(0o700);
    const [file] = fs.readdirSync(path.join(dir, "conversations", "acme"));
    expect(fs.statSync(path.join(dir, "conversations", "acme", file!)).mode & 0o777).toBe(0o600);
  });

  it("a deleted document's quotes and the answers drawn from it leave the matter's conversations; others stay (rev12 #5)", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      const lease = await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      const supply = await workspace.upload({ matter: "acme", fileName: "supply-agreement.txt", body: Readable.from([SUPPLY]), actor: "alice" });
      const rent = workspace.conversations.create({ matter: "acme", actor: "alice" });
      const price = workspace.conversations.create({ matter: "acme", actor: "alice", documentIds: [supply.document.id] });
      expect((await collect(workspace.answerInConversation(rent, "When is the rent of the commercial lease due?", {}, "alice"))).citations[0]?.documentId).toBe(lease.document.id);
      await collect(workspace.answerInConversation(price, "What price per ton of flour does the supply agreement set?", {}, "alice"));
      expect(JSON.stringify(workspace.conversations.find(rent.id, ["acme"]))).toContain("Zanzibarian");
      const priceBefore = workspace.conversations.find(price.id, ["acme"]);

      await workspace.deleteDocument(lease.document, "admin");

      const kept = workspace.conversations.find(rent.id, ["acme"])!;
      expect(JSON.stringify(kept)).not.toContain("Zanzibarian");
      expect(kept.turns[0]!.question).toBe("When is the rent of the commercial lease due?"); // the caller's own words stay
      expect(kept.turns[0]!.answer.text).toMatch(/^\[deleted document\]( \[\d+\])+$/);
      expect(kept.turns[0]!.answer.citations.filter((c) => c.documentId === lease.document.id)).toEqual(
        expect.arrayContaining([expect.objectContaining({ quote: "[deleted document]", title: "[deleted document]", fileName: "[deleted document]" })]),
      );
      expect(workspace.conversations.find(price.id, ["acme"])).toEqual(priceBefore); // cites only the supply agreement
    });
  });

  it("seals conversations in an encrypted workspace: no question or quote is readable on disk", async () => {
    const dir = path.join(tempDir(), "ws");
    await WorkspaceFolder.at(dir).create({ passphrase: "correct horse battery", scrypt: { N: 2 ** 14, r: 8, p: 1 } });
    let id = "";
    await withWorkspace(openWorkspace({ config: quietConfig(dir), passphrase: "correct horse battery" }), async (workspace) => {
      await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      const conversation = workspace.conversations.create({ matter: "acme", actor: "alice" });
      id = conversation.id;
      const answer = await collect(workspace.answerInConversation(conversation, "When is the Zanzibarian rent due?", {}, "alice"));
      expect(answer.citations[0]?.quote).toContain("Zanzibarian");
    });
    expect(fs.readdirSync(path.join(dir, "conversations", "acme"))).toEqual([`${id}.json`]);
    expect(filesHolding(dir, "Zanzibarian")).toEqual([]);
    // Reopened with the passphrase, the conversation reads back whole.
    await withWorkspace(openWorkspace({ config: quietConfig(dir), passphrase: "correct horse battery" }), async (workspace) => {
      const stored = workspace.conversations.find(id, ["acme"])!;
      expect(stored.turns[0]?.question).toBe("When is the Zanzibarian rent due?");
      expect(stored.turns[0]?.answer.citations[0]?.quote).toContain("Zanzibarian");
    });
  });
});
