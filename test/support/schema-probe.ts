/**
 * Builds one call of every root field of the schema, generated from the schema itself, so a field
 * added later is probed without editing the tests.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { gql, wsClient, type GqlResult } from '../../src/client/graphql-client';

export interface Victim {
  /** Ids of the victim's resources of every kind (dataset, run, version, key, ...). */
  ids: string[];
  /** The victim's model name. */
  modelName: string;
  datasetId: string;
}

export interface ProbeCall {
  root: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** Whether an argument names one of the victim's resources. */
  targetsVictim: boolean;
}

const ROW = { Pregnancies: 1, Glucose: 100, BloodPressure: 70, SkinThickness: 20, Insulin: 80, BMI: 30, DiabetesPedigreeFunction: 0.5, Age: 30 };
const SPEC = { layers: [{ units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', epochs: 1 };

function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (depth < 2) parts.push(`${f.name} ${selection(f.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** A value for an argument; `id` is used for every ID, `victim` for names. */
function valueFor(name: string, type: GraphQLInputType, id: string, victim: Victim): unknown {
  if (isNonNullType(type)) return valueFor(name, type.ofType, id, victim);
  if (isListType(type)) return name === 'rows' ? [ROW] : [valueFor(name, type.ofType, id, victim)];
  const named = getNamedType(type);
  if (named.name === 'ID') return id;
  if (named.name === 'String') return name === 'model' ? victim.modelName : name === 'csv' ? 'a,b\n1,2\n' : 'probe';
  if (named.name === 'Int') return name === 'take' ? 10 : 1;
  if (named.name === 'Float') return 0.5;
  if (named.name === 'Boolean') return true;
  if (named.name === 'JSONObject') return ROW;
  if (named.name === 'JSON') return [1];
  if (named.name === 'DateTimeISO') return new Date(Date.now() + 3600_000).toISOString();
  if (named.name === 'Upload') return null;
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isInputObjectType(named)) {
    if (named.name === 'ModelSpecInput') return SPEC;
    const out: Record<string, unknown> = {};
    for (const f of Object.values(named.getFields())) {
      if (!isNonNullType(f.type) && f.defaultValue === undefined) continue;
      out[f.name] = f.name === 'datasetId' ? victim.datasetId : f.name === 'targetColumn' ? 'Outcome' : valueFor(f.name, f.type, id, victim);
    }
    return out;
  }
  return null;
}

const typeString = (t: GraphQLInputType): string => t.toString();

/**
 * Fields that create something under a name in the caller's own tenant: the victim's model name
 * there names the caller's own (new) model, not the victim's, so NOT_FOUND is not expected.
 */
const OWN_NAMESPACE = new Set(['uploadModelVersion']);

/** Every root field, once per victim id when it takes an ID (and once otherwise). */
export function probeCalls(schema: GraphQLSchema, victim: Victim): ProbeCall[] {
  const calls: ProbeCall[] = [];
  for (const root of ['Query', 'Mutation', 'Subscription'] as const) {
    const type = schema.getType(root);
    if (!type || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const takesId = field.args.some((a) => getNamedType(a.type).name === 'ID');
      for (const id of takesId ? victim.ids : ['unused']) {
        const args = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) || ['model', 'name', 'rows'].includes(a.name));
        const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.name, a.type, id, victim)]));
        if (field.name === 'model') variables.name = victim.modelName; // model(name:) names a model
        const decl = args.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ');
        const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
        const op = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
        const text = JSON.stringify(variables);
        calls.push({
          root,
          field: field.name,
          query: `${op} Probe${decl ? `(${decl})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection(field.type)} }`,
          variables,
          targetsVictim: victim.ids.some((v) => text.includes(v)) || (text.includes(victim.modelName) && !OWN_NAMESPACE.has(field.name)),
        });
      }
    }
  }
  return calls;
}

/** The scopes a root field needs (from @Authorized), or undefined when it is public. */
export function requiredScopes(root: string, field: string): string[] | undefined {
  const storage = getMetadataStorage();
  const handlers = root === 'Query' ? storage.queries : root === 'Mutation' ? storage.mutations : storage.subscriptions;
  const handler = handlers.find((h) => h.schemaName === field);
  const auth = storage.authorizedFields.find((a) => a.target === handler?.target && a.fieldName === handler?.methodName);
  return auth ? (auth.roles as string[]) : undefined;
}

/**
 * Makes one probe call as `token`: queries and mutations over HTTP, subscriptions over a websocket
 * of their own: its first event (or its error); a live feed that never ends (modelStageChanged)
 * is left after that event.
 */
export async function callProbe(server: { url: string; wsUrl: string }, c: ProbeCall, token: string | undefined): Promise<GqlResult> {
  if (c.root !== 'Subscription') return gql({ url: server.url, token }, c.query, c.variables);
  const client = wsClient(server.wsUrl, token);
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      client.subscribe(
        { query: c.query, variables: c.variables },
        {
          next: (value) => resolve(value as GqlResult),
          error: (err) => (Array.isArray(err) ? resolve({ errors: err as GqlResult['errors'] }) : reject(err)),
          complete: () => resolve({}),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
