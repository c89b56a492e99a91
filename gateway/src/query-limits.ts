import { AppError } from '@cloudphone/errors';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import {
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
  getOperationAST,
  getVariableValues,
} from 'graphql';
import type { QueryLimits } from './config.js';

type Limit = 'depth' | 'cost' | 'aliases' | 'directives' | 'tokens' | 'first';

/** Arguments that size a page: a page larger than `maxFirst` is refused before any subgraph is asked. */
const PAGE_SIZE_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last']);

/**
 * A limit violation: QUERY_TOO_COMPLEX with `extensions.limit` and `max`.
 * The AppError underneath is what keeps the code through Apollo Server, which
 * re-codes validation and parse errors (GRAPHQL_VALIDATION_FAILED,
 * GRAPHQL_PARSE_FAILED), and through the socket's error formatter.
 */
export function queryTooComplex(limit: Limit, max: number, message: string, nodes?: readonly ASTNode[]): GraphQLError {
  const cause = new AppError('QUERY_TOO_COMPLEX', message, { details: { limit, max } });
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), originalError: cause, extensions: { code: cause.code, limit, max } });
}

/**
 * graphql-armor rejects with a codeless "Syntax Error: ..." (and, by default,
 * by throwing out of `validate`); we report it as an ordinary validation error
 * carrying QUERY_TOO_COMPLEX.
 */
function reportAs(limit: Limit, max: number) {
  return (context: ValidationContext | null, rejection: GraphQLError): void => {
    context?.reportError(queryTooComplex(limit, max, rejection.message.replace(/^Syntax Error: /, '')));
  };
}

function tokensExceeded(max: number): GraphQLError {
  return queryTooComplex('tokens', max, `Token limit of ${max} exceeded.`);
}

/**
 * Parses with graphql-armor's token-counting parser: parsing stops at the
 * first token over `maxTokens`, so an oversized document costs no more than a
 * permitted one. Throws the QUERY_TOO_COMPLEX error (limit 'tokens'), or the
 * parser's own syntax error. The socket parses subscriptions with it.
 */
export function parseWithinLimits(source: string, limits: QueryLimits): DocumentNode {
  const parser = new MaxTokensParserWLexer(source, {
    n: limits.maxTokens,
    exposeLimits: true,
    propagateOnRejection: true,
    onReject: [
      () => {
        throw tokensExceeded(limits.maxTokens);
      },
    ],
  });
  return parser.parseDocument();
}

/**
 * The token limit of `source`, checked before Apollo Server parses it (HTTP):
 * the QUERY_TOO_COMPLEX error when over, else undefined. A syntax error is
 * not ours to report: Apollo's own parse reports it, as it would have.
 */
export function tokenLimitError(source: string, limits: QueryLimits): GraphQLError | undefined {
  try {
    parseWithinLimits(source, limits);
    return undefined;
  } catch (error) {
    return error instanceof GraphQLError && error.extensions['limit'] === 'tokens' ? error : undefined;
  }
}

/**
 * The token limit as a validation rule, for documents parsed by someone else
 * (the schema check of the client operations, a socket that parses with plain
 * `parse`): the same count as graphql-armor's parser (every lexer token but
 * the end of the source), stopping at the first token over the limit.
 */
function maxTokensRule(max: number): ValidationRule {
  return (context) => {
    const body = context.getDocument().loc?.source.body;
    if (body !== undefined) {
      const lexer = new Lexer(new Source(body));
      let count = 0;
      while (lexer.advance().kind !== TokenKind.EOF) {
        count += 1;
        if (count > max) {
          context.reportError(tokensExceeded(max));
          break;
        }
      }
    }
    return {};
  };
}

function pageSizeExceeded(argument: string, value: number, max: number, nodes: readonly ASTNode[]): GraphQLError {
  return queryTooComplex('first', max, `Page size limit of ${max} exceeded: ${argument} is ${value}.`, nodes);
}

/** `first`/`last` written as literals; one given through a variable is checked by {@link pageSizeErrors}. */
function maxPageSizeRule(max: number): ValidationRule {
  return (context) => ({
    Field(node) {
      for (const argument of node.arguments ?? []) {
        if (!PAGE_SIZE_ARGUMENTS.has(argument.name.value) || argument.value.kind !== Kind.INT) continue;
        const value = Number(argument.value.value);
        if (value > max) context.reportError(pageSizeExceeded(argument.name.value, value, max, [argument]));
      }
    },
  });
}

/**
 * The gateway's one rule on operation size, as graphql-js validation rules:
 * Apollo Server's `validationRules` (HTTP), the WebSocket's `onSubscribe`
 * validation, and the schema check of the committed client operations all use
 * it. Fragments are flattened so that naming a selection costs nothing.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxTokensRule(limits.maxTokens),
    maxDepthRule({ ...common, n: limits.maxDepth, flattenFragments: true, onReject: [reportAs('depth', limits.maxDepth)] }),
    costLimitRule({ ...common, maxCost: limits.maxCost, flattenFragments: true, onReject: [reportAs('cost', limits.maxCost)] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reportAs('aliases', limits.maxAliases)] }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [reportAs('directives', limits.maxDirectives)] }),
    maxPageSizeRule(limits.maxFirst),
  ];
}

/**
 * `__schema` and `__type` refused when introspection is off (production).
 * Over HTTP, Apollo Server's own `introspection` option does it; the socket
 * adds these to its rules.
 */
export function introspectionRules(limits: QueryLimits): ValidationRule[] {
  return limits.introspection ? [] : [NoSchemaIntrospectionCustomRule];
}

/**
 * Every `first`/`last` field argument of the operation above `maxFirst`,
 * literal or variable, through fragments too, as QUERY_TOO_COMPLEX errors
 * (limit 'first'). `variables` are the values as the client sent them: they
 * are coerced here against the operation's variable definitions, so that a
 * variable's default counts. Variables that do not coerce are the engine's
 * error to report (BAD_USER_INPUT), not this check's: it answers none then.
 * Pure: the HTTP plugin calls it once the operation is resolved, the socket
 * once the subscription is validated.
 */
export function pageSizeErrors(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  schema: GraphQLSchema,
  limits: QueryLimits,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return [];
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], { ...variables });
  if (coercion.errors) return [];
  const values = coercion.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const errors: GraphQLError[] = [];
  const seenFragments = new Set<string>();
  const checkField = (field: FieldNode): void => {
    for (const argument of field.arguments ?? []) {
      if (!PAGE_SIZE_ARGUMENTS.has(argument.name.value)) continue;
      let value: unknown;
      if (argument.value.kind === Kind.INT) value = Number(argument.value.value);
      else if (argument.value.kind === Kind.VARIABLE) value = values[argument.value.name.value];
      if (typeof value === 'number' && value > limits.maxFirst) errors.push(pageSizeExceeded(argument.name.value, value, limits.maxFirst, [argument]));
    }
  };
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        checkField(selection);
        visit(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!seenFragments.has(selection.name.value)) {
        // Each fragment once: its arguments are the same wherever it is spread.
        seenFragments.add(selection.name.value);
        visit(fragments.get(selection.name.value)?.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return errors;
}
