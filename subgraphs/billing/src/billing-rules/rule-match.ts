/** A device's resources as billing rules match them. */
export interface RuleSpec {
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
}

export interface MatchableRule {
  provider: string;
  /** Null on the provider's default rule. */
  cpuCores: number | null;
  memoryMb: number | null;
  storageGb: number | null;
}

/** Whether a rule is its provider's default (no spec). */
export function isDefaultRule(rule: MatchableRule): boolean {
  return rule.cpuCores === null;
}

/**
 * The rule that prices a device: the rule of its provider and exact spec
 * (cpu, memory and storage) if there is one, else its provider's default
 * rule, else none (the device runs free). Rules of other providers never match.
 */
export function pickRule<R extends MatchableRule>(rules: readonly R[], provider: string, spec: RuleSpec): R | undefined {
  const mine = rules.filter((rule) => rule.provider === provider);
  return (
    mine.find((rule) => rule.cpuCores === spec.cpuCores && rule.memoryMb === spec.memoryMb && rule.storageGb === spec.storageGb) ??
    mine.find(isDefaultRule)
  );
}
