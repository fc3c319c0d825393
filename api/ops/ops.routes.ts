import type { Metrics } from "../http/metrics";
import type { FeatureHandlers } from "../http/operations";
import { AppError } from "../core/errors";
import type { OpenApiDocument } from "../http/openapi-document";

type OpsOperations = "getHealth" | "getReadiness" | "getMetrics" | "getOpenApiDocument";

export function opsHandlers(deps: { metrics: Metrics; doc: OpenApiDocument }): FeatureHandlers<OpsOperations> {
  return {
    getHealth(_req, res) {
      res.json({ status: "ok" });
    },

    async getReadiness(req, res) {
      try {
        await req.ctx.db.knex.raw("SELECT 1");
      } catch (err) {
        req.log.warn({ err }, "database not reachable");
        throw new AppError("service_unavailable", "The database is not reachable");
      }
      res.json({ status: "ok", database: req.ctx.db.kind });
    },

    async getMetrics(_req, res) {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },

    getOpenApiDocument(_req, res) {
      res.json(deps.doc);
    },
  };
}
