import { AppError } from "../core/errors";
import { operation, type FeatureOperations, type SuccessBody } from "../core/operation";
import { reply } from "../core/reply";

/** What the operations endpoints read of the running app. */
export interface OpsDeps {
  databaseKind: "postgres" | "pglite";
  metrics: { contentType: string; render(): Promise<string> };
  openApiDocument: unknown;
}

export function opsOperations(deps: OpsDeps) {
  return {
    getHealth: operation({
      roles: "public",
      writes: "none",
      run: () => ({ status: "ok" as const }),
    }),

    getReadiness: operation({
      roles: "public",
      writes: "none",
      run: async (ctx) => {
        try {
          await ctx.db.raw("SELECT 1");
        } catch (err) {
          ctx.log.warn({ err }, "database not reachable");
          throw new AppError("service_unavailable", "The database is not reachable");
        }
        return { status: "ok" as const, database: deps.databaseKind };
      },
    }),

    getMetrics: operation({
      roles: "public",
      writes: "none",
      run: async () => reply.file(await deps.metrics.render(), { contentType: deps.metrics.contentType }),
    }),

    getOpenApiDocument: operation({
      roles: "public",
      writes: "none",
      run: () => deps.openApiDocument as SuccessBody<"getOpenApiDocument">,
    }),
  } satisfies FeatureOperations<"getHealth" | "getReadiness" | "getMetrics" | "getOpenApiDocument">;
}
