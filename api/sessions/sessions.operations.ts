import { AppError } from "../core/errors";
import { operation, type FeatureOperations } from "../core/operation";

// Sign-in lands next (issue 10); until then these answer 503 so that the workbench offers tokens.
const notYet = () => {
  throw new AppError("service_unavailable", "Password sign-in is not available on this server yet: sign in with a token");
};

export const sessionOperations = {
  createSession: operation({ roles: "public", writes: "none", run: notYet }),
  deleteCurrentSession: operation({ roles: "any", writes: "none", run: notYet }),
  changeOwnPassword: operation({ roles: "any", writes: "none", run: notYet }),
} satisfies FeatureOperations<"createSession" | "deleteCurrentSession" | "changeOwnPassword">;
