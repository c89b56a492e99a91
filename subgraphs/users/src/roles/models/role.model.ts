import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A named set of permissions, data scopes and field rules.' })
export class Role {
  @Field({ description: 'SUPER_ADMIN, ADMIN, USER, GUEST, or a role added since.' })
  name!: string;

  @Field({ description: 'What the role is for.' })
  description!: string;
}
