/** The shared GraphQL helpers of src/modules/common: lowerCaseEnum, Nullable and Take. */
import 'reflect-metadata';
import { graphql, printType, type GraphQLObjectType } from 'graphql';
import { buildSchema, Float, ObjectType, Query, Resolver } from 'type-graphql';
import { lowerCaseEnum, type EnumValue } from '../src/modules/common/enum';
import { Nullable } from '../src/modules/common/fields';
import { Take } from '../src/modules/common/take';

const Colour = lowerCaseEnum('TestColour', ['DARK_RED', 'BLUE'], { valuesConfig: { BLUE: { description: 'Sky.' } } });
type Colour = EnumValue<typeof Colour>;

@ObjectType()
class Page {
  @Nullable(Float, 'A nullable float.')
  score?: number;

  @Nullable(Colour)
  colour?: Colour;

  @Nullable([String])
  take?: string[];
}

@Resolver()
class PageResolver {
  @Query(() => Page)
  page(@Take(20, 100) take: number): Page {
    return { score: undefined, colour: Colour.DARK_RED, take: [String(take)] };
  }
}

const schema = buildSchema({ resolvers: [PageResolver], validate: false });

it('lowerCaseEnum maps each NAME to its lower-case value and registers the enum', async () => {
  expect(Colour).toEqual({ DARK_RED: 'dark_red', BLUE: 'blue' });
  expect(Object.isFrozen(Colour)).toBe(true);
  const type = (await schema).getType('TestColour')!;
  expect(printType(type)).toContain('"""Sky."""\n  BLUE');
});

it('Nullable declares a nullable field with its description', async () => {
  const printed = printType((await schema).getType('Page') as GraphQLObjectType);
  expect(printed).toContain('"""A nullable float."""\n  score: Float\n');
  expect(printed).toContain('colour: TestColour\n');
  expect(printed).toContain('take: [String!]\n');
});

it('Take declares take: Int = default and clamps it to [1, max]', async () => {
  const s = await schema;
  expect(printType(s.getQueryType()!)).toContain('take: Int! = 20');
  const ask = async (arg: string) => ((await graphql({ schema: s, source: `{ page${arg} { take colour } }` })).data as { page: { take: string[] } }).page.take[0];
  expect(await ask('')).toBe('20');
  expect(await ask('(take: 0)')).toBe('1');
  expect(await ask('(take: -5)')).toBe('1');
  expect(await ask('(take: 7)')).toBe('7');
  expect(await ask('(take: 5000)')).toBe('100');
});
