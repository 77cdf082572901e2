import { describe, expect, test } from 'vitest';
import { loadStackConfig } from '../../src/stack/config.js';
import { ConfigError } from '../../src/errors.js';
import { newClusterId } from '../../src/stack/kafka.js';
import { stackPaths, repoRoot } from '../../src/stack/paths.js';

describe('loadStackConfig', () => {
  test('when nothing is set, then the stack uses .stack in the repo, the user cache and the default ports', () => {
    const config = loadStackConfig({ HOME: '/home/someone' });

    expect(config.ports).toEqual({
      kafka: 9092,
      kafkaController: 9093,
      mongo: 27017,
      registry: 8081,
      postgres: 5432,
    });
    expect(config.cacheDir).toBe('/home/someone/.cache/festival-resolver');
    expect(stackPaths(config).root).toBe(`${repoRoot}/.stack`);
    expect(stackPaths(config).logs).toBe(`${repoRoot}/.stack/logs`);
  });

  test('when XDG_CACHE_HOME and an absolute STACK_DIR are set, then they are used as given', () => {
    const config = loadStackConfig({
      HOME: '/h',
      XDG_CACHE_HOME: '/xdg',
      STACK_DIR: '/tmp/elsewhere',
      STACK_KAFKA_PORT: '29092',
    });

    expect(config.cacheDir).toBe('/xdg/festival-resolver');
    expect(stackPaths(config).root).toBe('/tmp/elsewhere');
    expect(config.ports.kafka).toBe(29092);
  });

  test('when ports are not numbers or collide, then one ConfigError names each problem', () => {
    const bad = (): unknown => loadStackConfig({ STACK_MONGO_PORT: 'abc', STACK_START_TIMEOUT_MS: '-1' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      /STACK_MONGO_PORT: expected a TCP port number; got "abc"[\s\S]*STACK_START_TIMEOUT_MS/,
    );

    expect(() => loadStackConfig({ STACK_REGISTRY_PORT: '9092' })).toThrow(
      /kafka.*registry.*both use port 9092|registry.*kafka.*both use port 9092/,
    );
  });
});

describe('newClusterId', () => {
  test('when a cluster id is made, then it has the shape kafka-storage random-uuid prints', () => {
    const ids = Array.from({ length: 200 }, () => newClusterId());

    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
