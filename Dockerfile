# The service image used by docker-compose.yml. tsx runs the TypeScript sources directly
# (it is a runtime dependency), so there is no build step and dev dependencies stay out.
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY schemas ./schemas
COPY tsconfig.json ./
USER node
EXPOSE 9464
CMD ["node", "bin/festival-resolver.js", "run"]
