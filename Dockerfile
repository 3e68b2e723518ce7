# syntax=docker/dockerfile:1
# The API, built with the .NET 10 SDK and run on the ASP.NET Core runtime. The seed is published with the app.
# The build also needs Node 20 with npm: the Api project installs Banana Cake Pop (Ide/) and builds the explorer
# (Explorer/: codegen, tsc, esbuild) from their lockfiles, and stops with KG0003 when npm is missing. The SDK image has
# no Node, and its distribution's nodejs package may be older than 20, so node and npm come from the official image.

FROM node:20-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
WORKDIR /src
# Project files first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/KnowledgeGraph.Core/KnowledgeGraph.Core.csproj src/KnowledgeGraph.Core/
COPY src/KnowledgeGraph.Store.Sqlite/KnowledgeGraph.Store.Sqlite.csproj src/KnowledgeGraph.Store.Sqlite/
COPY src/KnowledgeGraph.Store.Neo4j/KnowledgeGraph.Store.Neo4j.csproj src/KnowledgeGraph.Store.Neo4j/
COPY src/KnowledgeGraph.Api/KnowledgeGraph.Api.csproj src/KnowledgeGraph.Api/
RUN dotnet restore src/KnowledgeGraph.Api/KnowledgeGraph.Api.csproj
COPY schema/ schema/
COPY seed/ seed/
COPY src/ src/
RUN dotnet publish src/KnowledgeGraph.Api/KnowledgeGraph.Api.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health check only.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The SQLite store's folder, writable by the non-root user (unused when Store:Provider is Neo4j).
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
    CMD curl --fail --silent --show-error http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "KnowledgeGraph.Api.dll"]
