import { z } from "zod";
import { bankAccountInput } from "../cases/cases.schemas";
import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveBankAccountChange, requestBankAccountChange } from "./bank-account-changes-service";

const changeBody = z.object({ bankAccount: bankAccountInput }).strict();

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
} satisfies FeatureOperations<"requestBankAccountChange" | "approveBankAccountChange">;
