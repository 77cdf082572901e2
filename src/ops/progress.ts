import { Presets, SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr (stdout stays clean for tables and --json). On a non-TTY stderr
 * cli-progress prints nothing, so logs of scripted runs are not filled with bar frames.
 */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const bar = new SingleBar(
    {
      stream,
      format: '{label} [{bar}] {value}/{total} {percentage}% | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      bar.start(total, 0, { label });
      running = true;
    },
    update(done) {
      if (running) bar.update(done);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
