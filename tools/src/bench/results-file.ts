import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { repoPath } from '../paths.js';

/** Where `npm run bench` records its results. */
export const BENCHMARKS_FILE = repoPath('BENCHMARKS.md');

/** The machine a result was measured on, as BENCHMARKS.md records it. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Replaces (or appends) the section `## <title>` of BENCHMARKS.md (or `file`), leaving the others as they are. */
export async function writeSection(title: string, body: string, file = BENCHMARKS_FILE): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => '# Benchmarks\n\nResults of `npm run bench`; each section is rewritten by its benchmark.\n');
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = current.indexOf(heading);
  if (start === -1) {
    await writeFile(file, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const next = current.indexOf('\n## ', start + heading.length);
  await writeFile(file, `${current.slice(0, start)}${section}${next === -1 ? '' : current.slice(next)}`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(index, 0)] ?? Number.NaN;
}
