import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { uuid } from "../core/validation";
import { listApprovals } from "./approvals-service";

const approvalsQuery = z.object({ courtId: uuid.optional() }).strict();

export const approvalOperations = {
  listApprovals: operation({
    roles: ["approver"],
    writes: "none",
    query: approvalsQuery,
    run: (ctx, { query }) => listApprovals(ctx, query),
  }),
} satisfies FeatureOperations<"listApprovals">;
