import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../src/config.js';

// docker-compose.yml cannot run here (no Docker engine): this test is what keeps it honest.

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  command?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const root = fileURLToPath(new URL('../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8')) as ComposeFile;
const service = compose.services['festival-resolver']!;

/** `${VAR:-default}` as Compose would substitute it with VAR unset. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g,
    (_m, fallback: string | undefined) => fallback ?? '',
  );
}

function serviceEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
  );
}

/** Container ports a service listens on, from its ports mapping ("host:container"). */
function containerPorts(s: ComposeService): number[] {
  return (s.ports ?? []).map((p) => Number(p.split(':').at(-1)));
}

function hostAndPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

describe('docker-compose.yml', () => {
  it('when the service environment is read, then every variable is a key of envSchema and the whole parses with loadConfig', () => {
    const env = serviceEnv();
    const known = Object.keys(envSchema.shape);
    for (const name of Object.keys(env))
      expect(known, `${name} is not a variable of src/config.ts`).toContain(name);
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('when the service points at Kafka, the registry and MongoDB, then the hosts are compose services listening on those ports', () => {
    const config = loadConfig(serviceEnv());
    const kafka = compose.services.kafka!;
    const kafkaListeners = String(kafka.environment?.KAFKA_ADVERTISED_LISTENERS ?? '');
    for (const broker of config.kafka.brokers) {
      const { host, port } = hostAndPort(broker);
      expect(compose.services).toHaveProperty(host);
      expect(kafkaListeners).toContain(`://${host}:${port}`);
    }

    const registry = hostAndPort(config.schemaRegistry.url);
    expect(compose.services).toHaveProperty(registry.host);
    expect(containerPorts(compose.services[registry.host]!)).toContain(registry.port);
    expect(String(compose.services[registry.host]!.environment?.SCHEMA_REGISTRY_LISTENERS)).toContain(
      `:${registry.port}`,
    );
    expect(
      String(compose.services[registry.host]!.environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS),
    ).toContain(config.kafka.brokers[0]);

    const mongo = hostAndPort(config.mongo.uri);
    expect(compose.services).toHaveProperty(mongo.host);
    expect(containerPorts(compose.services[mongo.host]!)).toContain(mongo.port);
  });

  it('when the service starts, then it waits for healthy dependencies', () => {
    for (const dependency of ['kafka', 'schema-registry', 'mongo']) {
      expect(service.depends_on?.[dependency]?.condition, dependency).toBe('service_healthy');
    }
  });

  it('when any service is declared, then it has a healthcheck', () => {
    const names = Object.keys(compose.services);
    expect(names.sort()).toEqual([
      'festival-resolver',
      'grafana',
      'kafka',
      'mongo',
      'prometheus',
      'schema-registry',
    ]);
    for (const [name, s] of Object.entries(compose.services)) expect(s.healthcheck?.test, name).toBeDefined();
  });

  it('when a service mounts a named volume, then the volume is declared, and stateful services keep their data in one', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]!)
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    for (const v of named) expect(declared).toContain(v);
    for (const name of ['kafka', 'mongo', 'prometheus', 'grafana']) {
      expect(
        (compose.services[name]!.volumes ?? []).some((v) => declared.includes(v.split(':')[0]!)),
        name,
      ).toBe(true);
    }
  });

  it('when a service mounts a file or folder of the repository, then it exists', () => {
    const binds = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]!)
      .filter((source) => source.startsWith('./'));
    expect(binds.length).toBeGreaterThan(0);
    for (const source of binds) expect(existsSync(`${root}${source}`), source).toBe(true);
  });

  it('when Prometheus scrapes the service, then the target is the service host on HTTP_PORT, and the alert rules are mounted', () => {
    const config = loadConfig(serviceEnv());
    const prometheus = parse(readFileSync(`${root}prometheus/prometheus.yml`, 'utf8')) as {
      rule_files?: string[];
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'festival-resolver');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = job?.static_configs.flatMap((c) => c.targets) ?? [];
    expect(targets).toEqual([`festival-resolver:${config.http.port}`]);
    expect(containerPorts(service)).toContain(config.http.port);
    const mounted = (compose.services.prometheus!.volumes ?? []).map((v) => v.split(':')[1]);
    for (const rules of prometheus.rule_files ?? []) expect(mounted).toContain(rules);
  });

  it('when the Dockerfile builds the service, then it runs the CLI `run` command as a non-root user', () => {
    const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["node", "bin/festival-resolver.js", "run"]');
    expect(service.build).toBeDefined();
  });
});
