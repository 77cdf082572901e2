import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console's static files, all from this package: htmx and Chart.js from node_modules,
 * the stylesheet and the chart bootstrap from src/console/assets. Nothing from a CDN.
 */

export interface Asset {
  body: Buffer;
  type: string;
}

const require = createRequire(import.meta.url);

/** The root folder of an installed package (its package.json may not be exported). */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the ${name} package`);
    dir = parent;
  }
  return dir;
}

const own = fileURLToPath(new URL('./assets/', import.meta.url));
const js = 'text/javascript; charset=utf-8';

export function loadAssets(): Map<string, Asset> {
  const files: [string, string, string][] = [
    ['htmx.min.js', join(packageRoot('htmx.org'), 'dist/htmx.min.js'), js],
    ['chart.umd.min.js', join(packageRoot('chart.js'), 'dist/chart.umd.min.js'), js],
    ['charts.js', join(own, 'charts.js'), js],
    ['console.css', join(own, 'console.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(files.map(([name, path, type]) => [name, { body: readFileSync(path), type }]));
}
