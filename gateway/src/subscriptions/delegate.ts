import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionNode,
  type VariableDefinitionNode,
  print,
  visit,
} from 'graphql';

/**
 * The query that fetches, through the gateway, what a subscriber selected
 * under `DeviceStatusEvent.device`: `device(id:)` with that selection, the
 * fragments it spreads and the variables it uses (and no others, or the query
 * would not validate).
 */
export function deviceQueryFor(info: GraphQLResolveInfo, deviceId: string): { query: string; variables: Record<string, unknown> } {
  const first = info.fieldNodes[0];
  let shape = first ? shapes.get(first) : undefined;
  if (!shape) {
    shape = deviceQueryShape(info);
    if (first) shapes.set(first, shape);
  }
  const variables: Record<string, unknown> = { [ID_VARIABLE]: deviceId };
  for (const name of shape.variableNames) variables[name] = info.variableValues[name];
  return { query: shape.query, variables };
}

/** The printed query and the variables it uses, which depend on the document alone. */
interface QueryShape {
  query: string;
  variableNames: readonly string[];
}

/**
 * Shapes by the subscriber's `device` field node: every event of every
 * subscriber sharing a document (the socket caches documents by text) reuses
 * one printed query instead of rebuilding it.
 */
const shapes = new WeakMap<FieldNode, QueryShape>();
const ID_VARIABLE = '__deviceId';

function deviceQueryShape(info: GraphQLResolveInfo): QueryShape {
  const selections: SelectionNode[] = info.fieldNodes.flatMap((node: FieldNode) => node.selectionSet?.selections ?? []);
  const fragmentNames = new Set<string>();
  const variableNames = new Set<string>();
  const collect = (node: { kind: Kind } | readonly { kind: Kind }[]): void => {
    visit(node as never, {
      FragmentSpread(spread) {
        if (fragmentNames.has(spread.name.value)) return;
        fragmentNames.add(spread.name.value);
        const fragment = info.fragments[spread.name.value];
        if (fragment) collect(fragment);
      },
      Variable(variable) {
        variableNames.add(variable.name.value);
      },
    });
  };
  for (const selection of selections) collect(selection);
  const variableDefinitions: VariableDefinitionNode[] = (info.operation.variableDefinitions ?? []).filter((definition) => variableNames.has(definition.variable.name.value));
  const fragments: FragmentDefinitionNode[] = [...fragmentNames].flatMap((name) => (info.fragments[name] ? [info.fragments[name]] : []));
  const idVariable = ID_VARIABLE;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as never,
        name: { kind: Kind.NAME, value: 'DeviceStatusChangedDevice' },
        variableDefinitions: [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } },
            type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          },
          ...variableDefinitions,
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: 'device' },
              arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } } }],
              selectionSet: { kind: Kind.SELECTION_SET, selections },
            },
          ],
        },
      },
      ...fragments,
    ],
  };
  return { query: print(document), variableNames: [...variableNames] };
}
