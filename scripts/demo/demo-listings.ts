import { addDays, todayInChina } from "../../api/core/dates";
import type { Actor } from "../../api/core/actor";
import type { InProcessCaller } from "../../api/runner/in-process";

export interface DemoListingsContext {
  /** The court to seed in; the three people must belong to it. */
  courtId: string;
  clerk: Actor;
  listOfficer: Actor;
  approver: Actor;
  /** Defaults to today in China; the states below are relative to it. */
  today?: string;
  log?: (message: string) => void;
}

export interface DemoListingsResult {
  listings: Record<"published" | "removalPending" | "removed" | "expired" | "removalOverdue" | "objected", string>;
  freezes: { expiringSoon: string; realEstate: string; released: string };
  hints: string[];
}

/**
 * The dishonest-debtor list of the demo, made through the operations (so every rule holds and
 * every step is audited): one listing in each state, each on a case of its own, and freezes
 * including a bank deposit freeze that lapses within two weeks.
 */
export async function seedDemoListings(call: InProcessCaller, ctx: DemoListingsContext): Promise<DemoListingsResult> {
  const today = ctx.today ?? todayInChina();
  const log = ctx.log ?? (() => {});
  const officer = ctx.listOfficer;

  let n = 200;
  const demoCase = async (debtor: string, idNumber: string, filedOn = "2022-03-01") => {
    n += 1;
    const c = await call("createCase", ctx.clerk, {
      body: {
        courtId: ctx.courtId,
        caseNumber: `(2024)湘1129执${n}号`,
        cause: "买卖合同纠纷",
        filedOn,
        adjudicatedAmount: "36000.00",
        applicants: [{ name: `申请人${n}`, kind: "person", bankAccount: { bankName: "中国工商银行", accountName: `申请人${n}`, accountNumber: `62220219${String(n).padStart(11, "0")}` } }],
        debtors: [{ name: debtor, kind: "person", idNumber }],
      },
      on: today,
    });
    return { caseId: c.id, partyId: c.parties.find((p) => p.role === "debtor")!.id };
  };
  type Ground = "able_but_refuses" | "obstructs_enforcement" | "evades_enforcement" | "false_asset_report" | "violates_consumption_ban" | "breaches_settlement";
  type Channel = "court_website" | "national_portal" | "new_media" | "newspaper" | "other";
  // A fact entered more than 30 days after it happened carries a note (issue 14 item 9).
  const late = (on: string) => (on < addDays(today, -30) ? { note: "补录：纸质卷宗中的决定，系统上线后录入" } : {});
  const list = async (c: { caseId: string; partyId: string }, ground: Ground, decidedOn: string) =>
    call("createListing", officer, { body: { caseId: c.caseId, partyId: c.partyId, ground, decisionNumber: `(2024)湘1129执限${n}号`, decidedOn, ...late(decidedOn) }, on: today });
  const publish = (id: string, channel: Channel, publishedOn: string) => call("publishListing", officer, { params: { id }, body: { channel, publishedOn, ...late(publishedOn) }, on: today });
  const payInFull = (caseId: string, receivedOn: string) =>
    call("createReceipt", ctx.clerk, { params: { id: caseId }, body: { amount: "36000.00", receivedOn, source: "voluntary" }, on: today });

  // Active and published: what the public lookup shows (GET /v1/public/dishonest-debtors?name=唐).
  const published = await list(await demoCase("唐建军", "431129197803150017"), "able_but_refuses", "2024-06-03");
  await publish(published.id, "court_website", "2024-06-05");
  await publish(published.id, "national_portal", "2024-06-05");

  // Early removal of a listing with a term, waiting for an approver.
  const pendingCase = await demoCase("盘志强", "431129198201230031");
  const pending = await list(pendingCase, "violates_consumption_ban", "2025-04-10");
  await publish(pending.id, "new_media", "2025-04-11");
  await call("requestListingRemoval", officer, { params: { id: pending.id }, body: { ground: "settlement_performed", note: "和解协议已履行完毕" }, on: today });

  // Paid in full, removed at once, and withdrawn from its channel: complete and on time.
  const removedCase = await demoCase("蒋丽华", "431129197511080022");
  const removed = await list(removedCase, "able_but_refuses", "2025-03-03");
  const site = await publish(removed.id, "court_website", "2025-03-05");
  await payInFull(removedCase.caseId, "2025-09-30");
  // Recorded on the day it was done.
  const removedNow = await call("requestListingRemoval", officer, { params: { id: removed.id }, body: { ground: "fully_performed" }, on: "2025-10-09" });
  await call("withdrawPublication", officer, { params: { id: removed.id, publicationId: site.publications[0].id }, body: { withdrawnOn: "2025-10-09" }, on: "2025-10-09" });

  // Term ended on 30 September 2024; its newspaper notice was never withdrawn: overdue.
  const expired = await list(await demoCase("奉国平", "431129196905120015", "2022-01-05"), "evades_enforcement", "2022-09-30");
  await publish(expired.id, "newspaper", "2022-10-08");

  // Fully performed on Monday 30 September 2024 but still listed: due by 10 October 2024, overdue.
  const overdueCase = await demoCase("李某某", "431129198808080048");
  const overdue = await list(overdueCase, "able_but_refuses", "2024-06-03");
  await publish(overdue.id, "court_website", "2024-06-05");
  await payInFull(overdueCase.caseId, "2024-09-30");

  // A written objection waiting for review.
  const objected = await list(await demoCase("赵红梅", "431129199002140025"), "false_asset_report", addDays(today, -20));
  await publish(objected.id, "court_website", addDays(today, -18));
  await call("recordObjection", officer, { params: { id: objected.id }, body: { receivedOn: addDays(today, -3), reason: "inaccurate", note: "申报财产时遗漏系笔误" }, on: today });
  log(`demo: 6 listings (published, removal pending, removed, expired, removal overdue, objected); approver ${ctx.approver.name} can approve ${pending.id}`);

  // Freezes: a bank deposit freeze about to lapse, real estate for three years, one released.
  const onDebtor = { caseId: pendingCase.caseId, partyId: pendingCase.partyId };
  type FreezeInput = { assetType: "bank_deposit" | "movable" | "real_estate" | "other"; description: string; institution?: string; amount?: string; frozenOn: string };
  const freeze = (body: FreezeInput) => call("createFreeze", ctx.clerk, { params: { id: onDebtor.caseId }, body: { partyId: onDebtor.partyId, ...body }, on: today });
  const expiringSoon = await freeze({
    assetType: "bank_deposit",
    description: "农业银行账户存款",
    institution: "中国农业银行江华支行",
    amount: "18500.00",
    frozenOn: addDays(today, -355),
  });
  const realEstate = await freeze({ assetType: "real_estate", description: "沱江镇某小区3栋502室", institution: "江华县不动产登记中心", frozenOn: addDays(today, -40) });
  const released = await freeze({ assetType: "movable", description: "小型轿车一辆", frozenOn: addDays(today, -200) });
  await call("releaseFreeze", ctx.clerk, { params: { id: released.id }, body: { releasedOn: addDays(today, -10) }, on: today });
  log(`demo: 3 freezes; ${expiringSoon.id} lapses on ${expiringSoon.expiresOn}`);

  return {
    listings: {
      published: published.id,
      removalPending: pending.id,
      removed: removedNow.id,
      expired: expired.id,
      removalOverdue: overdue.id,
      objected: objected.id,
    },
    freezes: { expiringSoon: expiringSoon.id, realEstate: realEstate.id, released: released.id },
    hints: [
      "Public lookup: GET /v1/public/dishonest-debtors?name=唐建军",
      `Listings needing removal: GET /v1/listings?courtId=${ctx.courtId}&removalOverdue=true`,
      `Freezes about to lapse: GET /v1/freezes?courtId=${ctx.courtId}&expiringWithinDays=30`,
    ],
  };
}
