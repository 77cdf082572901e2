import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('config', () => {
  it('when nothing is set, then every default applies', () => {
    const config = loadConfig({});
    expect(config.kafka.brokers).toEqual(['localhost:9092']);
    expect(config.kafka.topics.nominations).toBe('festival.nominations');
    expect(config.chain.order).toEqual(['tmdb', 'omdb', 'imdb']);
    expect(config.chain.acceptThreshold).toBe(0.75);
    expect(config.chain.reviewThreshold).toBe(0.6);
  });

  it('when KAFKA_BROKERS is not a host:port list, then start-up stops naming the variable', () => {
    const run = () => loadConfig({ KAFKA_BROKERS: 'not-a-host:abc' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/KAFKA_BROKERS: expected a comma-separated list of host:port/);
  });

  it('when several variables are bad, then one message names each of them', () => {
    try {
      loadConfig({ HTTP_PORT: '99999', MONGODB_URI: 'postgres://x', TIER_ORDER: 'tmdb,foo' });
      expect.fail('loadConfig accepted bad values');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/HTTP_PORT/);
      expect(problems).toMatch(/MONGODB_URI/);
      expect(problems).toMatch(/TIER_ORDER/);
    }
  });

  it('when a secret is invalid, then its value is not echoed', () => {
    try {
      loadConfig({ OMDB_COST_USD: 'abc', TMDB_API_KEY: 'secret-value' });
      expect.fail('loadConfig accepted bad values');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
      expect((error as Error).message).toMatch(/OMDB_COST_USD/);
    }
  });

  it('when the review threshold exceeds the accept threshold, then start-up stops', () => {
    expect(() => loadConfig({ MATCH_REVIEW_THRESHOLD: '0.9', MATCH_ACCEPT_THRESHOLD: '0.8' })).toThrow(
      /MATCH_REVIEW_THRESHOLD/,
    );
  });
});
