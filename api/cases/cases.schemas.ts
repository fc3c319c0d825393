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

export const idNumberInput = z
  .string()
  .regex(/^[0-9A-Za-z-]{4,64}$/, "4 to 64 letters, digits or -")
  .transform((s) => s.toUpperCase());

const partyName = z.string().trim().min(1).max(200);
const partyKind = z.enum(["person", "organization"]);

const partyInput = z
  .object({
    name: partyName,
    kind: partyKind,
    idNumber: idNumberInput.optional(),
    bankAccount: bankAccountInput.optional(),
  })
  .strict();
export type PartyInput = z.output<typeof partyInput>;

/** Why a record was wrong: every correction names it, and the audit event keeps it. */
export const correctionReason = z.string().trim().min(1, "a correction needs a reason").max(1000);

const caseNumberInput = z
  .string()
  .transform(normaliseCaseNumber)
  .pipe(z.string().min(1, "must not be blank").max(100));

export const caseCreateBody = z
  .object({
    courtId: uuid,
    caseNumber: caseNumberInput,
    cause: z.string().trim().min(1).max(500),
    filedOn: businessDate,
    adjudicatedAmount: positiveMoney,
    performBy: businessDate.optional(),
    applicants: z.array(partyInput).min(1).max(50),
    debtors: z.array(partyInput).min(1).max(50),
  })
  .strict();
export type CaseCreateInput = z.output<typeof caseCreateBody>;

const needsAField = (fields: readonly string[]) => (v: Record<string, unknown>) => fields.some((f) => v[f] !== undefined);

const CASE_FIELDS = ["caseNumber", "cause", "filedOn", "adjudicatedAmount", "performBy"] as const;
export const caseUpdateBody = z
  .object({
    caseNumber: caseNumberInput.optional(),
    cause: z.string().trim().min(1).max(500).optional(),
    filedOn: businessDate.optional(),
    adjudicatedAmount: positiveMoney.optional(),
    performBy: businessDate.nullable().optional(),
    reason: correctionReason,
  })
  .strict()
  .refine(needsAField(CASE_FIELDS), { message: `name at least one of ${CASE_FIELDS.join(", ")} to correct` });
export type CaseUpdateInput = z.output<typeof caseUpdateBody>;

export const partyCreateBody = partyInput.extend({ role: z.enum(["applicant", "debtor"]) }).strict();
export type PartyCreateInput = z.output<typeof partyCreateBody>;

const PARTY_FIELDS = ["name", "kind", "idNumber"] as const;
export const partyUpdateBody = z
  .object({
    name: partyName.optional(),
    kind: partyKind.optional(),
    idNumber: idNumberInput.nullable().optional(),
    reason: correctionReason,
  })
  .strict()
  .refine(needsAField(PARTY_FIELDS), { message: `name at least one of ${PARTY_FIELDS.join(", ")} to correct` });
export type PartyUpdateInput = z.output<typeof partyUpdateBody>;

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
