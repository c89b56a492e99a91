/** One sample of a scrape: `name{labels} value`. */
export interface PrometheusSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface PrometheusScrape {
  samples: PrometheusSample[];
  /** `# TYPE` of each metric family. */
  types: ReadonlyMap<string, string>;
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * Parses Prometheus's text exposition format (version 0.0.4): comments,
 * `# TYPE` lines, and samples with quoted, escaped label values, a value
 * (NaN and ±Inf in any case, as Prometheus reads them) and an optional
 * timestamp. A line that is none of these throws, naming it.
 */
export function parsePrometheusText(text: string): PrometheusScrape {
  const samples: PrometheusSample[] = [];
  const types = new Map<string, string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type?.[1] && type[2]) types.set(type[1], type[2]);
      continue;
    }
    try {
      samples.push(parseSample(line));
    } catch (error) {
      throw new Error(`line ${index + 1} is not a sample (${(error as Error).message}): ${line}`);
    }
  }
  return { samples, types };
}

function parseSample(line: string): PrometheusSample {
  let position = 0;
  const expect = (pattern: RegExp, what: string): string => {
    pattern.lastIndex = position;
    const match = pattern.exec(line);
    if (!match) throw new Error(`${what} expected at ${position}`);
    position = pattern.lastIndex;
    return match[0];
  };
  const name = expect(NAME, 'a metric name');
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position += 1;
    while (line[position] !== '}') {
      const label = expect(LABEL_NAME, 'a label name');
      if (line.slice(position, position + 2) !== '="') throw new Error(`="  expected at ${position}`);
      position += 2;
      let value = '';
      while (line[position] !== '"') {
        const char = line[position];
        if (char === undefined) throw new Error('unterminated label value');
        if (char === '\\') {
          const escaped = ESCAPES[line[position + 1] ?? ''];
          if (escaped === undefined) throw new Error(`bad escape at ${position}`);
          value += escaped;
          position += 2;
        } else {
          value += char;
          position += 1;
        }
      }
      position += 1;
      labels[label] = value;
      if (line[position] === ',') position += 1;
      else if (line[position] !== '}') throw new Error(`, or } expected at ${position}`);
    }
    position += 1;
  }
  const [value, timestamp, ...rest] = line.slice(position).trim().split(/\s+/);
  if (line[position] !== ' ' || value === undefined || rest.length > 0 || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) throw new Error('a value and an optional timestamp expected');
  return { name, labels, value: parseValue(value) };
}

function parseValue(text: string): number {
  const special = text.toLowerCase();
  if (special === 'nan') return Number.NaN;
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`"${text}" is not a number`);
  return Number(text);
}

/** The sum of `name`'s samples whose labels include `labels` (0 when none do). */
export function sumOf(scrape: PrometheusScrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samplesOf(scrape, name, labels).reduce((total, sample) => total + sample.value, 0);
}

/** `name`'s samples whose labels include `labels`. */
export function samplesOf(scrape: PrometheusScrape, name: string, labels: Readonly<Record<string, string>> = {}): PrometheusSample[] {
  return scrape.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** GETs a `/metrics` and parses it; fails unless it answers 200 in Prometheus's text format. */
export async function scrapeMetrics(url: string): Promise<PrometheusScrape> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !contentType.startsWith('text/plain') || !contentType.includes('version=0.0.4')) {
    throw new Error(`${url} answered ${response.status} ${contentType}`);
  }
  return parsePrometheusText(await response.text());
}
