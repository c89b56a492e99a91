import type { CheckReport } from './checker.js';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (left: string, middle: string, right: string) => `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const render = (cells: string[]) => `│${cells.map((cell, column) => ` ${cell.padEnd(widths[column] ?? 0)} `).join('│')}│`;
  return [line('┌', '┬', '┐'), render(headers), line('├', '┼', '┤'), ...rows.map(render), line('└', '┴', '┘')].join('\n');
}

/** Renders a check the way rover prints one: a table of changes, the problems, then a one-line verdict. */
export function renderReport(report: CheckReport): string {
  const out: string[] = [];
  for (const hint of report.hints) out.push(`HINT ${hint.code}: ${hint.message}`);
  for (const error of report.compositionErrors) out.push(`error[${error.code}]: ${error.message}${error.locations.length ? ` (${error.locations.join(', ')})` : ''}`);
  for (const problem of report.drift) out.push(`error[DRIFT]: ${problem}`);
  if (report.compositionErrors.length === 0) {
    if (!report.comparedWithBase) out.push(`No supergraph at ${report.baseRef} to compare with: breaking-change check skipped.`);
    else if (report.changes.length === 0) out.push(`There were no changes detected in the API schema against ${report.baseRef}.`);
    else {
      out.push(`Compared ${report.changes.length} schema change(s) against ${report.baseRef} and ${report.operationCount} client operation(s):`);
      out.push(
        table(
          ['Change', 'Severity', 'Code', 'Coordinate', 'Description'],
          report.changes.map((change) => [
            change.severity === 'BREAKING' ? (change.approvedBecause === undefined ? 'FAIL' : 'PASS') : change.severity === 'DANGEROUS' ? 'WARN' : 'PASS',
            change.severity,
            change.type,
            change.coordinate,
            change.approvedBecause === undefined ? change.description : `${change.description} (approved: ${change.approvedBecause})`,
          ]),
        ),
      );
    }
    out.push(`Validated and planned ${report.operationCount} client operation(s) against the new API schema.`);
    for (const problem of report.operationProblems) out.push(`error[OPERATION]: ${problem.operation} (${problem.file}): ${problem.message}`);
    for (const problem of report.lintProblems) out.push(`error[LINT:${problem.rule}]: ${problem.coordinate}: ${problem.message}`);
  }
  const unapproved = report.changes.filter((change) => change.severity === 'BREAKING' && change.approvedBecause === undefined).length;
  const counts = [
    `${report.compositionErrors.length} composition error(s)`,
    `${report.drift.length} drifted file(s)`,
    `${unapproved} unapproved breaking change(s)`,
    `${report.operationProblems.length} operation error(s)`,
    `${report.lintProblems.length} lint error(s)`,
  ].join(', ');
  out.push(report.passed ? `Check passed: ${counts}.` : `Check failed: ${counts}.`);
  return out.join('\n');
}
