# syntax=docker/dockerfile:1
#
# Court enforcement funds tracker. No Docker engine runs where this project is developed, so this
# file has not been built here: it is kept deliberately plain so that it is easy to check by eye.
#
#   docker build -t court-funds .
#   docker run -p 3000:3000 -v court-funds-data:/data \
#     -e BOOTSTRAP_ADMIN_TOKEN="$(openssl rand -hex 32)" court-funds
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://user:pass@db:5432/funds court-funds
#
# Every setting is an environment variable (see README, "Configuration").

# Stage 1: the full toolchain, used only to refuse an image whose code or contract does not check.
FROM node:20-slim AS check
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build the workbench before its sources are copied in.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run typecheck && npm run openapi:check && npm run build:web && npm run build:api

# Stage 2: what runs. Production dependencies only; the service runs from its build (dist/) with
# plain node; tsx (a runtime dependency) runs the maintenance scripts (migrate, backup, restore).
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    MIGRATE_ON_START=1 \
    DEMO_SEED=0 \
    LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=check /app/tsconfig.json ./
COPY --from=check /app/dist ./dist
COPY --from=check /app/api ./api
COPY --from=check /app/db ./db
COPY --from=check /app/openapi ./openapi
# The list of common passwords that a new password is checked against (api/users/passwords.ts).
COPY --from=check /app/data ./data
COPY --from=check /app/scripts ./scripts
# The workbench, built in the check stage (its toolchain is a dev dependency).
COPY --from=check /app/web/dist ./web/dist
# The embedded database (used when DATABASE_URL is unset) lives on this volume, owned by the
# unprivileged user that runs the service.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# slim has no curl: ask /healthz with node itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# node itself is PID 1 (no npm wrapper in between), so SIGTERM reaches the graceful shutdown.
STOPSIGNAL SIGTERM
# --optimize-for-size: scripts/build-api.js, SERVER_NODE_FLAGS (memory over speed, measured).
CMD ["node", "--optimize-for-size", "dist/api/server.js"]
