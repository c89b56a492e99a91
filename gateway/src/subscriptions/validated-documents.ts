import { type DocumentNode, GraphQLError, type GraphQLSchema, type ValidationRule, parse, validate } from 'graphql';

export type Checked = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[]; parseFailed: boolean };

/**
 * Parsed and validated subscription documents by query text, for one schema.
 * Thousands of clients send the same few subscriptions: each text is parsed
 * and validated once, and subscribers of the same text share one document
 * (which also lets them share the per-document work done on each event).
 * Least recently used texts leave first; a new schema starts a new cache.
 */
export class ValidatedDocuments {
  private readonly entries = new Map<string, Checked>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly capacity = 1_000,
    /** The parser: the gateway's stops at its token limit instead of reading a flood whole. */
    private readonly parseDocument: (source: string) => DocumentNode = parse,
  ) {}

  check(query: string): Checked {
    const cached = this.entries.get(query);
    if (cached) {
      this.entries.delete(query);
      this.entries.set(query, cached);
      return cached;
    }
    const checked = this.compute(query);
    this.entries.set(query, checked);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return checked;
  }

  private compute(query: string): Checked {
    let document: DocumentNode;
    try {
      document = this.parseDocument(query);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))], parseFailed: true };
    }
    const errors = validate(this.schema, document, this.rules);
    return errors.length > 0 ? { errors, parseFailed: false } : { document };
  }
}
