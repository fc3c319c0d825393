import crypto from "node:crypto";
import { verifyAuditTrail } from "../audit/audit-service";
import { conflict, notFound, validationFailed } from "../core/errors";
import { formatMoney, MoneyDecimal, sumMoney } from "../core/money";
import type { ServiceContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { listListings } from "../listings/listings-service";
import { collectFlags, overdueAsOf, type RedFlag } from "../reports/red-flags";
import { createFinding } from "./findings-service";
import { loadInspection } from "./inspections-service";
import type { EntityType, ProposalAcceptInput, ProposalDiscardInput } from "./inspections.schemas";
import { proposalsStore, type DecisionRow } from "./proposals-store";
import type { InspectionRow } from "./inspections-store";

export type FindingProposal = Schemas["FindingProposal"];
type Entity = { type: EntityType; id: string };

/** The red flags' records that a finding may name (a payout item is named by its batch and case). */
const FINDING_ENTITY: Partial<Record<RedFlag["records"][number]["type"], EntityType>> = { case: "case", receipt: "receipt", batch: "batch" };

const entitiesOf = (f: RedFlag): Entity[] => f.records.flatMap((r) => (FINDING_ENTITY[r.type] ? [{ type: FINDING_ENTITY[r.type]!, id: r.id }] : []));

function overdueFunds(flags: RedFlag[], asOf: string): FindingProposal[] {
  const byCase = new Map<string, RedFlag[]>();
  for (const f of flags) {
    const caseId = f.records.find((r) => r.type === "case")!.id;
    byCase.set(caseId, [...(byCase.get(caseId) ?? []), f]);
  }
  return [...byCase].map(([caseId, fs]) => ({
    key: `overdue_funds:case:${caseId}`,
    category: "overdue_funds",
    severity: "high",
    on: fs.map((f) => f.on).sort()[0],
    description: `该案有${fs.length}笔到账案款共${formatMoney(sumMoney(fs.map((f) => new MoneyDecimal(f.amount ?? "0"))))}元超过30日发放期限仍未发放，且无经批准的延期发放（截至${asOf}）：${fs.map((f) => `应于${f.on}前发放的${f.amount}元`).join("，")}。`,
    entities: [{ type: "case", id: caseId }, ...fs.flatMap((f) => entitiesOf(f).filter((e) => e.type === "receipt"))],
  }));
}

function unentitledPayees(flags: RedFlag[]): FindingProposal[] {
  const seen = new Set<string>();
  return flags.flatMap((f) => {
    const item = f.records.find((r) => r.type === "payout_item")!.id;
    if (seen.has(item)) return [];
    seen.add(item);
    return [{ key: `unentitled_payee:payout_item:${item}`, category: "unentitled_payee", severity: "high", on: f.on, description: f.explanation.zh, entities: entitiesOf(f) }];
  });
}

type Category = FindingProposal["category"];
const CATEGORIES: readonly Category[] = ["overdue_funds", "unentitled_payee", "listing_not_removed", "freeze_lapsed", "record_altered"];

/** The category a key names (`<category>:…`), or null for a key no proposal could have. */
function categoryOfKey(key: string): Category | null {
  const category = key.slice(0, key.indexOf(":"));
  return (CATEGORIES as readonly string[]).includes(category) ? (category as Category) : null;
}

/**
 * Every proposal for the inspection's court and period, whether decided or not; with `only`, just
 * that category's. Deciding a key computes only its own category: accepting an overdue-funds
 * proposal must not walk the court's whole audit chain (20,000 events: docs/rules/inspections.md).
 */
async function allProposals(ctx: ServiceContext, i: InspectionRow, only?: Category): Promise<FindingProposal[]> {
  const wanted = (c: Category) => only === undefined || only === c;
  const p = { courtIds: [i.court_id], from: i.from_on, to: i.to_on, today: ctx.today };
  const proposals: FindingProposal[] = [];
  const kinds = [...(wanted("overdue_funds") ? (["overdue_held"] as const) : []), ...(wanted("unentitled_payee") ? (["account_name_mismatch", "unentitled_payout"] as const) : [])];
  if (kinds.length > 0) {
    const flags = await collectFlags(ctx.db, p, kinds);
    proposals.push(...overdueFunds(flags.filter((f) => f.kind === "overdue_held"), overdueAsOf(p)), ...unentitledPayees(flags.filter((f) => f.kind !== "overdue_held")));
  }
  if (wanted("listing_not_removed")) proposals.push(...(await listingsNotRemoved(ctx, i)));
  if (wanted("freeze_lapsed")) proposals.push(...(await lapsedFreezes(ctx, i)));
  if (wanted("record_altered")) proposals.push(...(await recordAltered(ctx, i)));
  return proposals;
}

async function listingsNotRemoved(ctx: ServiceContext, i: InspectionRow): Promise<FindingProposal[]> {
  const listings = await listListings(ctx, { courtId: i.court_id, removalOverdue: true, limit: 500 });
  return listings.data
    .filter((l) => l.removalDueBy !== null && l.removalDueBy <= i.to_on)
    .map((l) => ({
      key: `listing_not_removed:listing:${l.id}`,
      category: "listing_not_removed" as const,
      severity: "medium" as const,
      on: l.removalDueBy!,
      description: `案件${l.caseNumber}的失信名单应于${l.removalDueBy}前删除，至今未删除（或未从全部发布渠道撤回）。`,
      entities: [{ type: "listing" as const, id: l.id }, { type: "case" as const, id: l.caseId }],
    }));
}

async function lapsedFreezes(ctx: ServiceContext, i: InspectionRow): Promise<FindingProposal[]> {
  return (await proposalsStore.lapsedFreezes(ctx.db, { courtId: i.court_id, from: i.from_on, to: i.to_on, today: ctx.today })).map((f) => ({
    key: `freeze_lapsed:freeze:${f.id}`,
    category: "freeze_lapsed" as const,
    severity: "medium" as const,
    on: f.expires_on,
    description: `案件${f.case_number}的查封冻结（${f.asset_type}）已于${f.expires_on}到期，未在到期前续行，已失效。`,
    entities: [{ type: "freeze" as const, id: f.id }, { type: "case" as const, id: f.case_id }],
  }));
}

/** The one proposal that walks the court's audit chain, once per call. */
async function recordAltered(ctx: ServiceContext, i: InspectionRow): Promise<FindingProposal[]> {
  const audit = await verifyAuditTrail(ctx, { courtId: i.court_id });
  if (audit.ok) return [];
  return [
    {
      key: `record_altered:chain:${i.court_id}:${audit.brokenAt}`,
      category: "record_altered",
      severity: "high",
      on: ctx.today,
      description: `本院审计链在第${audit.brokenAt}条处断裂：记录可能在系统之外被修改或删除。`,
      entities: [],
    },
  ];
}

async function openProposals(ctx: ServiceContext, i: InspectionRow): Promise<FindingProposal[]> {
  const decided = await proposalsStore.decidedKeys(ctx.db, i.court_id);
  return (await allProposals(ctx, i)).filter((p) => !decided.has(p.key));
}

export async function listFindingProposals(ctx: ServiceContext, inspectionId: string): Promise<{ data: FindingProposal[] }> {
  return { data: await openProposals(ctx, await loadInspection(ctx.db, ctx.actor, inspectionId)) };
}

function toDecision(d: DecisionRow): Schemas["FindingProposalDecision"] {
  return { key: d.key, inspectionId: d.inspection_id, decision: d.decision, reason: d.reason, findingId: d.finding_id, decidedAt: d.decided_at.toISOString(), decidedBy: d.decided_by };
}

/** The proposal named by `key`, still open: 409 when already decided, 404 when the data do not propose it. */
async function openProposal(ctx: WriteContext, i: InspectionRow, key: string): Promise<FindingProposal> {
  await proposalsStore.lockKey(ctx.db, i.court_id, key);
  const decided = await proposalsStore.findDecision(ctx.db, i.court_id, key);
  if (decided) throw conflict(`The proposal was already ${decided.decision}`);
  const category = categoryOfKey(key);
  const proposal = category ? (await allProposals(ctx, i, category)).find((p) => p.key === key) : undefined;
  if (!proposal) throw notFound("The proposal");
  return proposal;
}

export async function acceptFindingProposal(ctx: WriteContext, inspectionId: string, input: ProposalAcceptInput): Promise<Schemas["Finding"]> {
  const inspection = await loadInspection(ctx.db, ctx.actor, inspectionId);
  if (input.rectifyBy < ctx.today) throw validationFailed([{ path: "body.rectifyBy", message: `must be on or after foundOn (today, ${ctx.today})` }]);
  const proposal = await openProposal(ctx, inspection, input.key);
  const finding = await createFinding(ctx, inspectionId, {
    category: proposal.category,
    description: input.description ?? proposal.description.slice(0, 4000),
    severity: input.severity ?? proposal.severity,
    entities: proposal.entities.slice(0, 50),
    responsibleUserId: input.responsibleUserId,
    foundOn: ctx.today,
    rectifyBy: input.rectifyBy,
  });
  const d = await proposalsStore.insertDecision(ctx.db, {
    id: crypto.randomUUID(),
    court_id: inspection.court_id,
    inspection_id: inspection.id,
    key: proposal.key,
    decision: "accepted",
    reason: null,
    finding_id: finding.id,
    decided_by: ctx.actor.id,
  });
  ctx.audit.record({ action: "finding_proposal.accepted", entityType: "finding_proposal", entityId: d.id, courtId: d.court_id, data: { inspectionId, key: d.key, category: proposal.category, findingId: finding.id } });
  return finding;
}

export async function discardFindingProposal(ctx: WriteContext, inspectionId: string, input: ProposalDiscardInput): Promise<Schemas["FindingProposalDecision"]> {
  const inspection = await loadInspection(ctx.db, ctx.actor, inspectionId);
  const proposal = await openProposal(ctx, inspection, input.key);
  const d = await proposalsStore.insertDecision(ctx.db, {
    id: crypto.randomUUID(),
    court_id: inspection.court_id,
    inspection_id: inspection.id,
    key: proposal.key,
    decision: "discarded",
    reason: input.reason,
    finding_id: null,
    decided_by: ctx.actor.id,
  });
  ctx.audit.record({ action: "finding_proposal.discarded", entityType: "finding_proposal", entityId: d.id, courtId: d.court_id, data: { inspectionId, key: d.key, category: proposal.category, reason: input.reason } });
  return toDecision(d);
}
