# One image for every Tandem service; docker-compose.yml picks the command.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
# strict-allow-scripts (.npmrc) applies: onnxruntime-node's CUDA download stays off.
RUN npm ci --no-audit --no-fund && npx turbo run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
# Async context frames for AsyncLocalStorage instead of async_hooks, and a larger young generation (see scripts/run.sh): less CPU.
ENV NODE_ENV=production TANDEM_MODE=production NODE_OPTIONS="--experimental-async-context-frame --max-semi-space-size=64"
COPY --from=build /app /app
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006
CMD ["node", "gateway/dist/main.js"]
