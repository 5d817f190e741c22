# One image for both roles: `npm start` (API) and `npm run worker` (training worker).
FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.cjs scripts/
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 GRAPHQL_EXPLORER=off
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
