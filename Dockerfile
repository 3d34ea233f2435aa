# alipay-mock in a container. No container engine runs on the machine this project is developed on,
# so this file has not been built there; test/deploy/container-files.test.ts checks what it refers to
# (docs/deployment.md, "Container").
#
#   docker build -t alipay-mock .
#   docker run -p 8080:8080 -e ALIPAY_MOCK_ADMIN_TOKEN=change-me -v alipay-mock-data:/data alipay-mock
#   docker run -p 8080:8080 -e ALIPAY_MOCK_ADMIN_TOKEN=change-me \
#     -e ALIPAY_MOCK_DB=postgres://user:password@db:5432/sandbox alipay-mock
#   docker compose up     # two instances on PostgreSQL behind nginx (compose.yaml)

# Stage 1: compile the TypeScript. --ignore-scripts skips `prepare` (the build, run below once the
# sources are in) and better-sqlite3's install step, which the compiler does not need.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts/copy-console-static.mjs ./scripts/
COPY src ./src
RUN npm run build

# Stage 2: production dependencies only. better-sqlite3 13 loads the prebuilt binary inside its npm
# package, so nothing is compiled and no build tools are needed.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

# Stage 3: what runs: package.json (the CLI reads its version there), the dependencies, the server.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    ALIPAY_MOCK_HOST=0.0.0.0 \
    ALIPAY_MOCK_PORT=8080 \
    ALIPAY_MOCK_DB=sqlite:/data/alipay-mock.db \
    ALIPAY_MOCK_SHUTDOWN_GRACE_SECONDS=8
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The image's own non-root user (uid 1000); /data holds the SQLite file when no PostgreSQL URL is set.
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# The probe asks the port the server listens on, ALIPAY_MOCK_PORT, whatever it was set to.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.ALIPAY_MOCK_PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# The Node options: resident memory flat under load, and few full collections after idle (docs/deployment.md, Memory).
# SIGTERM (docker stop) drains in-flight requests for up to 8 s, within docker's 10 s before SIGKILL;
# raise both (docker stop --time) when delay rules answer later than that.
CMD ["node", "--max-semi-space-size=16", "--initial-old-space-size=128", "dist/src/cli.js", "serve"]
