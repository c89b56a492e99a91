// A node:test reporter that writes one line per test file, `<seconds>\t<file>`, as each file ends: how long the
// file took from start to end (its stack start-ups and hooks included). run-tests.mjs prints the slowest files
// after a run, which is where the suite's time goes.
export default async function* fileTimings(source) {
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:complete' && data?.nesting === 0 && data.file !== undefined && data.name === data.file) {
      yield `${(data.details.duration_ms / 1000).toFixed(1)}\t${data.file}\n`;
    }
  }
}
