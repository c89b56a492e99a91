import { writeSection } from './results-file.js';
import { benchEventLag } from './event-lag.js';

// `npm run bench [-- <name>...]`: runs the benchmarks and rewrites their sections of BENCHMARKS.md.
const BENCHMARKS: Record<string, { title: string; run: () => Promise<string> }> = {
  'event-lag': { title: 'Event lag (user.updated -> devices owner copy)', run: () => benchEventLag() },
};

const wanted = process.argv.slice(2);
for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`running ${name}...`);
  const section = await benchmark.run();
  await writeSection(benchmark.title, section);
  console.log(section);
}
