import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The users subgraph's User, extended here with its notifications. */
@ObjectType({ description: 'A person who rents cloud phones.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Unique user id.' })
  id: string;
}
