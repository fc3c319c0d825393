import { z } from "zod";
import { businessDate } from "../core/dates";
import { positiveMoney } from "../core/money";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";
import { normaliseCaseNumber } from "./masking";

export const bankAccountInput = z
  .object({
    bankName: z.string().trim().min(1).max(200),
    accountName: z.string().trim().min(1).max(200),
    accountNumber: z.string().regex(/^[0-9]{8,32}$/, "8 to 32 digits, no blanks"),
  })
  .strict();

const partyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(["person", "organization"]),
    idNumber: z
      .string()
      .regex(/^[0-9A-Za-z-]{4,64}$/, "4 to 64 letters, digits or -")
      .transform((s) => s.toUpperCase())
      .optional(),
    bankAccount: bankAccountInput.optional(),
  })
  .strict();

export const caseCreateBody = z
  .object({
    courtId: uuid,
    caseNumber: z
      .string()
      .transform(normaliseCaseNumber)
      .pipe(z.string().min(1, "must not be blank").max(100)),
    cause: z.string().trim().min(1).max(500),
    filedOn: businessDate,
    adjudicatedAmount: positiveMoney,
    applicants: z.array(partyInput).min(1).max(50),
    debtors: z.array(partyInput).min(1).max(50),
  })
  .strict();
export type CaseCreateInput = z.output<typeof caseCreateBody>;

export const caseCloseBody = z
  .object({
    closureType: z.enum(["fully_performed", "terminated_this_round", "terminated", "withdrawn", "other"]),
    closedOn: businessDate,
  })
  .strict();

export const caseListQuery = z
  .object({
    courtId: uuid.optional(),
    status: z.enum(["open", "closed"]).optional(),
    caseNumber: z.string().max(100).transform(normaliseCaseNumber).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    ...pageParams,
  })
  .strict();
