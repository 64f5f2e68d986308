# syntax=docker/dockerfile:1
# Build: docker build -t fruxon-mock .
# Run:   docker run --rm -p 8080:8080 fruxon-mock
# Base images are pinned by tag, not digest: the tags are the ones Go and
# distroless keep patched, and a digest frozen here would silently stop
# getting security fixes unless something (Dependabot, Renovate) bumps it.
# To pin for a reproducible build, pass digests:
#   docker build --build-arg GO_IMAGE=golang:1.26@sha256:… \
#                --build-arg RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot@sha256:… .
ARG GO_IMAGE=golang:1.26
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/fruxon-mock ./cmd/fruxon-mock

# distroless/static: CA certificates and tzdata, no shell, non-root user.
FROM ${RUNTIME_IMAGE}
COPY --from=build /out/fruxon-mock /usr/local/bin/fruxon-mock
USER nonroot:nonroot
EXPOSE 8080
# healthcheck finds the address like serve does (FRUXON_MOCK_URL,
# FRUXON_MOCK_ADDR, or the --addr of the serve that is PID 1), so the image
# stays healthy with "serve --addr :9090" or -e FRUXON_MOCK_ADDR=:9090.
HEALTHCHECK --interval=10s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/usr/local/bin/fruxon-mock", "healthcheck"]
# exec form: the binary is PID 1 and gets SIGTERM directly, and serve
# stops accepting, drains in-flight requests and exits 0.
ENTRYPOINT ["/usr/local/bin/fruxon-mock"]
CMD ["serve", "--addr", ":8080"]
