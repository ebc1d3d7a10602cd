# Ledgerlink image: one binary (`ledgerlink`) with the React SPA embedded (build tag embedui).
#
#   docker build -t ledgerlink .
#   docker run --rm -p 127.0.0.1:8080:8080 -e DATABASE_URL=… -e REDIS_URL=… -e LEDGERLINK_SECRET_KEY=… ledgerlink
#   docker compose up        (Postgres + Redis + app + worker: see docker-compose.yml)
#
# The same image runs every role: `serve [-migrate] [-seed-demo]`, `worker`, `migrate`, `run`.
# Nothing needs the network at run time but Postgres and Redis.

# ---------------------------------------------------------------- 1. SPA (frontend/dist)
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
# Dependencies first, so this layer stays cached until package*.json change.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------- 2. Go binary
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Pure-Go build (lib/pq, go-redis): a static binary that needs no libc extras at run time.
ENV CGO_ENABLED=0
# Modules first, so this layer stays cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .dockerignore keeps any local frontend/dist out; use the one built above.
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN go build -trimpath -tags embedui -ldflags="-s -w" -o /out/ledgerlink .

# ---------------------------------------------------------------- 3. runtime
FROM debian:bookworm-slim
# ca-certificates: HTTPS to the store/shipping platforms' APIs; tzdata: time zones.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
# Run as an unprivileged user with a fixed UID (handy for volume permissions).
RUN groupadd --system --gid 10001 ledgerlink \
 && useradd --system --uid 10001 --gid ledgerlink --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin ledgerlink
COPY --from=build /out/ledgerlink /usr/local/bin/ledgerlink
USER ledgerlink:ledgerlink
# Listen on all interfaces inside the container (the binary's default is 127.0.0.1:8080).
ENV LEDGERLINK_ADDR=0.0.0.0:8080
EXPOSE 8080
# No HEALTHCHECK here: the image also runs `worker`, which serves no HTTP.
# The app's healthcheck is `ledgerlink healthcheck` (GET /healthz), set in docker-compose.yml.
ENTRYPOINT ["ledgerlink"]
CMD ["serve", "-migrate"]
