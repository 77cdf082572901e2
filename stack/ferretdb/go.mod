// Pins the FerretDB release the local stack builds (see src/stack/prerequisites.ts).
// Only `go mod download` runs here; the build happens in a writable copy of the module
// (the module zip lacks build/version/version.txt; see stack/README.md).
module festival-resolver/stack/ferretdb

go 1.24

require github.com/FerretDB/FerretDB/v2 v2.5.0
