import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

export interface LintProblem {
  rule: 'naming' | 'relay-connection' | 'description';
  coordinate: string;
  message: string;
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;
const UPPER_CASE = /^[A-Z][A-Z0-9_]*$/;
const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

function isPublic(type: GraphQLNamedType): boolean {
  return !type.name.startsWith('__') && !(isScalarType(type) && BUILT_IN_SCALARS.has(type.name));
}

/** `[X!]!`, `X!`: the shape a Relay connection's fields must have. */
function typeString(field: GraphQLField<unknown, unknown>): string {
  return String(field.type);
}

function lintConnection(type: GraphQLNamedType, problems: LintProblem[]): void {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return;
  const fields = type.getFields();
  const node = type.name.slice(0, -'Connection'.length);
  const expect = (field: string, shape: string) => {
    const actual = fields[field];
    if (!actual) problems.push({ rule: 'relay-connection', coordinate: type.name, message: `a connection needs \`${field}: ${shape}\`` });
    else if (typeString(actual) !== shape) problems.push({ rule: 'relay-connection', coordinate: `${type.name}.${field}`, message: `must be \`${shape}\`, is \`${typeString(actual)}\`` });
  };
  expect('edges', `[${node}Edge!]!`);
  expect('pageInfo', 'PageInfo!');
  expect('totalCount', 'Int!');
  const edgesField = fields['edges'];
  const edge = edgesField ? getNamedType(edgesField.type) : undefined;
  if (edge && isObjectType(edge)) {
    const edgeFields = edge.getFields();
    if (String(edgeFields['cursor']?.type) !== 'String!') problems.push({ rule: 'relay-connection', coordinate: `${edge.name}.cursor`, message: 'an edge needs `cursor: String!`' });
    const edgeNode = edgeFields['node'];
    if (!edgeNode || !isNonNullType(edgeNode.type) || isListType(edgeNode.type.ofType)) problems.push({ rule: 'relay-connection', coordinate: `${edge.name}.node`, message: 'an edge needs a non-null `node`' });
  }
}

/** Lists paginated with `first` must also take `after` and return a connection. */
function lintPaginatedField(owner: string, field: GraphQLField<unknown, unknown>, problems: LintProblem[]): void {
  const argumentNames = field.args.map((argument) => argument.name);
  if (!argumentNames.includes('first')) return;
  if (!argumentNames.includes('after')) problems.push({ rule: 'relay-connection', coordinate: `${owner}.${field.name}`, message: 'a paginated field takes `after` with `first`' });
  if (!getNamedType(field.type).name.endsWith('Connection')) problems.push({ rule: 'relay-connection', coordinate: `${owner}.${field.name}`, message: 'a paginated field returns a Connection' });
}

/** Naming, Relay connection shape and descriptions of the public API schema. */
export function lintSchema(schema: GraphQLSchema): LintProblem[] {
  const problems: LintProblem[] = [];
  const describe = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) problems.push({ rule: 'description', coordinate, message: 'needs a description' });
  };
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((type) => type).map((type) => type?.name));
  for (const type of Object.values(schema.getTypeMap()).filter(isPublic)) {
    if (!PASCAL_CASE.test(type.name)) problems.push({ rule: 'naming', coordinate: type.name, message: 'type names are PascalCase' });
    if (!rootTypes.has(type.name)) describe(type.name, type.description);
    lintConnection(type, problems);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!CAMEL_CASE.test(field.name)) problems.push({ rule: 'naming', coordinate, message: 'field names are camelCase' });
        describe(coordinate, field.description);
        for (const argument of field.args) {
          if (!CAMEL_CASE.test(argument.name)) problems.push({ rule: 'naming', coordinate: `${coordinate}(${argument.name}:)`, message: 'argument names are camelCase' });
        }
        lintPaginatedField(type.name, field, problems);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!CAMEL_CASE.test(field.name)) problems.push({ rule: 'naming', coordinate, message: 'field names are camelCase' });
        describe(coordinate, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!UPPER_CASE.test(value.name)) problems.push({ rule: 'naming', coordinate: `${type.name}.${value.name}`, message: 'enum values are UPPER_CASE' });
      }
    } else if (isUnionType(type)) {
      // unions need only their own name and description
    }
  }
  return problems;
}
