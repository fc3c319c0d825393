import { z } from "zod";
import { businessDate } from "../core/dates";
import { positiveMoney } from "../core/money";

export const receiptCreateBody = z
  .object({
    amount: positiveMoney,
    receivedOn: businessDate,
    source: z.enum(["voluntary", "deduction", "auction", "other"]),
    payerName: z.string().trim().min(1).max(200).optional(),
    bankReference: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type ReceiptCreateInput = z.output<typeof receiptCreateBody>;

export const receiptReverseBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
