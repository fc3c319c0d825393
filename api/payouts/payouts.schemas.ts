import { z } from "zod";
import { businessDate } from "../core/dates";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";
import { positiveMoney } from "../core/money";

export const MAX_BATCH_ITEMS = 10000;

const text = (max: number) => z.string().trim().min(1).max(max);

const itemInput = z
  .object({
    caseId: uuid,
    /** Every item but an execution fee item names its party; a fee item pays the court's fee account. */
    partyId: uuid.optional(),
    /** Pay the party's approved agent with special authority to collect (issue 12). */
    agentId: uuid.optional(),
    amount: positiveMoney,
    // Issue 13: what the item pays; issue 14: `execution_fee`, the case's fee to the court's fee account.
    kind: z.enum(["applicant", "refund", "execution_fee"]).default("applicant"),
    refundReason: z.enum(["surplus", "mistaken_payment", "unclaimed"]).optional(),
  })
  .strict()
  .superRefine((i, ctx) => {
    if (i.kind === "refund" && !i.refundReason) ctx.addIssue({ code: "custom", path: ["refundReason"], message: "a refund needs its reason" });
    if (i.kind !== "refund" && i.refundReason) ctx.addIssue({ code: "custom", path: ["refundReason"], message: "only a refund has a refundReason" });
    if (i.kind === "execution_fee") {
      if (i.partyId !== undefined) ctx.addIssue({ code: "custom", path: ["partyId"], message: "an execution fee item pays the court's fee account: it names no party" });
      if (i.agentId !== undefined) ctx.addIssue({ code: "custom", path: ["agentId"], message: "an execution fee item pays the court's fee account: it names no agent" });
    } else if (i.partyId === undefined) {
      ctx.addIssue({ code: "custom", path: ["partyId"], message: "required: the party this item pays" });
    }
  });

export const batchCreateBody = z
  .object({
    courtId: uuid,
    note: text(1000).optional(),
    items: z.array(itemInput).min(1, "a batch has at least one item").max(MAX_BATCH_ITEMS, `a batch has at most ${MAX_BATCH_ITEMS} items`),
  })
  .strict();
export type BatchCreateInput = z.output<typeof batchCreateBody>;

/** submit and approve take no fields: no body, or `{}`. */
export const batchActionBody = z.object({}).strict();
export const batchRejectBody = z.object({ reason: text(1000) }).strict();
export const batchCancelBody = z.object({ reason: text(1000).optional() }).strict();

const outcomeInput = z
  .object({
    itemId: uuid,
    status: z.enum(["paid", "failed"]),
    bankReference: text(100).optional(),
    failureReason: text(1000).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.status === "failed" && o.failureReason === undefined) {
      ctx.addIssue({ code: "custom", path: ["failureReason"], message: "a failed item needs a failureReason" });
    }
    if (o.status === "paid" && o.failureReason !== undefined) {
      ctx.addIssue({ code: "custom", path: ["failureReason"], message: "a paid item has no failureReason" });
    }
  });
export type OutcomeInput = z.output<typeof outcomeInput>;

export const batchExecuteBody = z
  .object({
    paidOn: businessDate,
    outcomes: z.array(outcomeInput).min(1).max(MAX_BATCH_ITEMS).optional(),
  })
  .strict();
export type BatchExecuteInput = z.output<typeof batchExecuteBody>;

export const itemReturnBody = z.object({ returnedOn: businessDate, reason: text(1000) }).strict();
export type ItemReturnInput = z.output<typeof itemReturnBody>;

export const BATCH_STATUSES = ["draft", "submitted", "approved", "rejected", "cancelled", "executed"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const batchListQuery = z
  .object({
    courtId: uuid.optional(),
    status: z.enum(BATCH_STATUSES).optional(),
    createdFrom: businessDate.optional(),
    createdTo: businessDate.optional(),
    ...pageParams,
  })
  .strict()
  .refine((q) => !q.createdFrom || !q.createdTo || q.createdFrom <= q.createdTo, {
    path: ["createdTo"],
    message: "createdTo must not be before createdFrom",
  });
export type BatchListQuery = z.output<typeof batchListQuery>;

export const itemParams = z.object({ id: uuid, itemId: uuid }).strict();

/** Issue 13: the batch-transfer file's format. */
export const batchTransferQuery = z.object({ format: z.enum(["xlsx", "csv"]).optional(), encoding: z.enum(["utf-8-bom", "gb18030"]).optional() }).strict();
