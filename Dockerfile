# tap-zendesk as an Airbyte source (custom connector image). The same image
# also runs as a Singer tap: docker run IMAGE --config /airbyte/config.json --discover
#
#   docker build -t tap-zendesk/source-zendesk:0.1.0 .
#   docker run --rm tap-zendesk/source-zendesk:0.1.0 spec
#
# Labels must equal metadata.yaml (dockerRepository, dockerImageTag) and
# AIRBYTE_ENTRYPOINT must equal ENTRYPOINT joined with spaces: both are
# checked by test/airbyte-image.test.ts. Build for amd64 (and arm64):
#   docker buildx build --platform linux/amd64,linux/arm64 -t IMAGE:TAG --push .

# 1. Production dependencies only.
FROM node:22-bookworm-slim AS deps
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 2. Compile TypeScript with the dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY schemas ./schemas
RUN npx tsc -p tsconfig.json

# 3. Runtime: compiled code, schemas and production node_modules, as user airbyte.
#    tini (Debian's package) runs as PID 1: the kernel gives PID 1 no default
#    signal actions, so without an init `docker stop` and Airbyte's cancel
#    would wait out the kill timeout. tini forwards SIGTERM/SIGINT to node,
#    which handles them, reaps zombies and exits with node's status.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 1001 airbyte \
 && useradd --system --uid 1001 --gid airbyte --home-dir /airbyte --no-create-home --shell /usr/sbin/nologin airbyte \
 && mkdir -p /airbyte/integration_code \
 && chown -R airbyte:airbyte /airbyte
WORKDIR /airbyte/integration_code
COPY --from=deps /build/node_modules ./node_modules
COPY --from=build /build/dist/src ./dist/src
COPY package.json ./package.json
COPY schemas ./schemas
COPY LICENSE ./LICENSE

ENV AIRBYTE_ENTRYPOINT="/usr/bin/tini -- /usr/local/bin/node /airbyte/integration_code/dist/src/main.js"
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/node", "/airbyte/integration_code/dist/src/main.js"]

LABEL io.airbyte.name=tap-zendesk/source-zendesk
LABEL io.airbyte.version=0.1.0
LABEL org.opencontainers.image.title="tap-zendesk" \
      org.opencontainers.image.description="Zendesk Singer tap and Airbyte source" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.documentation="https://github.com/tap-zendesk/tap-zendesk#readme" \
      org.opencontainers.image.source="https://github.com/tap-zendesk/tap-zendesk"

USER airbyte
