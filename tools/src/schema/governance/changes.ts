import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export type Severity = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface SchemaChange {
  /** Inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  severity: Severity;
  /** Schema coordinate, e.g. `User.email` or `Query.devices.first`. */
  coordinate: string;
  description: string;
  /** The approval that allows this breaking change, if any. */
  approvedBecause?: string | undefined;
}

/** A breaking change the team accepted, with the reason (schema/approved-changes.yaml). */
export interface ApprovedChange {
  coordinate: string;
  type: string;
  reason: string;
}

function severityOf(change: Change): Severity {
  switch (change.criticality.level) {
    case CriticalityLevel.Breaking:
      return 'BREAKING';
    case CriticalityLevel.Dangerous:
      return 'DANGEROUS';
    default:
      return 'SAFE';
  }
}

/** Every difference between two API schemas, classified, with approvals applied to breaking ones. */
export async function classifyChanges(base: GraphQLSchema, next: GraphQLSchema, approved: readonly ApprovedChange[]): Promise<SchemaChange[]> {
  const changes = await diff(base, next);
  return changes.map((change) => {
    const coordinate = change.path ?? '(schema)';
    const severity = severityOf(change);
    const approval = severity === 'BREAKING' ? approved.find((entry) => entry.coordinate === coordinate && entry.type === change.type) : undefined;
    return { type: change.type, severity, coordinate, description: change.message, approvedBecause: approval?.reason };
  });
}
