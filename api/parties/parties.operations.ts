import { z } from "zod";
import { bankAccountInput, partyCreateBody, partyUpdateBody } from "../cases/cases.schemas";
import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveAgent, listAgents, rejectAgent, requestAgent } from "./agents-service";
import { approveBankAccountChange, rejectBankAccountChange, requestBankAccountChange } from "./bank-account-changes-service";
import { addParty, removeParty, updateParty } from "./party-corrections";
import { agentCreateBody, agentListQuery, agentRejectBody, partyRemoveBody } from "./parties.schemas";

const changeBody = z.object({ bankAccount: bankAccountInput }).strict();
const rejectBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const partyOperations = {
  addParty: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: partyCreateBody,
    run: (ctx, { params, body }) => addParty(ctx, params.id, body),
  }),

  updateParty: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: partyUpdateBody,
    run: (ctx, { params, body }) => updateParty(ctx, params.id, body),
  }),

  removeParty: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: partyRemoveBody,
    run: (ctx, { params, body }) => removeParty(ctx, params.id, body.reason),
  }),

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

  requestAgent: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: agentCreateBody,
    run: (ctx, { params, body }) => requestAgent(ctx, params.id, body),
  }),

  listAgents: operation({
    roles: "any",
    writes: "none",
    query: agentListQuery,
    run: (ctx, { query }) => listAgents(ctx, query),
  }),

  approveAgent: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    run: (ctx, { params }) => approveAgent(ctx, params.id),
  }),

  rejectAgent: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: agentRejectBody,
    run: (ctx, { params, body }) => rejectAgent(ctx, params.id, body.reason),
  }),
  rejectBankAccountChange: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: rejectBody,
    run: (ctx, { params, body }) => rejectBankAccountChange(ctx, params.id, body.reason),
  }),
} satisfies FeatureOperations<
  | "addParty"
  | "updateParty"
  | "removeParty"
  | "requestBankAccountChange"
  | "approveBankAccountChange"
  | "rejectBankAccountChange"
  | "requestAgent"
  | "listAgents"
  | "approveAgent"
  | "rejectAgent"
>;
