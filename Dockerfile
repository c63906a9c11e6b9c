# usergraph: build with the full toolchain, run with production dependencies only, as a non-root user.
# Node runs as PID 1 and handles SIGTERM/SIGINT itself (graceful drain, see README "Shutdown");
# it starts no child processes in production, so it has no zombies to reap (`docker run --init`
# adds a reaper all the same if your platform wants one).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts yet: `prepare` builds, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/build.mjs
COPY src src
COPY migrations migrations
COPY sql sql
COPY supertokens-standin supertokens-standin
# Then only what runs: no dev dependencies, no optional ones (the embedded demo's PostgreSQL
# binaries: the image always runs against DATABASE_URL).
RUN npm run build && npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# /health answers as soon as the server listens (before the directory is loaded; /ready waits for
# that). Six tries of ten seconds leave a minute for migrations and a slow database at startup.
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# A young generation of 64 MB: see "The command" in README.md.
ENTRYPOINT ["node", "--max-semi-space-size=64", "dist/src/cli.js"]
CMD ["serve"]
