# syntax=docker/dockerfile:1
#
# Essor's container images. Two targets:
#
#   full  the whole binary, with the embedded Temporal server: `essor serve`
#         runs everything in one container (Temporal's SQLite file in /data).
#           docker build --target full -t essor:full .
#           docker run -p 8080:8080 -v essor-data:/data \
#             -e DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/essor essor:full
#   lite  built with -tags noembed: no embedded Temporal server (~30 MB instead
#         of ~150 MB, ~120 MB less memory per process). For `essor worker`,
#         `essor web`, `essor migrate` and `essor user …` against an external
#         Temporal (TEMPORAL_ADDRESS); this is what docker-compose.yml uses.
#           docker build --target lite -t essor:lite .
#
# Without --target, the last stage (full) is built. Needs BuildKit (the default
# builder since Docker 23) for the cache mounts.

ARG GO_VERSION=1.26

# ---- sources and modules (shared by both builds) ----------------------------
# Built on the build machine's platform and cross-compiled (CGO is off: the
# SQLite driver of the embedded Temporal is pure Go, modernc.org/sqlite), so
# `docker buildx build --platform linux/arm64,linux/amd64` needs no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS source
WORKDIR /src
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .

# ---- the full binary (embedded Temporal server) -----------------------------
# A cold build takes about 7 minutes on 2 cores (the Temporal server is large);
# the cache mounts make later builds take seconds.
FROM source AS build-full
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/essor ./cmd/essor

# ---- the light binary (no embedded Temporal; needs TEMPORAL_ADDRESS) ---------
FROM source AS build-lite
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -tags noembed -ldflags="-s -w" -o /out/essor ./cmd/essor

# ---- runtime base -----------------------------------------------------------
# debian:bookworm-slim rather than distroless: it has a shell (docker compose
# exec … sh) and curl, which the health checks need (/readyz, /healthz);
# distroless/static has no tool to make an HTTP request.
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 essor \
 && useradd --system --uid 10001 --gid essor --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin essor \
 && install -d -o essor -g essor -m 0750 /data
ENV ESSOR_DATA_DIR=/data \
    ESSOR_ADDR=:8080
WORKDIR /data
# The embedded Temporal's database (full image); a named volume mounted here
# starts with the essor user as owner.
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
ENTRYPOINT ["essor"]
CMD ["serve"]

# ---- lite: worker, web, migrate, user (external Temporal) -------------------
# No HEALTHCHECK here: `essor worker` serves no HTTP. docker-compose.yml checks
# essor-web's /readyz itself.
FROM runtime AS lite
COPY --from=build-lite /out/essor /usr/local/bin/essor

# ---- full: everything in one process (`essor serve`, the default) -----------
FROM runtime AS full
COPY --from=build-full /out/essor /usr/local/bin/essor
# 200 once PostgreSQL and the embedded Temporal answer. Uses the port of
# ESSOR_ADDR (":8080" by default).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${ESSOR_ADDR##*:}/readyz" || exit 1
