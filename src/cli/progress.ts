/**
 * Progress for long operations: a redrawn bar on a terminal, plain lines (every 10 %)
 * otherwise, so logs and pipes stay readable.
 */
export interface ProgressReporter {
  update(label: string, percent: number): void;
  done(): void;
}

export function progressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): ProgressReporter {
  let lastLabel = '';
  let lastStep = -1;
  let drawn = false;
  if (stream.isTTY) {
    return {
      update(label, percent) {
        if (drawn && label !== lastLabel) stream.write('\n'); // keep the finished stage's bar
        lastLabel = label;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 30));
        const filled = Math.round((width * percent) / 100);
        stream.write(`\r${label.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%`);
        drawn = true;
      },
      done() {
        if (drawn) stream.write('\n');
        drawn = false;
      },
    };
  }
  return {
    update(label, percent) {
      const step = Math.floor(percent / 10);
      if (label === lastLabel && step === lastStep) return;
      lastLabel = label;
      lastStep = step;
      stream.write(`${label} ${percent}%\n`);
    },
    done() {},
  };
}
