import { AppError } from '@cloudphone/errors';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { QueryLimits } from './config.js';

type Limit = 'depth' | 'cost' | 'aliases';

/**
 * graphql-armor rejects with a codeless "Syntax Error: ..." (and, by default,
 * by throwing out of `validate`); we report it as an ordinary validation error
 * carrying QUERY_TOO_COMPLEX. The AppError underneath is what keeps the code
 * through Apollo Server, which re-codes validation errors as
 * GRAPHQL_VALIDATION_FAILED, and through the socket's error formatter.
 */
function reportAs(limit: Limit, max: number) {
  return (context: ValidationContext | null, rejection: GraphQLError): void => {
    const message = rejection.message.replace(/^Syntax Error: /, '');
    const cause = new AppError('QUERY_TOO_COMPLEX', message, { details: { limit, max } });
    context?.reportError(new GraphQLError(message, { originalError: cause, extensions: { code: cause.code, limit, max } }));
  };
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
    maxDepthRule({ ...common, n: limits.maxDepth, flattenFragments: true, onReject: [reportAs('depth', limits.maxDepth)] }),
    costLimitRule({ ...common, maxCost: limits.maxCost, flattenFragments: true, onReject: [reportAs('cost', limits.maxCost)] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reportAs('aliases', limits.maxAliases)] }),
  ];
}
