import { z } from "zod";
import { bankAccountInput } from "../cases/cases.schemas";
import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveBankAccountChange, rejectBankAccountChange, requestBankAccountChange } from "./bank-account-changes-service";

const changeBody = z.object({ bankAccount: bankAccountInput }).strict();
const rejectBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const partyOperations = {
  requestBankAccountChange: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: changeBody,
    run: (ctx, { params, body }) => requestBankAccountChange(ctx, params.id, body.bankAccount),
  }),

  approveBankAccountChange: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    run: (ctx, { params }) => approveBankAccountChange(ctx, params.id),
  }),

  rejectBankAccountChange: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: rejectBody,
    run: (ctx, { params, body }) => rejectBankAccountChange(ctx, params.id, body.reason),
  }),
} satisfies FeatureOperations<"requestBankAccountChange" | "approveBankAccountChange" | "rejectBankAccountChange">;
