# syntax=docker/dockerfile:1
# Build: docker build -t fruxon-mock .
# Run:   docker run --rm -p 8080:8080 fruxon-mock
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/fruxon-mock ./cmd/fruxon-mock

# distroless/static: CA certificates and tzdata, no shell, non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/fruxon-mock /usr/local/bin/fruxon-mock
USER nonroot:nonroot
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/usr/local/bin/fruxon-mock", "healthcheck", "--url", "http://127.0.0.1:8080/_mock/health"]
# exec form: the binary is PID 1 and gets SIGTERM directly, and serve
# stops accepting, drains in-flight requests and exits 0.
ENTRYPOINT ["/usr/local/bin/fruxon-mock"]
CMD ["serve", "--addr", ":8080"]
