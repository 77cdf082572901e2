// Replaced by the platform work: uses KAFKA_BROKERS / MONGODB_URI / SCHEMA_REGISTRY_URL when
// set, else testcontainers when a Docker engine answers, else the local stack.
export default function setup(): void {}
