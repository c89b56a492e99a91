import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Owned by the users subgraph; billing adds the user's orders. */
@ObjectType({ description: 'A person who rents cloud phones.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Unique user id.' })
  id: string;
}
