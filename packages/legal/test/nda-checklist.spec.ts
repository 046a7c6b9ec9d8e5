// The ContractNLI checklist (the built-in NDA checklist) on NDA sentences of the public dev fold: each
// requirement must say met / contradicted / missing where the annotators did, for its typical wordings.
import { describe, expect, it } from "@jest/globals";
import { checkRequirement } from "../src/compliance/check-compliance";
import { loadChecklist } from "../src/compliance/checklist";
import { NDA_CHECKLIST_YAML } from "../src/compliance/nda-checklist";
import { ContractDocument } from "../src/text/contract-document";

const checklist = loadChecklist(NDA_CHECKLIST_YAML, "NDA checklist");
const status = (id: string, text: string) => checkRequirement(new ContractDocument(text), checklist.requirements.find((r) => r.id === id)!).status;

describe("NDA checklist (ContractNLI hypotheses)", () => {
  it.each([
    // nda-7: sharing with consultants, agents and advisers.
    ["nda-7", "met", "3. The parties may disclose the Confidential Information to their respective officers, directors, employees, attorneys, subsidiaries and affiliates working in connection with the purpose for which the Confidential Information is disclosed."],
    ["nda-7", "met", '(f) "Representatives" means all Persons acting on behalf of a specified Party, including without limitation, its directors, officers, lenders, employees, agents, financial advisors, attorneys, accountants and consultants.'],
    ["nda-7", "contradicted", "The Receiving Party shall not disclose, allow access to, transmit or transfer the Confidential Information to any third party without the Disclosing Party's prior written consent, provided however that the Receiving Party may disclose the Confidential Information to those of its directors, officers and employees who have a need to know."],
    ["nda-7", "missing", "If, in the absence of a protective order, Receiving Party is nonetheless, in the written opinion of its counsel, legally required to disclose Confidential Information, then Receiving Party may disclose such information."],
    // nda-10: the fact of the discussions stays confidential.
    ["nda-10", "met", "Neither party will disclose to any person the fact that discussions or negotiations are taking place concerning a possible Transaction."],
    ["nda-10", "met", "(B) the existence or contents of this Agreement, or the fact that either Party has requested or received Evaluation Material from the other Party."],
    ["nda-10", "missing", "Confidant shall restrict access to Confidential Information only to its employees, and prior to disclosing same, each such employee shall be made aware of the terms and conditions of this Agreement."],
    ["nda-10", "missing", "1.1.1 information which is in the public domain or enters the public domain other than by reason of a breach of the terms of this Agreement;"],
    // nda-17: copies allowed in some circumstances.
    ["nda-17", "met", "Receiving Party may make such limited number of copies of Disclosing Party's Confidential Information to the extent necessary to achieve the Purpose."],
    ["nda-17", "met", "The Receiving Party shall not be entitled to copy any Confidential Information furnished by the Disclosing Party hereunder, unless and to the extent it is necessary for the purpose of this Agreement."],
    ["nda-17", "contradicted", "11. Documents which contain confidential information must not be reproduced or extracts made from them without the DISCLOSER's prior consent in writing."],
    ["nda-17", "missing", "The Disclosing Party retains all right, title and interest in the Confidential Information, and the Receiving Party waives all rights to the intellectual property and copyright therein."],
    ["nda-17", "missing", "However, Receiving Party may retain in the office of its legal counsel, one copy of Proprietary Information for record purposes only."],
    // nda-19: obligations survive termination.
    ["nda-19", "met", "Notwithstanding the return of the Confidential Information, the Receiving Party will continue to be bound by its obligations of confidentiality and other obligations hereunder."],
    ["nda-19", "met", "Termination or expiration of this Agreement shall not relieve the Board Member of any obligation with respect to the Confidential Information disclosed hereunder prior to termination."],
    ["nda-19", "met", "5. Continuing Obligations. The obligations of Confidant under this Agreement shall not terminate but shall continue without limitation of time."],
    ["nda-19", "missing", "10. This Agreement shall remain in effect for a period of one (1) year from the effective date hereof."],
    ["nda-19", "missing", "7. Survival."],
    // Issue 16 item 3: other wordings of the same notions (sentences written here, not taken from the data).
    ["nda-19", "met", "Notwithstanding any expiration of this Agreement, each party shall keep the other's information in confidence."],
    ["nda-19", "met", "The obligations of confidentiality shall remain in effect for three (3) years after the termination of this Agreement."],
    ["nda-15", "met", "All Confidential Information shall remain the sole and exclusive property of the Disclosing Party."],
    ["nda-15", "missing", "The Receiving Party shall protect the Confidential Information with reasonable care."],
    ["nda-8", "met", "If the Recipient receives a subpoena for any Confidential Information, it shall give the Discloser prompt written notice."],
    ["nda-1", "met", "Confidential Information means any information that is marked as confidential at the time of disclosure."],
    ["nda-1", "contradicted", "Information shall be protected under this Agreement if a reasonable person would consider it confidential."],
    ["nda-2", "contradicted", 'In this Agreement "Confidential Information" means any and all information disclosed by either party.'],
    // nda-20: some information may be kept after return or destruction.
    ["nda-20", "met", "Notwithstanding anything to the contrary set forth herein, the Receiving Party is not required to return or destroy computer files stored in the ordinary course of its business as a result of automated back-up procedures."],
    ["nda-20", "met", "Notwithstanding the foregoing, no such destruction or deletion shall be required where prohibited by law, provided that any such Confidential Information so retained shall continue to be held confidential."],
    ["nda-20", "contradicted", "7. Upon written request from the other party, each party agrees to return or destroy all the other party's Confidential Information, together with all copies or reproductions thereof."],
    ["nda-20", "missing", "The Receiving Party shall use the Confidential Information solely for the purpose of its internal evaluation, except as required by applicable law."],
    // nda-13 and nda-12: third-party and independently developed information are excluded.
    ["nda-13", "met", "(ii) is or becomes available to you on a non-confidential basis from a person not otherwise bound by a confidentiality agreement with the Company."],
    ["nda-13", "met", "(c) rightfully received from a third party without restriction on disclosure and without breach of this Agreement;"],
    ["nda-13", "missing", "The Receiving Party shall not disclose the Confidential Information to any third party without the prior written consent of the Disclosing Party."],
    ["nda-12", "met", "(b) is developed by the Receiving Party without reference to the Confidential Information,"],
    ["nda-12", "met", "3.2 Develops independently;"],
    ["nda-12", "missing", "The Receiving Party shall develop a plan to protect the Confidential Information."],
    // nda-8: notice before a compelled disclosure; "information" is not "inform", "in order to" is not an order.
    ["nda-8", "met", "If the Receiving Party is requested or required by subpoena or similar process to disclose any Confidential Information, the Receiving Party shall provide the Disclosing Party prompt written notice of such request."],
    ["nda-8", "missing", "1.1.4 where the Receiving Party is obliged to disclose by law, or by order of any competent regulatory authority, any Confidential Information."],
    ["nda-8", "missing", "In order to facilitate the further discussion, the parties have agreed to disclose confidential information."],
    // nda-11: no analysis of samples is reverse engineering too.
    ["nda-11", "met", "5. The parties each agree not to undertake any analysis on the products or the technology supplied by the other parties to determine structure or composition."],
    ["nda-11", "missing", "Confidential Information includes all analyses, compilations and studies prepared by the Receiving Party."],
    // nda-1: information that should reasonably be understood as confidential need not be marked.
    ["nda-1", "contradicted", "(iii) information that, given the nature of the information or the circumstances surrounding its disclosure, reasonably should be considered to be Confidential Information."],
    // nda-2: business information makes it more than technical information.
    ["nda-2", "contradicted", "WHEREAS, the Parties are desirous of exchanging information relating to confidential and more specifically relating to technical data, marketing, business information, and pricing."],
  ] as const)("%s is %s for %j", (id, expected, text) => {
    expect(status(id, text)).toBe(expected);
  });
});
