import { z } from "zod";
import { bankAccountInput, idNumberInput } from "../cases/cases.schemas";
import { businessDate } from "../core/dates";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";

const text = (max: number) => z.string().trim().min(1).max(max);

export const agentCreateBody = z
  .object({
    name: text(200),
    idNumber: idNumberInput.optional(),
    lawFirm: text(200).optional(),
    specialAuthority: z.boolean(),
    authorityDocument: z.object({ number: text(100), signedOn: businessDate }).strict(),
    bankAccount: bankAccountInput.optional(),
  })
  .strict();
export type AgentCreateInput = z.output<typeof agentCreateBody>;

export const agentRejectBody = z.object({ reason: text(1000) }).strict();

export const agentListQuery = z
  .object({
    courtId: uuid.optional(),
    caseId: uuid.optional(),
    partyId: uuid.optional(),
    status: z.enum(["pending", "approved", "rejected"]).optional(),
    ...pageParams,
  })
  .strict();
export type AgentListQuery = z.output<typeof agentListQuery>;

export const partyRemoveBody = z.object({ reason: text(1000) }).strict();
