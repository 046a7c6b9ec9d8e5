// What a DOCX keeps in footnotes and endnotes, and what an e-mail carries as attachments, is text the index must
// see (rev12 #8); what is still not read is named (partsNotRead -> the outcome's formatNote). Invented fixtures.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { extractDocument, MAX_ATTACHMENT_DEPTH } from "../src/extraction/extract-document";
import { RagEngine } from "../src/rag-engine";
import { makeDocxWithNotes, makePdf } from "./fixtures";
import { tempDir } from "./support/temp-dir";

/** A multipart/mixed e-mail with a cover note and `attachments` (base64 parts, or message/rfc822 attached). */
function mail(subject: string, cover: string, attachments: readonly { name: string; type: string; bytes: Uint8Array | string }[]): string {
  const boundary = `b-${subject.replace(/\W/g, "")}-${attachments.length}`;
  const parts = attachments.map((a) => {
    const rfc822 = a.type === "message/rfc822";
    const content = rfc822 ? String(a.bytes) : Buffer.from(a.bytes).toString("base64").replace(/.{76}/g, "$&\r\n");
    return [`--${boundary}`, `Content-Type: ${a.type}${rfc822 ? "" : `; name="${a.name}"`}`, `Content-Disposition: attachment; filename="${a.name}"`, ...(rfc822 ? [] : ["Content-Transfer-Encoding: base64"]), "", content].join("\r\n");
  });
  return [
    "From: Counsel <counsel@firm.example>",
    "To: Client <client@home.example>",
    `Subject: ${subject}`,
    "Date: Tue, 3 Mar 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    cover,
    ...parts,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

describe("DOCX notes and e-mail attachments in the text", () => {
  it("appends a DOCX's footnotes and endnotes after the body, marked where they are referenced; names the header it skips", async () => {
    const docx = makeDocxWithNotes(
      [
        { text: "The Tenant shall pay rent monthly.", footnote: "Except that rent is waived during the Brommelstadt renovation." },
        { text: "Liability is capped at the fees paid.", endnote: "The cap does not apply to the Quarrendale indemnity." },
        { text: "Notices go to the address above." },
      ],
      { header: "Draft of the Vellinbrook lease" },
    );
    const doc = await extractDocument("lease.docx", docx);
    expect(doc.text).toBe(
      "The Tenant shall pay rent monthly.[^1]\n\nLiability is capped at the fees paid.[^e1]\n\nNotices go to the address above.\n\n" +
        "Footnotes\n\n[^1] Except that rent is waived during the Brommelstadt renovation.\n\nEndnotes\n\n[^e1] The cap does not apply to the Quarrendale indemnity.",
    );
    expect(doc.partsNotRead).toEqual(["page headers"]);
  });

  it("reads an e-mail's attachments of supported formats (text, PDF, DOCX, an attached e-mail) and names those it cannot", async () => {
    const forwarded = mail("Fwd: earlier terms", "The earlier draft named the Zindleworth guarantee.", []);
    const eml = mail("Signed lease", "Please find the signed lease attached.", [
      { name: "lease.txt", type: "text/plain", bytes: Buffer.from("The Tenant shall pay the Plovdrake rent monthly.") },
      { name: "schedule.pdf", type: "application/pdf", bytes: await makePdf(["Schedule 1: the Kestermoor parking spaces."]) },
      { name: "side-letter.docx", type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes: makeDocxWithNotes([{ text: "The side letter waives the Ombrelund fee.", footnote: "Until the first review." }]) },
      { name: "earlier.eml", type: "message/rfc822", bytes: forwarded },
      { name: "photo.png", type: "image/png", bytes: PNG },
    ]);
    const doc = await extractDocument("signed.eml", Buffer.from(eml));
    expect(doc.format).toBe("eml");
    expect(doc.text).toMatch(/^Subject: Signed lease\n/);
    expect(doc.text).toContain("Please find the signed lease attached.");
    expect(doc.text).toContain("Attachment: lease.txt\n\nThe Tenant shall pay the Plovdrake rent monthly.");
    expect(doc.text).toContain("Attachment: schedule.pdf\n\nSchedule 1: the Kestermoor parking spaces.");
    expect(doc.text).toContain("Attachment: side-letter.docx\n\nThe side letter waives the Ombrelund fee.[^1]\n\nFootnotes\n\n[^1] Until the first review.");
    expect(doc.text).toContain("Attachment: earlier.eml\n\nSubject: Fwd: earlier terms");
    expect(doc.text).toContain("The earlier draft named the Zindleworth guarantee.");
    expect(doc.pageStarts).toEqual([0]);
    expect(doc.partsNotRead).toEqual(["attachment 'photo.png' (RAG_UNSUPPORTED_FORMAT)"]);
  });

  it("names an attachment without the control characters its sender put in the name (an ESC sequence would rewrite a terminal)", async () => {
    const doc = await extractDocument("sneaky.eml", Buffer.from(mail("Report", "See attached.", [{ name: "\u001b[2K\u001b[1A0 failed\u0007.png", type: "image/png", bytes: PNG }])));
    expect(doc.partsNotRead).toEqual(["attachment '[2K[1A0 failed.png' (RAG_UNSUPPORTED_FORMAT)"]);
  });

  it(`reads attached e-mails ${MAX_ATTACHMENT_DEPTH} deep, and names the one beyond`, async () => {
    let inner = mail("Level 4", "The deepest note mentions Snorrevik.", []);
    for (let level = 3; level >= 1; level--) inner = mail(`Level ${level}`, `Cover at level ${level}.`, [{ name: `level-${level + 1}.eml`, type: "message/rfc822", bytes: inner }]);
    const doc = await extractDocument("outer.eml", Buffer.from(mail("Level 0", "Outer cover.", [{ name: "level-1.eml", type: "message/rfc822", bytes: inner }])));
    for (let level = 1; level <= MAX_ATTACHMENT_DEPTH; level++) expect(doc.text).toContain(`Cover at level ${level}.`);
    expect(doc.text).not.toContain("Snorrevik");
    expect(doc.partsNotRead).toEqual([expect.stringMatching(/level-4\.eml' \(nested more than 3 deep\)/)]);
  });

  it("ingests them searchable, with the outcome's note naming what was not read", async () => {
    const root = tempDir("rag-notes-");
    fs.writeFileSync(path.join(root, "lease.docx"), makeDocxWithNotes([{ text: "The Tenant shall pay rent monthly.", footnote: "Except that rent is waived during the Brommelstadt renovation." }], { header: "Draft" }));
    fs.writeFileSync(path.join(root, "misnamed.pdf"), makeDocxWithNotes([{ text: "A side letter about the Tollemere fee." }], { header: "Draft" }));
    fs.writeFileSync(path.join(root, "signed.eml"), mail("Signed lease", "Attached.", [{ name: "lease.txt", type: "text/plain", bytes: Buffer.from("The Tenant shall pay the Plovdrake rent monthly.") }, { name: "photo.png", type: "image/png", bytes: PNG }]));
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    try {
      const report = await rag.ingest(["lease.docx", "signed.eml", "misnamed.pdf"], { matter: "m" });
      const byName = Object.fromEntries(report.files.map((f) => [path.basename(f.file), f]));
      expect(byName["lease.docx"]).toMatchObject({ status: "added", formatNote: { format: "docx", message: "'lease.docx' was indexed without: page headers" } });
      expect(byName["signed.eml"]).toMatchObject({ status: "added", formatNote: { message: "'signed.eml' was indexed without: attachment 'photo.png' (RAG_UNSUPPORTED_FORMAT)" } });
      // a file whose extension also misleads keeps both notes
      expect(byName["misnamed.pdf"]!.formatNote).toMatchObject({ extension: "pdf", format: "docx", message: expect.stringMatching(/named \.pdf but holds .*; 'misnamed\.pdf' was indexed without: page headers$/) });
      expect((await rag.search("brommelstadt", { mode: "lexical" })).map((h) => path.basename(h.source))).toEqual(["lease.docx"]);
      expect((await rag.search("plovdrake", { mode: "lexical" })).map((h) => path.basename(h.source))).toEqual(["signed.eml"]);
    } finally {
      await rag.dispose();
    }
  }, 60_000);
});
