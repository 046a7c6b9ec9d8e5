// The rules added for the weakest CUAD categories, checked on sentences quoted from contracts of the
// public CUAD dev half (whitespace normalised). Each rule has sentences it must label (score >= 0.5)
// and look-alike sentences it must not.
import { describe, expect, it } from "@jest/globals";
import type { CuadCategory } from "./cuad-categories";
import { RuleClauseClassifier } from "./rule-clause-classifier";

const rules = new RuleClauseClassifier();
const score = (category: CuadCategory, sentence: string, heading?: string) => rules.scoreSentence(sentence, heading).get(category) ?? 0;

interface Case {
  readonly sentence: string;
  readonly heading?: string;
}
const labels = (category: CuadCategory, cases: readonly Case[]) =>
  it.each(cases)(`labels $sentence`, ({ sentence, heading }) => {
    expect(score(category, sentence, heading)).toBeGreaterThanOrEqual(0.5);
  });
const rejects = (category: CuadCategory, cases: readonly Case[]) =>
  it.each(cases)(`does not label $sentence`, ({ sentence, heading }) => {
    expect(score(category, sentence, heading)).toBeLessThan(0.5);
  });

describe("Post-Termination Services", () => {
  labels("Post-Termination Services", [
    { sentence: "Upon any termination or expiration of the Term the Parties will cooperate in good faith to promote a smooth customer transition, and in any event, Company will, at ACSI's option, continue to operate the Mirror Company Site and offer Spoken-Word Audio Products through the Spoken-Word Audio Sub-Section in accordance with the terms of this Agreement for a period of up to six (6) months following such termination." },
    { sentence: "B. Should the Agreement expire during the period of performance, all remaining Work of each Purchase Order will be completed under the terms of the Agreement then in effect on the date of award for each respective Purchase Order, unless modified in writing by mutual consent of the parties." },
    { sentence: "This right to audit shall extend throughout the term of this Agreement and for one year after expiration or termination of this Agreement." },
  ]);
  rejects("Post-Termination Services", [
    // Survival, return of confidential information and the end of some other period are not services.
    { sentence: "Sections 7, 8, 13 and 16 hereof shall survive termination of this Agreement and Agent's appointment hereunder." },
    { sentence: "Upon termination of this Agreement, all Confidential Information shall be returned to the disclosing Party or destroyed unless otherwise specified or permitted elsewhere under this Agreement.", heading: "TERMINATION" },
    { sentence: "Content for up to three weeks on the Neoforma Site, and after the expiration of such three week period Neoforma shall cease to reproduce, display and transmit such VerticalNet Content and shall remove such VerticalNet Content from the Neoforma Site." },
  ]);
});

describe("Competitive Restriction Exception", () => {
  labels("Competitive Restriction Exception", [
    { sentence: "The parties acknowledge that the foregoing will not prevent CNET from displaying text links and other references to Competing Computer Products Retailers as reasonably necessary to provide appropriate editorial and search related services on the CNET Sites.", heading: "Exclusivity" },
    { sentence: "For purposes of clarity, the foregoing does not prevent Conformis from granting any license, release, covenant not to sue or other immunity to any third party under any Patents, including any such immunity that would authorize manufacture, use or sale of Patient-Specific Instrumentation for Off-The-Shelf Knee Implants outside the Buyer Field.", heading: "Exclusivity" },
  ]);
  rejects("Competitive Restriction Exception", [
    { sentence: 'd) Notwithstanding the foregoing, each party may disclose Confidential Information (i) to the extent required by a court of competent jurisdiction or other governmental authority or otherwise as required by law or (ii) on a "need-to-know" basis under an obligation of confidentiality to its legal counsel, accountants, banks and other financing sources and their advisors.' },
  ]);
});

describe("Minimum Commitment", () => {
  labels("Minimum Commitment", [
    { sentence: "The Company shall produce no less than forty (40) original episodes of the Show per year;", heading: "Required Production" },
    { sentence: "(b) From and after the Promotion Commencement Date, King shall perform at least [***] PDEs per calendar year, with such amount prorated over the initial and final calendar years of the Term if either such year is a partial year." },
    { sentence: "3.1 Shipper guarantees that during each Contract Year, Shipper will meet its Quarterly Volume Commitment or, in the event it fails to do so, shall remit to MPL the Quarterly Deficiency Payment pursuant to Section 3.5." },
  ]);
  rejects("Minimum Commitment", [
    { sentence: "Notwithstanding anything in this Agreement to the contrary, it is acknowledged and agreed that there is no minimum amount of Customer Gas that must be delivered to the Transportation System hereunder; accordingly, Customer shall not have any liability (financial or otherwise) for failure to deliver any particular quantity of Gas to Transporter; provided, however, the foregoing sentence shall not reduce or eliminate Customer's obligation to pay the fees provided herein." },
    { sentence: "From time to time during the Term, Columbia may provide Fleet with a purchase order for a batch of Product that does not contain any active pharmaceutical ingredient provided that such purchase order is received at least ninety (90) days prior to the required delivery date." },
    { sentence: "(4) Umbrella/Excess Liability with limits of not less than $5,000,000 in excess of all the above-referenced Commercial General Liability, Employer's Liability and Business Auto Liability, except the following Subcontractor classifications will have limits of not less than the following: HVAC $2,000,000, Landscaping and Fencing $1,000,000." },
  ]);
});

describe("Volume Restriction", () => {
  labels("Volume Restriction", [
    { sentence: "2. The CELEBRITY will be limited to six speaking engagements for the year and five conference calls per month at the company's discretion." },
    { sentence: "Customer is allowed up to three (3) emergency requests per month at no additional charge." },
  ]);
  rejects("Volume Restriction", [
    { sentence: "The arbitrator will not have the power to award punitive or exemplary damages, or any damages excluded by, or in excess of, any damage limitations expressed in this Agreement.", heading: "ARBITRATION" },
  ]);
});

describe("IP Ownership Assignment", () => {
  labels("IP Ownership Assignment", [
    { sentence: "i) In the event that the Agreement is terminated pursuant to Section 16.a.v due to e-centives' acquisition by an Excite@Home Named Competitor, or by an entity controlling or controlled by an Excite@Home Named Competitor, e-centives shall transfer all of its right, title and interest in and to the Payment-Eligible User Data to Excite." },
    { sentence: 'To the extent that any such ACSI Derivative Works or Company Derivative Works are not "works made for hire", Company hereby assigns and agrees to assign to ACSI (or such of its Affiliates as it may designate) all right, title and interest to all ACSI Derivative Works and all associated Intellectual Property Rights, and ACSI hereby assigns and agrees to assign to Company (or such of its Affiliates as it may designate) all right, title and interest in and to all Company Derivative Works and all associated Intellectual Property Rights.' },
  ]);
  rejects("IP Ownership Assignment", [
    { sentence: "ACSI hereby grants to Company, during the Term, a non- exclusive, non-transferable (except in accordance with Section 11.7 [Assignment]) license, which Company may sublicense only to its Affiliates, to use the ACSI Intellectual Property supplied by ACSI to Company as is reasonably necessary to perform its obligations under this Agreement; provided, however, that Company shall not use ACSI's Trademarks, including in any advertising, without ACSI's prior written consent, unless such use conforms to a written Trademark use policy previously furnished by ACSI to Company and not subsequently modified or revoked." },
    { sentence: "(a) Conformis shall ensure that all its employees, consultants, Agents or other Third Parties who perform any portion of Conformis' R&D Program obligations under this Agreement have entered into written agreements with Conformis whereby such employee, consultant, Agent or other Third Party assigns to Conformis all ownership rights in any Inventions made or developed by such employee, consultant, Agent or Third Party in the course of such R&D Program work under this Agreement." },
    { sentence: "9.5 Except for the express rights granted to Neoforma under this Agreement, Neoforma acknowledges and agrees that the Intellectual Property of VerticalNet is and shall remain the sole property of VerticalNet and nothing in this Agreement shall confer in Neoforma any right of ownership or license rights in VerticalNet's Intellectual Property." },
  ]);
});

describe("Joint IP Ownership", () => {
  labels("Joint IP Ownership", [
    { sentence: "6.1.4 To the extent that any Joint Works are created in the course of performance of this Agreement, each Party shall own a joint, equal and undivided ownership interest in and to such Joint Works and the associated Intellectual Property Rights, with no duty on the part of either Party to account to the other with respect to its use and exploitation of the same." },
  ]);
});

describe("Revenue/Profit Sharing", () => {
  labels("Revenue/Profit Sharing", [
    { sentence: "The parties will share equally all revenue from the listing of paper or local coupons in the Co-Branded Application." },
    { sentence: "During the Term, VerticalNet shall pay to Neoforma commissions equal to [*] of any Laboratory Products Net Revenues during such Contract Year resulting from (a) any Neoforma Laboratory Products Listing or (b) any VerticalNet Laboratory Products Listing for which Neoforma was the Transaction Origination Party." },
  ]);
  rejects("Revenue/Profit Sharing", [
    { sentence: "9.3 VerticalNet hereby grants to Neoforma a non-exclusive, non-transferable, royalty-free, right and license to link to the VerticalNet Sites through a VerticalNet Link." },
  ]);
});

describe("Change of Control", () => {
  labels("Change of Control", [
    { sentence: "19.2 In the event of a change in control of a Party, the other Party shall have the right, upon written prior notice, to terminate this Agreement." },
  ]);
  rejects("Change of Control", [
    { sentence: '"Change of Control" has the meaning set forth in the Asset Purchase Agreement.' },
    { sentence: "8.1 Neither Party may assign its rights under this Agreement without prior written consent from the other Party, which consent shall not be unreasonably withheld; provided, however, that either Party may assign its rights under this Agreement to a successor in interest resulting from any merger, reorganization, consolidation or as part of a sale of all or substantially all of its assets." },
    { sentence: "(i) an involuntary proceeding is commenced against such Party under any applicable United States bankruptcy, insolvency, reorganization or other similar United States or foreign law now or hereafter in effect, or a proceeding is commenced seeking appointment of a receiver, liquidator, assignee, custodian, trustee, sequestrator (or other similar official) for such Party or for all or any substantial part of its property and such proceeding shall not be dismissed within [**] or an order for relief by a court of competent jurisdiction shall be entered in any such proceeding; or" },
  ]);
});

describe("Exclusivity", () => {
  labels("Exclusivity", [{ sentence: "3.9 Dynamex agrees not to provide sameday delivery services for any other provider of next day or multiple day courier services." }]);
  rejects("Exclusivity", [
    { sentence: "Each Party irrevocably agrees that the English courts shall have sole and exclusive jurisdiction to settle any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with this Amendment or its subject matter or formation." },
    { sentence: "Nothing in this Agreement shall be construed to give any person or entity other than Agent and Client any legal or equitable right, remedy or claim under this Agreement; but this Agreement shall be for the sole and exclusive benefit of Agent and Client." },
    { sentence: "Cano recognizes and agrees that it does not and will not have exclusive rights and that other sponsor's logos may appear on the primary boat and vehicle." },
  ]);
});

describe("Non-Compete", () => {
  labels("Non-Compete", [
    { sentence: "2.10 VerticalNet shall not enter into any agreement with a Neoforma Competitor for the on-line listing of Medical Products or place any Link to the Site of a Neoforma Competitor on the VerticalNet Medical Online Communities." },
    { sentence: "Except as expressly contemplated by this Agreement (including Article XIII hereof) and subject to Section 13.1 hereof, King shall not promote, market or distribute any product containing metformin hydrochloride as the sole active ingredient in the Territory during the Term of this Agreement, other than the Product." },
  ]);
  // "competent" is not "compete".
  rejects("Non-Compete", [{ sentence: "The Parties obligations set forth in this Section shall not apply with respect to any portion of the Confidential Information that the Receiving Party can document by competent proof that such portion: (a) was in public domain at the time it was communicated to the Receiving Party by the Disclosing Party;" }]);
});

describe("Termination for Convenience", () => {
  labels("Termination for Convenience", [
    { sentence: "After the Initial Term, this Agreement shall continue on a month to month basis until terminated by either party upon thirty (30) days prior written notice to the other setting forth the effective date of such termination." },
  ]);
  rejects("Termination for Convenience", [
    { sentence: "ii) Excite@Home may terminate the Agreement with thirty (30) days written notice if Application Provider does not meet the content and launch guidelines described in EXHIBIT B." },
    { sentence: "To the extent that any court of competent jurisdiction determines that any provision of Section 10.5.2 [Effect of Termination] is for any reason unlawful, invalid, in violation of public policy or otherwise unenforceable in whole or in part, such provision shall be narrowed in scope to the extent necessary to make the same lawful, valid and enforceable while as nearly as possible reflecting the intent of the Parties as expressed in this Agreement." },
  ]);
});

describe("Uncapped Liability and Cap on Liability", () => {
  labels("Uncapped Liability", [
    // The exception sits before "7.2": cue windows step over full stops inside section numbers.
    { sentence: "EXCEPT FOR LIABILITIES UNDER SECTION 7.2 [Indemnity], NEITHER PARTY'S AGGREGATE LIABILITY ARISING OUT OF OR IN CONNECTION WITH THIS AGREEMENT OR THE TRANSACTIONS CONTEMPLATED HEREBY, WHETHER IN CONTRACT, TORT (INCLUDING NEGLIGENCE), WARRANTY OR OTHERWISE, SHALL EXCEED [***].", heading: "Limitation of Damages" },
  ]);
  rejects("Uncapped Liability", [{ sentence: "The Parties obligations set forth in this Section shall not apply with respect to any portion of the Confidential Information that the Receiving Party can document by competent proof that such portion: (a) was in public domain at the time it was communicated to the Receiving Party by the Disclosing Party;" }]);
  labels("Cap on Liability", [
    { sentence: "EXCEPT FOR LIABILITIES UNDER SECTION 7.2 [Indemnity], NEITHER PARTY'S AGGREGATE LIABILITY ARISING OUT OF OR IN CONNECTION WITH THIS AGREEMENT OR THE TRANSACTIONS CONTEMPLATED HEREBY, WHETHER IN CONTRACT, TORT (INCLUDING NEGLIGENCE), WARRANTY OR OTHERWISE, SHALL EXCEED [***].", heading: "Limitation of Damages" },
    { sentence: "Actions Period Neither party will bring a legal action related to this Agreement more than two years after the cause of action accrued." },
  ]);
  rejects("Cap on Liability", [
    { sentence: "Agent shall not be liable for any failures, delays or losses, arising directly or indirectly out of conditions beyond its reasonable control, including, but not limited to, acts of government, exchange or market ruling, suspension of trading, work stoppages or labor disputes, civil disobedience, riots, rebellions, electrical or mechanical failure, computer hardware or software failure, communications facilities failures including telephone failure, war, terrorism, insurrection, fires, earthquakes, storms, floods, acts of God or similar occurrences.", heading: "Force Majeure" },
    { sentence: "(4) Umbrella/Excess Liability with limits of not less than $5,000,000 in excess of all the above-referenced Commercial General Liability, Employer's Liability and Business Auto Liability, except the following Subcontractor classifications will have limits of not less than the following: HVAC $2,000,000, Landscaping and Fencing $1,000,000." },
  ]);
});

describe("Covenant Not to Sue", () => {
  labels("Covenant Not to Sue", [
    { sentence: "King acknowledges and agrees that it shall not acquire and shall not claim any title to the Depomed Trademarks adverse to Depomed by virtue of the rights granted under this Agreement or through King's use of the Depomed Trademarks, it being the intention of the parties that all goodwill and improved reputation generated by King and use of the Depomed Trademarks shall inure to the benefit of Depomed." },
    { sentence: "In addition, Neoforma shall not now or in the future contest the validity of VerticalNet's Intellectual Property." },
  ]);
  rejects("Covenant Not to Sue", [
    { sentence: "For purposes of clarity, the foregoing does not prevent Conformis from granting any license, release, covenant not to sue or other immunity to any third party under any Patents, including any such immunity that would authorize manufacture, use or sale of Patient-Specific Instrumentation for Off-The-Shelf Knee Implants outside the Buyer Field." },
    { sentence: "If Customer has failed to pay any amount when due under this Agreement and if such non-payment is not being disputed in good faith by Customer, Transporter shall have the right to request and receive from Customer adequate assurance of performance (\"Performance Assurance\") which shall mean credit support in a form reasonably acceptable to Transporter and in an amount and for the term reasonably acceptable to Transporter." },
  ]);
});

describe("Effective Date and Expiration Date", () => {
  labels("Effective Date", [
    { sentence: "This Agreement is executed in duplicate on the 5th day of December, 2007, in Fort Worth, Tarrant County, Texas, to be effective January 1, 2008." },
    { sentence: "The effective date of the Franchise will be January 1, 2016.", heading: "EFFECTIVE DATE" },
  ]);
  rejects("Effective Date", [
    { sentence: "No subsequent amendment, modification or waiver of any of the provisions of this Agreement shall be effective unless in writing and signed by the Parties.", heading: "AMENDMENT OR MODIFICATION" },
    { sentence: "A Notice sent via facsimile is deemed effective on the same day (or if such day is not a business day, then on the next succeeding business day) if such facsimile is sent before 5:00 p.m." },
  ]);
  labels("Expiration Date", [
    { sentence: "This Agreement shall commence on the Effective Date and continue in full force and effect until the end of the fifteenth (15th) Contract Year, and shall continue in full force and effect thereafter until terminated by either Party by providing thirty (30) calendar days' prior written notice of termination to the other Party (such fifteen (15) Contract Year period, as may be further extended as provided herein is referred to as the \"Term\")." },
  ]);
  rejects("Expiration Date", [
    { sentence: "Such license shall expire immediately upon the expiration or termination of this Agreement." },
    { sentence: "EDGE retains Subcontractor only for the purposes and to the extent as set forth in this Agreement, and Subcontractor's relation to EDGE during the term of this Agreement shall be that of an independent contractor and nothing herein shall create or imply any other or different relationship." },
  ]);
});

describe("Insurance", () => {
  labels("Insurance", [
    { sentence: "Upon request, each party shall provide certificates of insurance to the other evidencing the coverage specified herein." },
    { sentence: "(3) Workers' Compensation Insurance as required by state law where the Work is performed." },
  ]);
  rejects("Insurance", [
    { sentence: 'WHEREAS, the Company is a life insurer subject to certain capital requirements of the insurance laws and regulations of Delaware (the "Domiciliary State");' },
    { sentence: "8.2 Notwithstanding anything contained herein to the contrary, the indemnifying party's liability to the other hereunder shall not exceed the insurance coverage set out in Section 9.0." },
  ]);
});

describe("Audit Rights", () => {
  // What follows an audit (repaying an underpayment) is not the right to audit.
  rejects("Audit Rights", [
    { sentence: "If any such audit reveals any underpayment of any sums payable pursuant to Section 5.4 [Royalties], Company will promptly remit to ACSI the amount of the underpayment; and, if the amount of such underpayment is five percent (5%) or more for any audited period, Company shall, within ten (10) days of its receipt of an invoice therefor, reimburse ACSI for all reasonable out-of-pocket fees and expenses incurred by ACSI and its Affiliates in connection with the applicable audit together with interest on any underpayment as provided in Section 5.5 [Overdue Payments]." },
  ]);
});

describe("smaller categories", () => {
  labels("Third Party Beneficiary", [{ sentence: "It is expressly agreed by the Parties that the Lenders shall be third party beneficiaries of Section 4.09, Section 6.03, Section 8.02(b), Section 8.04, Section 8.05 and this Section 8.13" }]);
  rejects("Third Party Beneficiary", [{ sentence: "Except as expressly stated otherwise, nothing in this Agreement shall create or confer any rights or other benefits in favour of any person other than the parties to this Agreement." }]);
  labels("No-Solicit of Customers", [{ sentence: "Application Provider will not solicit any Excite@Home Member on behalf of any Excite@Home Named Competitor during the Term of this Agreement or thereafter." }]);
  labels("Liquidated Damages", [{ sentence: '18.1 In the event a Party has, in any twelve (12) month period, more than three (3) Monthly Performance Failures, then the defaulting Party shall pay a penalty to the Party not in default, which the Parties acknowledge is a pre-estimation of damages suffered by the non-defaulting Party due to the current month\'s Monthly Performance Failure ("Default Month").' }]);
  labels("Rofr/Rofo/Rofn", [{ sentence: "Depomed shall notify King in writing in the event that Depomed desires to divest itself of its rights to the Product in the Territory (e.g., by asset sale or product license to a Third Party), or of its rights in the Territory to a product owned or controlled by Depomed containing metformin and another active pharmaceutical ingredient in combination with Depomed's proprietary drug delivery technology incorporated within the Product (currently referred to as the AcuForm technology) (a \"Combination Product\").", heading: "Right of First Negotiation" }]);
  rejects("Rofr/Rofo/Rofn", [{ sentence: 'Stryker shall have the first right to prepare, file, prosecute and maintain Patents or copyrights arising from any Joint IP that is not Improved Conformis Background IP ("Stryker- Prosecuted Joint IP Rights").', heading: "Prosecution of Patent Rights" }]);
  labels("Affiliate License-Licensee", [{ sentence: "During the Term, subject to the terms and conditions of this Agreement, Depomed hereby grants to King and its Affiliates and King and its Affiliates hereby accept a co-exclusive right to Promote the Product under the Depomed Trademarks in the Territory together with Depomed and its Affiliates only, on the terms and subject to the conditions set forth herein." }]);
});
