import type { RequestHandler } from "express";
import client from "prom-client";
import type { Database } from "../../db/connection";

export interface Metrics {
  registry: client.Registry;
  observe: RequestHandler;
}

/** Request durations by route template (never the raw URL, which would explode the labels). */
export function createMetrics(db: Database): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  for (const [name, pick] of [
    ["db_pool_connections_used", "used"],
    ["db_pool_connections_free", "free"],
    ["db_pool_acquires_pending", "pending"],
  ] as const) {
    new client.Gauge({
      name,
      help: `Database pool: ${pick}`,
      registers: [registry],
      collect() {
        this.set(db.poolStats()[pick]);
      },
    });
  }
  const observe: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on("finish", () => {
      const route = req.operation?.pathTemplate ?? "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, observe };
}
