import { z } from "zod";
import { businessDate } from "../core/dates";
import { positiveMoney } from "../core/money";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";

export const RECEIPT_SOURCES = ["voluntary", "deduction", "auction", "other", "cash"] as const;

export const receiptCreateBody = z
  .object({
    amount: positiveMoney,
    receivedOn: businessDate,
    source: z.enum(RECEIPT_SOURCES),
    payerName: z.string().trim().min(1).max(200).optional(),
    bankReference: z.string().trim().min(1).max(100).optional(),
    witnessIds: z.array(uuid).length(2).optional(),
    handedOverOn: businessDate.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.source === "cash") {
      if (!b.witnessIds) ctx.addIssue({ code: "custom", path: ["witnessIds"], message: "cash needs the two officers who were present" });
      else if (b.witnessIds[0] === b.witnessIds[1]) ctx.addIssue({ code: "custom", path: ["witnessIds"], message: "the two witnesses must be two different people" });
      if (!b.handedOverOn) ctx.addIssue({ code: "custom", path: ["handedOverOn"], message: "cash needs the day it was handed to finance" });
      else if (b.handedOverOn < b.receivedOn) ctx.addIssue({ code: "custom", path: ["handedOverOn"], message: "cannot be before receivedOn" });
    } else {
      if (b.witnessIds) ctx.addIssue({ code: "custom", path: ["witnessIds"], message: "only for source cash" });
      if (b.handedOverOn) ctx.addIssue({ code: "custom", path: ["handedOverOn"], message: "only for source cash" });
    }
  });
export type ReceiptCreateInput = z.output<typeof receiptCreateBody>;

export const receiptReverseBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

export const receiptListQuery = z
  .object({
    courtId: uuid,
    from: businessDate.optional(),
    to: businessDate.optional(),
    source: z.enum(RECEIPT_SOURCES).optional(),
    ...pageParams,
  })
  .strict();
export type ReceiptListQuery = z.output<typeof receiptListQuery>;

export const transferCreateBody = z.object({ toCaseId: uuid, reason: z.string().trim().min(1).max(1000) }).strict();
export const transferRejectBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
