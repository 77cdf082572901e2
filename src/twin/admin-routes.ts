import { z } from 'zod';
import type { TwinOptions, TwinOptionsPatch } from './options.js';
import { json, type Reply, type TwinRequest, type TwinState } from './reply.js';
import { parseWorld, type World } from './world.js';

/** The part of the twin the admin endpoint drives. */
export interface TwinControl {
  counts(): TwinState['counts'];
  chargedUsd(): number;
  currentOptions(): TwinOptions;
  setOptions(patch: TwinOptionsPatch): TwinOptions;
  setWorld(world: World): void;
  reset(): void;
}

/** Options as the admin endpoint shows them: which keys are accepted is nobody's business. */
function redacted(options: TwinOptions): unknown {
  const hidden = (list: string[]) => list.map(() => '***');
  return {
    ...options,
    keys: {
      tmdbTokens: hidden(options.keys.tmdbTokens),
      tmdbApiKeys: hidden(options.keys.tmdbApiKeys),
      omdbKeys: hidden(options.keys.omdbKeys),
      zyteKeys: hidden(options.keys.zyteKeys),
    },
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * /_twin/ admin endpoint: GET counts, GET options, POST reset, PUT options (a deep-merged
 * patch), PUT world (a whole world JSON). Lets a benchmark or the demo steer a running twin.
 */
export function handleAdmin(req: TwinRequest, twin: TwinControl): Reply {
  const route = `${req.method} ${req.url.pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /_twin/health':
        return json(200, { ok: true });
      case 'GET /_twin/counts':
        return json(200, { counts: twin.counts(), chargedUsd: twin.chargedUsd() });
      case 'POST /_twin/reset':
        twin.reset();
        return json(200, { counts: twin.counts(), chargedUsd: twin.chargedUsd() });
      case 'GET /_twin/options':
        return json(200, redacted(twin.currentOptions()));
      case 'PUT /_twin/options': {
        const patch = parseJson(req.body);
        if (typeof patch !== 'object' || patch === null)
          return json(400, { error: 'expected a JSON object' });
        return json(200, redacted(twin.setOptions(patch)));
      }
      case 'PUT /_twin/world': {
        const world = parseWorld(parseJson(req.body));
        twin.setWorld(world);
        return json(200, { films: world.films.length, answers: world.answers.length });
      }
      default:
        return json(404, { error: `unknown admin route ${route}` });
    }
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? z.prettifyError(error)
        : error instanceof Error
          ? error.message
          : String(error);
    return json(400, { error: message });
  }
}
