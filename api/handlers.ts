import { courtHandlers } from "./courts/courts.routes";
import type { Metrics } from "./http/metrics";
import type { OpenApiDocument } from "./http/openapi-document";
import type { Handlers } from "./http/operations";
import { opsHandlers } from "./ops/ops.routes";
import { userHandlers } from "./users/users.routes";

/** Every operation of openapi.yaml, by operationId. A missing one is a compile error. */
export function allHandlers(deps: { metrics: Metrics; doc: OpenApiDocument }): Handlers {
  return {
    ...opsHandlers(deps),
    ...courtHandlers,
    ...userHandlers,
  };
}
