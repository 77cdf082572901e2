// Pins the AxonOps Schema Registry release the local stack builds (see
// src/stack/prerequisites.ts). Only `go mod download` runs here; the build happens in a
// writable copy of the module.
module festival-resolver/stack/schema-registry

go 1.24

require github.com/axonops/axonops-schema-registry v0.2.1
