import { SQL, getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

type Row = Readonly<Record<string, unknown>>;

/** One column of a COPY: where its value is in a row (the drizzle key) and how the row's absence of it reads. */
interface CopyColumn {
  key: string;
  column: PgColumn;
}

/**
 * Rows of one table in PostgreSQL's COPY text format, encoded as drizzle
 * would bind them (`mapToDriverValue`: dates as ISO strings, jsonb as JSON,
 * arrays as array literals), so a copied row reads back as the same row
 * inserted.
 */
export class CopyEncoder {
  readonly tableName: string;
  private readonly columns: CopyColumn[];
  private readonly keys: ReadonlySet<string>;

  /**
   * The columns are every column some row of `sample` gives a value, and every
   * column without a default (NULL when a row has no value): a later row may
   * leave out a listed column only if it has a constant default or none.
   */
  constructor(table: PgTable, sample: readonly Row[]) {
    this.tableName = getTableName(table);
    const given = new Set<string>();
    for (const row of sample) for (const [key, value] of Object.entries(row)) if (value !== undefined) given.add(key);
    this.columns = Object.entries(getTableColumns(table))
      .filter(([key, column]) => given.has(key) || !column.hasDefault)
      .map(([key, column]) => ({ key, column }));
    this.keys = new Set(this.columns.map((entry) => entry.key));
    for (const key of given) if (!this.keys.has(key)) throw new Error(`${this.tableName} has no column for the seed key ${key}`);
  }

  /** The column list of the COPY statement, in the order `encode` writes values. */
  get columnNames(): string[] {
    return this.columns.map((entry) => entry.column.name);
  }

  /** The rows as COPY text lines. */
  encode(rows: readonly Row[]): string {
    let text = '';
    for (const row of rows) {
      for (const key in row) {
        if (row[key] !== undefined && !this.keys.has(key)) throw new Error(`${this.tableName}: the copy lists no column for ${key} (the first rows had none)`);
      }
      let line = '';
      for (let index = 0; index < this.columns.length; index += 1) {
        const { key, column } = this.columns[index] as CopyColumn;
        const value = row[key];
        line += (index === 0 ? '' : '\t') + this.field(column, value === undefined ? this.absent(column) : value);
      }
      text += `${line}\n`;
    }
    return text;
  }

  private absent(column: PgColumn): unknown {
    if (!column.hasDefault) return null;
    if (column.default === undefined || column.default instanceof SQL || column.defaultFn !== undefined) {
      throw new Error(`${this.tableName}.${column.name}: a row without a value needs the database default, which a COPY of listed columns cannot give; give every row a value`);
    }
    return column.default;
  }

  private field(column: PgColumn, value: unknown): string {
    if (value === null) return '\\N';
    const driver = column.mapToDriverValue(value);
    if (driver === null || driver === undefined) return '\\N';
    if (typeof driver === 'string') return escapeCopyText(driver);
    if (typeof driver === 'number' || typeof driver === 'bigint') return String(driver);
    if (typeof driver === 'boolean') return driver ? 't' : 'f';
    if (driver instanceof Date) return driver.toISOString();
    return escapeCopyText(JSON.stringify(driver));
  }
}

const SPECIAL = /[\\\t\n\r]/;

/** COPY text escapes: backslash, tab, newline and carriage return would end a field or a row. */
export function escapeCopyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
