import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with every complete stdout line of `child` that starts with `prefix` (a child's JSON
 * reports); other lines are skipped, since log lines share stdout.
 */
export function onJsonLines(
  child: { stdout: Readable },
  prefix: string,
  onLine: (line: string) => void,
): void {
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith(prefix)) continue; // log lines share stdout
      onLine(line);
    }
  });
}
