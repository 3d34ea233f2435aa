# alipay-mock in a container. UNTESTED: the machine this project is developed on has no container
# engine, so this file was never built; treat it as a starting point (docs/deployment.md).
#
#   docker build -t alipay-mock .
#   docker run -p 8080:8080 -e ALIPAY_MOCK_ADMIN_TOKEN=change-me -v alipay-mock-data:/data alipay-mock
#   docker run -p 8080:8080 -e ALIPAY_MOCK_ADMIN_TOKEN=change-me \
#     -e ALIPAY_MOCK_DB=postgres://user:password@db:5432/sandbox alipay-mock

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these let it compile instead when none fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` builds the TypeScript, so the sources must be in place before npm ci.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
COPY bench ./bench
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ALIPAY_MOCK_HOST=0.0.0.0 \
    ALIPAY_MOCK_PORT=8080 \
    ALIPAY_MOCK_DB=sqlite:/data/alipay-mock.db \
    ALIPAY_MOCK_SHUTDOWN_GRACE_SECONDS=8
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The image's own non-root user (uid 1000); /data holds the SQLite file when no PostgreSQL URL is set.
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# SIGTERM (docker stop) drains in-flight requests for up to 8 s, within docker's 10 s before SIGKILL;
# raise both (docker stop --time) when delay rules answer later than that.
CMD ["node", "dist/src/cli.js", "serve", "--host", "0.0.0.0"]
