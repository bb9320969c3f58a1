# Ask PanDA — production image (Node 22 LTS). Build: docker build -t askpanda .
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# npm 10 (Node 22 image) ignores package.json allowScripts: skip onnxruntime's CUDA download explicitly.
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY adapters ./adapters
COPY agents ./agents
COPY resources ./resources
COPY tsconfig.json ./

FROM node:22-bookworm-slim
ENV NODE_ENV=production ASKPANDA_DATA_DIR=/data ASKPANDA_HTTP_PORT=8080 ASKPANDA_HTTP_HOST=0.0.0.0
WORKDIR /app
# Fonts for the server-side charts (resvg renders text with system fonts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
RUN groupadd --system askpanda && useradd --system --gid askpanda --home /app askpanda \
  && mkdir -p /data && chown askpanda:askpanda /data
USER askpanda
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["node", "bin/askpanda.js"]
CMD ["start"]
